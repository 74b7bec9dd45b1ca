"""The ReplicaSet controller against a running simulated cluster: pods from the template with generateName
and a controllerRef, replacement of deleted and failed pods, scale-down preferences, adoption and release,
status counts and events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer
from tests.cluster.workload_api import Api, owner_uids, ready_pod, wait_for

NS = "default"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield Api(running.url)


def replicaset(name: str, replicas: int = 2, **template_spec: Any) -> dict:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name, "tier": "web"}},
                                  "spec": {"containers": [{"name": "app", "image": "nginx"}], **template_spec}}}}


def active(api: Api, name: str) -> list[dict]:
    return [p for p in api.items("pods", NS, f"app={name}") if not p["metadata"].get("deletionTimestamp")]


def settled(api: Api, name: str, replicas: int) -> dict:
    def check() -> dict | None:
        rs = api.get("replicasets", NS, name)
        st = rs["status"]
        pods = active(api, name)
        return rs if (st.get("availableReplicas", 0) == replicas and st["replicas"] == replicas
                      and len(pods) == replicas and all(ready_pod(p) for p in pods)) else None
    return wait_for(check, what=f"replicaset {name} with {replicas} available pods")


def test_pods_come_from_the_template_with_owner_and_events(api: Api) -> None:
    rs = api.create("replicasets", NS, replicaset("frontend", 3))
    rs = settled(api, "frontend", 3)
    pods = active(api, "frontend")
    for pod in pods:
        meta = pod["metadata"]
        assert meta["generateName"] == "frontend-" and meta["name"].startswith("frontend-")
        assert meta["labels"] == {"app": "frontend", "tier": "web"}
        assert meta["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "frontend",
                                            "uid": rs["metadata"]["uid"], "controller": True,
                                            "blockOwnerDeletion": True}]
    assert rs["status"] == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                            "terminatingReplicas": 0, "observedGeneration": 1}
    created = api.messages(NS, "frontend", "SuccessfulCreate")
    assert sorted(created) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)


def test_deleted_and_failed_pods_are_replaced(api: Api) -> None:
    api.create("replicasets", NS, replicaset("healer", 2))
    settled(api, "healer", 2)
    first, second = active(api, "healer")
    assert api.delete("pods", NS, first["metadata"]["name"]).status_code == 200
    api.patch("pods", NS, second["metadata"]["name"], {"status": {"phase": "Failed"}}, subresource="status")

    def replaced() -> list[dict] | None:
        live = [p for p in active(api, "healer") if p["status"].get("phase") != "Failed"]
        names = {p["metadata"]["name"] for p in live}
        return live if len(live) == 2 and not names & {first["metadata"]["name"], second["metadata"]["name"]} \
            else None
    wait_for(replaced, what="two replacement pods")
    failed = api.get("pods", NS, second["metadata"]["name"])
    assert failed is not None and failed["status"]["phase"] == "Failed"
    wait_for(lambda: api.get("replicasets", NS, "healer")["status"]["replicas"] == 2)


def test_scale_down_deletes_unscheduled_pods_first(api: Api) -> None:
    api.create("replicasets", NS, replicaset("picky", 2))
    settled(api, "picky", 2)
    stray = {"metadata": {"name": "picky-stray", "labels": {"app": "picky"}},
             "spec": {"containers": [{"name": "app", "image": "nginx"}], "nodeSelector": {"disk": "none"}}}
    api.create("pods", NS, stray)
    wait_for(lambda: api.find("pods", NS, "picky-stray") is None, what="the unscheduled stray to be deleted")
    assert len(active(api, "picky")) == 2
    assert "Deleted pod: picky-stray" in api.messages(NS, "picky", "SuccessfulDelete")
    api.patch("replicasets", NS, "picky", {"spec": {"replicas": 1}})
    settled(api, "picky", 1)


def test_orphans_are_adopted_and_relabelled_pods_released(api: Api) -> None:
    rs = api.create("replicasets", NS, replicaset("adopter", 1))
    settled(api, "adopter", 1)
    orphan = {"metadata": {"name": "adopter-orphan", "labels": {"app": "adopter"}},
              "spec": {"containers": [{"name": "app", "image": "nginx"}]}}
    api.create("pods", NS, orphan)
    wait_for(lambda: len(active(api, "adopter")) == 1, what="the surplus pod to go")
    rs = api.patch("replicasets", NS, "adopter", {"spec": {"replicas": 2}})
    pods = settled(api, "adopter", 2) and active(api, "adopter")
    assert all(owner_uids(p) == [rs["metadata"]["uid"]] for p in pods)
    leaving = pods[0]["metadata"]["name"]
    api.patch("pods", NS, leaving, {"metadata": {"labels": {"app": "elsewhere"}}})
    released = wait_for(lambda: (p := api.find("pods", NS, leaving)) is not None
                        and not p["metadata"].get("ownerReferences") and p, what="the relabelled pod released")
    assert released["metadata"]["labels"]["app"] == "elsewhere"
    settled(api, "adopter", 2)
    assert leaving not in {p["metadata"]["name"] for p in active(api, "adopter")}


def test_fully_labeled_counts_only_pods_with_every_template_label(api: Api) -> None:
    partial = {"metadata": {"name": "labels-partial", "labels": {"app": "labels"}},
               "spec": {"containers": [{"name": "app", "image": "nginx"}]}}
    api.create("pods", NS, partial)
    wait_for(lambda: ready_pod(api.get("pods", NS, "labels-partial")), what="the partial pod to be ready")
    rs = api.create("replicasets", NS, replicaset("labels", 2))
    rs = settled(api, "labels", 2)
    assert owner_uids(api.get("pods", NS, "labels-partial")) == [rs["metadata"]["uid"]]
    assert rs["status"]["fullyLabeledReplicas"] == 1
    assert len(api.messages(NS, "labels", "SuccessfulCreate")) == 1
