"""EventRecorder: core/v1 Events as kubelet and scheduler write them, aggregated like client-go's correlator
(count + lastTimestamp on a repeat), which is what gives `kubectl describe` its `(x4 over 2m)`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.cluster import events as events_mod
from fakeapi.cluster.events import EventRecorder, involved
from fakeapi.config import Config
from fakeapi.registry.options import DeleteOptions, ListOptions
from fakeapi.server import Server

Obj = dict[str, Any]


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server(Config(storage="memory"), controllers=[])
    ensure_system_namespaces(s.store, s.registry)
    yield s
    s.storage.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Controls the recorder's (second-resolution) timestamps: the next value is taken per record."""
    stamps = [f"2026-01-01T00:00:{i:02d}Z" for i in range(60)]
    it = iter(stamps)
    monkeypatch.setattr(events_mod, "now_rfc3339", lambda: next(it))
    yield stamps


def make_pod(server: Server, name: str = "pod-test1") -> Obj:
    info = server.registry.lookup("", "v1", "pods")
    assert info is not None
    kv = server.store.create(info, "default", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                                               "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}})
    return kv.obj


def all_events(server: Server, namespace: str = "default") -> list[Obj]:
    info = server.registry.lookup("", "v1", "events")
    assert info is not None
    return [kv.obj for kv in server.store.list(info, namespace, ListOptions()).items]


def test_involved_reference() -> None:
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns", "uid": "u",
                                                            "resourceVersion": "7"}}
    assert involved(obj, "spec.containers{c}") == {"kind": "Pod", "namespace": "ns", "name": "p", "uid": "u",
                                                   "apiVersion": "v1", "resourceVersion": "7",
                                                   "fieldPath": "spec.containers{c}"}
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n", "uid": "u2"}}
    assert "namespace" not in involved(node) and "fieldPath" not in involved(node)


def test_a_kubelet_event(server: Server, clock: list[str]) -> None:
    pod = make_pod(server)
    EventRecorder(server).record(pod, "Normal", "Pulling", 'Pulling image "nginx"', component="kubelet",
                                 host="fakeapi-worker", field_path="spec.containers{nginx}")
    [ev] = all_events(server)
    assert ev["reason"] == "Pulling" and ev["type"] == "Normal" and ev["message"] == 'Pulling image "nginx"'
    assert ev["involvedObject"]["kind"] == "Pod" and ev["involvedObject"]["name"] == "pod-test1"
    assert ev["involvedObject"]["uid"] == pod["metadata"]["uid"]
    assert ev["involvedObject"]["fieldPath"] == "spec.containers{nginx}"
    assert ev["source"] == {"component": "kubelet", "host": "fakeapi-worker"}
    assert ev["count"] == 1
    assert ev["firstTimestamp"] == ev["lastTimestamp"] == clock[0]
    assert ev["reportingComponent"] == "kubelet" and ev["reportingInstance"] == "fakeapi-worker"
    assert ev["metadata"]["name"].startswith("pod-test1.")


def test_scheduler_event_has_no_host(server: Server, clock: list[str]) -> None:
    pod = make_pod(server)
    EventRecorder(server).record(pod, "Normal", "Scheduled", "Successfully assigned default/pod-test1 to w",
                                 component="default-scheduler")
    [ev] = all_events(server)
    assert ev["source"] == {"component": "default-scheduler"}
    assert "fieldPath" not in ev["involvedObject"]


def test_a_repeat_bumps_count_and_last_timestamp(server: Server, clock: list[str]) -> None:
    pod = make_pod(server)
    rec = EventRecorder(server)
    for _ in range(4):
        rec.record(pod, "Warning", "BackOff", "Back-off restarting failed container nginx", component="kubelet",
                   host="w", field_path="spec.containers{nginx}")
    [ev] = all_events(server)
    assert ev["count"] == 4
    assert ev["firstTimestamp"] == clock[0]
    assert ev["lastTimestamp"] == clock[3]


@pytest.mark.parametrize("change", ["message", "type_", "field_path", "host", "component", "reason"])
def test_anything_else_different_is_a_new_event(server: Server, clock: list[str], change: str) -> None:
    pod = make_pod(server)
    rec = EventRecorder(server)
    base = {"type_": "Normal", "reason": "Pulled", "message": "m", "component": "kubelet", "host": "w",
            "field_path": "spec.containers{nginx}"}
    rec.record(pod, **base)  # type: ignore[arg-type]
    rec.record(pod, **{**base, change: base[change] + "2"})  # type: ignore[arg-type]
    assert sorted(e["count"] for e in all_events(server)) == [1, 1]


def test_events_of_different_pods_do_not_aggregate(server: Server, clock: list[str]) -> None:
    rec = EventRecorder(server)
    for name in ("a", "b"):
        rec.record(make_pod(server, name), "Normal", "Started", "Started container nginx", component="kubelet")
    assert sorted(e["involvedObject"]["name"] for e in all_events(server)) == ["a", "b"]


def test_a_deleted_series_starts_over(server: Server, clock: list[str]) -> None:
    pod = make_pod(server)
    rec = EventRecorder(server)
    rec.record(pod, "Normal", "Killing", "Stopping container nginx", component="kubelet")
    [ev] = all_events(server)
    info = server.registry.lookup("", "v1", "events")
    assert info is not None
    server.store.delete(info, "default", ev["metadata"]["name"], DeleteOptions())
    rec.record(pod, "Normal", "Killing", "Stopping container nginx", component="kubelet")
    [again] = all_events(server)
    assert again["count"] == 1 and again["metadata"]["name"] != ev["metadata"]["name"]


def test_cluster_scoped_objects_get_events_in_default(server: Server, clock: list[str]) -> None:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "fakeapi-worker", "uid": "n-uid"}}
    EventRecorder(server).record(node, "Normal", "NodeReady", "Node fakeapi-worker status is now: NodeReady",
                                 component="kubelet", host="fakeapi-worker")
    [ev] = all_events(server, "default")
    assert ev["involvedObject"]["kind"] == "Node" and "namespace" not in ev["involvedObject"]


def test_recording_for_a_missing_namespace_does_not_raise(server: Server, clock: list[str]) -> None:
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": "nope", "uid": "u"}}
    EventRecorder(server).record(obj, "Normal", "Scheduled", "m", component="default-scheduler")


def test_event_names_follow_creation_order(server: Server) -> None:
    pod = make_pod(server)
    rec = EventRecorder(server)
    before = time.time_ns()
    reasons = [f"R{i}" for i in range(10)]
    for reason in reasons:
        rec.record(pod, "Normal", reason, "m", component="kubelet")
    after = time.time_ns()
    evs = all_events(server)
    assert [e["reason"] for e in sorted(evs, key=lambda e: e["metadata"]["name"])] == reasons
    for ev in evs:
        prefix, _, suffix = ev["metadata"]["name"].rpartition(".")
        assert prefix == "pod-test1"
        assert before <= int(suffix, 16) <= after

