"""The default scheduler: filtering with the scheduler's reasons, its `0/3 nodes are available` message,
scoring, binding, and retrying when the cluster changes."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.cluster.events import EventRecorder
from fakeapi.cluster.nodes import node_object, node_specs
from fakeapi.cluster.scheduler import Scheduler
from fakeapi.config import Config
from fakeapi.server import Server

Obj = dict[str, Any]
T = TypeVar("T")
CP = "node-role.kubernetes.io/control-plane"
TAINTED = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"


def pod(name: str = "p", **spec: Any) -> Obj:
    containers = spec.pop("containers", [{"name": "c", "image": "nginx"}])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"containers": containers, **spec}}


def requesting(**res: str) -> list[Obj]:
    return [{"name": "c", "image": "nginx", "resources": {"requests": res}}]


# ---- filter and message (no event loop needed) --------------------------------------------------------

def histogram(failures: list[list[str]]) -> Counter[str]:
    """How many nodes failed for each reason (a node may fail for several resources at once)."""
    return Counter(reason for reasons in failures for reason in reasons)


@pytest.fixture
def sched() -> Iterator[Scheduler]:
    server = Server(Config(storage="memory"), controllers=[])
    ensure_system_namespaces(server.store, server.registry)
    s = Scheduler(server, EventRecorder(server))
    for spec in node_specs(3):
        s.nodes[spec.name] = node_object(spec)
    yield s
    server.storage.close()


def test_plain_pod_fits_the_workers_only(sched: Scheduler) -> None:
    feasible, reasons = sched.filter(pod())
    assert feasible == ["fakeapi-worker", "fakeapi-worker2"]
    assert histogram(reasons) == Counter({TAINTED: 1})


def test_tolerating_pod_fits_the_control_plane_too(sched: Scheduler) -> None:
    p = pod(tolerations=[{"key": CP, "operator": "Exists", "effect": "NoSchedule"}], nodeSelector={CP: ""})
    feasible, failures = sched.filter(p)
    assert (feasible, histogram(failures)) == (["fakeapi-control-plane"],
                                               Counter({"node(s) didn't match Pod's node affinity/selector": 2}))


def test_too_big_a_pod_is_insufficient_cpu_on_the_workers(sched: Scheduler) -> None:
    feasible, reasons = sched.filter(pod(containers=requesting(cpu="5")))
    assert feasible == []
    assert histogram(reasons) == Counter({TAINTED: 1, "Insufficient cpu": 2})


def test_taint_is_checked_before_node_affinity(sched: Scheduler) -> None:
    _, reasons = sched.filter(pod(nodeSelector={"disktype": "ssd"}))
    assert histogram(reasons) == Counter({TAINTED: 1, "node(s) didn't match Pod's node affinity/selector": 2})


def test_cordoned_and_not_ready_nodes(sched: Scheduler) -> None:
    sched.nodes["fakeapi-worker"]["spec"]["unschedulable"] = True
    for cond in sched.nodes["fakeapi-worker2"]["status"]["conditions"]:
        if cond["type"] == "Ready":
            cond["status"] = "Unknown"
    _, reasons = sched.filter(pod())
    assert histogram(reasons) == Counter({TAINTED: 1, "node(s) were unschedulable": 1,
                               "node(s) had untolerated taint {node.kubernetes.io/not-ready: }": 1})


def test_requests_of_bound_pods_count(sched: Scheduler) -> None:
    from fractions import Fraction

    sched.bound["fakeapi-worker"] = {"a": {"cpu": Fraction(3), "memory": Fraction(0)}}
    feasible, reasons = sched.filter(pod(containers=requesting(cpu="2")))
    assert feasible == ["fakeapi-worker2"]
    assert histogram(reasons) == Counter({TAINTED: 1, "Insufficient cpu": 1})


def test_pod_count_limit(sched: Scheduler) -> None:
    from fractions import Fraction

    for name in ("fakeapi-worker", "fakeapi-worker2"):
        sched.nodes[name]["status"]["allocatable"]["pods"] = "1"
        sched.bound[name] = {f"x-{name}": {"cpu": Fraction(0), "memory": Fraction(0)}}
    assert histogram(sched.filter(pod())[1]) == Counter({TAINTED: 1, "Too many pods": 2})


def test_score_prefers_less_requested_cpu_then_fewer_pods(sched: Scheduler) -> None:
    from fractions import Fraction

    zero = {"cpu": Fraction(0), "memory": Fraction(0)}
    sched.bound["fakeapi-worker"] = {"a": zero, "b": zero}
    sched.bound["fakeapi-worker2"] = {"c": zero}
    assert min(["fakeapi-worker", "fakeapi-worker2"], key=sched.score) == "fakeapi-worker2"
    sched.bound["fakeapi-worker2"] = {"c": {"cpu": Fraction(1), "memory": Fraction(0)}}
    assert min(["fakeapi-worker", "fakeapi-worker2"], key=sched.score) == "fakeapi-worker"


def test_message_when_every_node_is_tainted(sched: Scheduler) -> None:
    msg = sched.unschedulable_message([[TAINTED]] * 3)
    assert msg == ("0/3 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. "
                   "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")


def test_message_for_a_pod_too_big_for_every_worker(sched: Scheduler) -> None:
    _, reasons = sched.filter(pod(containers=requesting(cpu="5")))
    assert sched.unschedulable_message(reasons) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod.")


def test_reason_histogram_is_sorted_as_formatted_strings(sched: Scheduler) -> None:
    msg = sched.unschedulable_message([["node(s) didn't match Pod's node affinity/selector"]] + [["Insufficient cpu"]] * 4)
    assert msg.startswith("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
                          "4 Insufficient cpu.")


def test_every_insufficient_resource_is_reported(sched: Scheduler) -> None:
    _, reasons = sched.filter(pod(containers=requesting(cpu="5", memory="100Gi")))
    assert histogram(reasons) == Counter({TAINTED: 1, "Insufficient cpu": 2, "Insufficient memory": 2})


def test_message_with_no_nodes(sched: Scheduler) -> None:
    sched.nodes.clear()
    assert sched.unschedulable_message([]) == "no nodes available to schedule pods"


# ---- against a running server -------------------------------------------------------------------------

def wait_for(fn: Callable[[], T], timeout: float = 5.0, interval: float = 0.05) -> T:
    deadline = time.monotonic() + timeout
    last: T = fn()
    while not last:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; last value: {last!r}")
        time.sleep(interval)
        last = fn()
    return last


def create(api: httpx.Client, obj: Obj) -> Obj:
    obj = {**obj, "metadata": {k: v for k, v in obj["metadata"].items() if k != "uid"}}
    r = api.post("/api/v1/namespaces/default/pods", json=obj)
    assert r.status_code == 201, r.text
    return r.json()


def get(api: httpx.Client, name: str) -> Obj:
    return api.get(f"/api/v1/namespaces/default/pods/{name}").json()


def node_of(api: httpx.Client, name: str) -> str:
    return str(wait_for(lambda: get(api, name)["spec"].get("nodeName")))


def events(api: httpx.Client, name: str, reason: str) -> list[Obj]:
    items = api.get("/api/v1/namespaces/default/events",
                    params={"fieldSelector": f"involvedObject.name={name}"}).json()["items"]
    return [e for e in items if e["reason"] == reason]


def test_a_plain_pod_is_bound_to_a_worker(api: httpx.Client) -> None:
    create(api, pod("plain"))
    node = node_of(api, "plain")
    assert node in ("fakeapi-worker", "fakeapi-worker2")
    cond = wait_for(lambda: [c for c in get(api, "plain")["status"].get("conditions", [])
                             if c["type"] == "PodScheduled"])[0]
    assert cond["status"] == "True"
    ev = wait_for(lambda: events(api, "plain", "Scheduled"))[0]
    assert ev["type"] == "Normal"
    assert ev["message"] == f"Successfully assigned default/plain to {node}"
    assert ev["source"]["component"] == "default-scheduler"


def test_node_selector_picks_the_node(api: httpx.Client) -> None:
    create(api, pod("pinned", nodeSelector={"kubernetes.io/hostname": "fakeapi-worker2"}))
    assert node_of(api, "pinned") == "fakeapi-worker2"


def test_tolerating_the_control_plane_taint(api: httpx.Client) -> None:
    create(api, pod("on-cp", nodeSelector={CP: ""},
                    tolerations=[{"key": CP, "operator": "Exists", "effect": "NoSchedule"}]))
    assert node_of(api, "on-cp") == "fakeapi-control-plane"


def test_pods_spread_over_the_workers(api: httpx.Client) -> None:
    before = Counter(p["spec"].get("nodeName") for p in api.get("/api/v1/pods").json()["items"])
    for i in range(4):
        create(api, pod(f"spread-{i}", containers=requesting(cpu="100m")))
    placed = Counter(node_of(api, f"spread-{i}") for i in range(4))
    assert set(placed) == {"fakeapi-worker", "fakeapi-worker2"}, (before, placed)


def test_unschedulable_pod_gets_condition_and_failed_scheduling_event(api: httpx.Client) -> None:
    create(api, pod("too-big", containers=requesting(cpu="5")))
    cond = wait_for(lambda: [c for c in get(api, "too-big")["status"].get("conditions", [])
                             if c["type"] == "PodScheduled"])[0]
    assert cond["status"] == "False" and cond["reason"] == "Unschedulable"
    assert cond["message"].startswith("0/3 nodes are available: ")
    assert f"1 {TAINTED}" in cond["message"] and "2 Insufficient cpu" in cond["message"]
    ev = wait_for(lambda: events(api, "too-big", "FailedScheduling"))[0]
    assert ev["type"] == "Warning" and ev["source"]["component"] == "default-scheduler"
    assert ev["message"] == cond["message"]
    assert get(api, "too-big")["status"]["phase"] == "Pending"
    assert not get(api, "too-big")["spec"].get("nodeName")


def test_unschedulable_message_is_the_schedulers(api: httpx.Client) -> None:
    create(api, pod("too-big-2", containers=requesting(cpu="5")))
    cond = wait_for(lambda: [c for c in get(api, "too-big-2")["status"].get("conditions", [])
                             if c["type"] == "PodScheduled"])[0]
    assert cond["message"] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod.")


def test_pending_pod_is_scheduled_once_capacity_frees_up(api: httpx.Client) -> None:
    sel = {"kubernetes.io/hostname": "fakeapi-worker"}
    create(api, pod("hog", nodeSelector=sel, containers=requesting(cpu="3")))
    assert node_of(api, "hog") == "fakeapi-worker"
    create(api, pod("waiter", nodeSelector=sel, containers=requesting(cpu="3")))
    wait_for(lambda: events(api, "waiter", "FailedScheduling"))
    assert not get(api, "waiter")["spec"].get("nodeName")
    r = api.request("DELETE", "/api/v1/namespaces/default/pods/hog", json={"gracePeriodSeconds": 0})
    assert r.status_code == 200, r.text
    assert node_of(api, "waiter") == "fakeapi-worker"
