"""The StatefulSet controller against a running simulated cluster: ordinal identity, PVCs from claim
templates, OrderedReady versus Parallel, reverse-order scale-down, rolling updates with a partition,
OnDelete, ControllerRevisions and status, and PVC retention."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer
from tests.cluster.workload_api import Api, owner_uids, ready_pod, wait_for

READINESS = {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 15, "periodSeconds": 5}


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield Api(running.url)


def statefulset(name: str, replicas: int = 3, *, probe: bool = False, claims: bool = False, **spec: Any) -> dict:
    container: dict = {"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80, "name": "web"}]}
    if probe:
        container["readinessProbe"] = READINESS
    out: dict = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
                 "spec": {"replicas": replicas, "serviceName": "nginx", "selector": {"matchLabels": {"app": name}},
                          "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}},
                          **spec}}
    if claims:
        out["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "www", "labels": {"kind": "data"}},
                                                "spec": {"accessModes": ["ReadWriteOnce"],
                                                         "resources": {"requests": {"storage": "1Gi"}}}}]
    return out


def pod_names(api: Api, ns: str, name: str) -> list[str]:
    return [p["metadata"]["name"] for p in api.items("pods", ns, f"app={name}")
            if not p["metadata"].get("deletionTimestamp")]


def ready(api: Api, ns: str, name: str, replicas: int) -> dict:
    def check() -> dict | None:
        sts = api.get("statefulsets", ns, name)
        st = sts.get("status") or {}
        return sts if (st.get("readyReplicas") == replicas and st.get("replicas") == replicas
                       and st.get("observedGeneration") == sts["metadata"]["generation"]
                       and st.get("currentRevision") == st.get("updateRevision")
                       and st.get("updatedReplicas") == replicas) else None
    return wait_for(check, what=f"statefulset {name} with {replicas} ready pods")


def test_ordinal_pods_with_identity_storage_and_revision(api: Api) -> None:
    ns = api.namespace("sts-identity")
    created = api.create("statefulsets", ns, statefulset("web", 2, claims=True))
    sts = ready(api, ns, "web", 2)
    [revision] = api.items("controllerrevisions", ns)
    assert sts["status"]["currentRevision"] == revision["metadata"]["name"]
    assert revision["metadata"]["name"].startswith("web-") and revision["revision"] == 1
    assert revision["metadata"]["labels"]["app"] == "web" and "controller.kubernetes.io/hash" in \
        revision["metadata"]["labels"]
    assert owner_uids(revision) == [created["metadata"]["uid"]]
    assert revision["data"]["spec"]["template"]["$patch"] == "replace"
    for ordinal, pod in enumerate(api.items("pods", ns, "app=web")):
        name = f"web-{ordinal}"
        meta, spec = pod["metadata"], pod["spec"]
        assert meta["name"] == name and meta["generateName"] == "web-"
        assert meta["labels"] == {"app": "web", "statefulset.kubernetes.io/pod-name": name,
                                  "apps.kubernetes.io/pod-index": str(ordinal),
                                  "controller-revision-hash": revision["metadata"]["name"]}
        assert spec["hostname"] == name and spec["subdomain"] == "nginx"
        assert {"name": "www", "persistentVolumeClaim": {"claimName": f"www-web-{ordinal}"}} in spec["volumes"]
        assert owner_uids(pod) == [created["metadata"]["uid"]]
    claims = api.items("persistentvolumeclaims", ns)
    assert [c["metadata"]["name"] for c in claims] == ["www-web-0", "www-web-1"]
    assert all(c["metadata"]["labels"] == {"kind": "data", "app": "web"} for c in claims)
    assert all(not c["metadata"].get("ownerReferences") for c in claims)
    assert sts["status"]["availableReplicas"] == 2 and sts["status"]["collisionCount"] == 0
    messages = api.messages(ns, "web")
    assert "create Claim www-web-0 Pod web-0 in StatefulSet web success" in messages
    assert messages.index("create Pod web-0 in StatefulSet web successful") < \
        messages.index("create Pod web-1 in StatefulSet web successful")


def test_ordered_ready_waits_for_each_ordinal(api: Api) -> None:
    ns = api.namespace("sts-ordered")
    api.create("statefulsets", ns, statefulset("web", 3, probe=True))
    wait_for(lambda: "web-0" in pod_names(api, ns, "web"))
    deadline = time.monotonic() + 10
    while True:  # one LIST per round: a consistent snapshot of which pods exist and whether web-0 is Ready
        pods = {p["metadata"]["name"]: p for p in api.items("pods", ns, "app=web")}
        if ready_pod(pods["web-0"]):
            break
        assert sorted(pods) == ["web-0"] and time.monotonic() < deadline
        time.sleep(0.02)
    ready(api, ns, "web", 3)
    created = {p["metadata"]["name"]: p["metadata"]["creationTimestamp"] for p in api.items("pods", ns, "app=web")}
    assert created["web-0"] <= created["web-1"] <= created["web-2"]


def test_parallel_creates_every_ordinal_at_once(api: Api) -> None:
    ns = api.namespace("sts-parallel")
    api.create("statefulsets", ns, statefulset("web", 3, probe=True, podManagementPolicy="Parallel"))
    names = wait_for(lambda: (n := pod_names(api, ns, "web")) == ["web-0", "web-1", "web-2"] and n)
    assert names and not any(ready_pod(p) for p in api.items("pods", ns, "app=web"))
    ready(api, ns, "web", 3)


def test_scale_down_removes_the_highest_ordinal_first(api: Api) -> None:
    ns = api.namespace("sts-scale")
    api.create("statefulsets", ns, statefulset("web", 3, claims=True))
    ready(api, ns, "web", 3)
    api.patch("statefulsets", ns, "web", {"spec": {"replicas": 1}}, subresource="scale")
    ready(api, ns, "web", 1)
    wait_for(lambda: pod_names(api, ns, "web") == ["web-0"])
    deletes = api.messages(ns, "web", "SuccessfulDelete")
    assert deletes == [f"delete Pod web-{n} in StatefulSet web successful" for n in (2, 1)]
    assert len(api.items("persistentvolumeclaims", ns)) == 3


def test_rolling_update_honours_the_partition(api: Api) -> None:
    ns = api.namespace("sts-partition")
    api.create("statefulsets", ns, statefulset("web", 3, updateStrategy={"type": "RollingUpdate",
                                                                        "rollingUpdate": {"partition": 2}}))
    first = ready(api, ns, "web", 3)["status"]["currentRevision"]
    api.patch("statefulsets", ns, "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.26"}]}}}}, kind="strategic")

    def partly() -> dict | None:
        st = api.get("statefulsets", ns, "web")["status"]
        return st if st.get("updatedReplicas") == 1 and st.get("readyReplicas") == 3 else None
    status = wait_for(partly, what="one updated pod")
    assert status["currentRevision"] == first and status["updateRevision"] != first
    assert status["currentReplicas"] == 2
    hashes = {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"]
              for p in api.items("pods", ns, "app=web")}
    assert hashes == {"web-0": first, "web-1": first, "web-2": status["updateRevision"]}
    api.patch("statefulsets", ns, "web", {"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}})
    final = ready(api, ns, "web", 3)["status"]
    assert final["currentRevision"] == status["updateRevision"]
    revisions = sorted((r["revision"], r["metadata"]["name"]) for r in api.items("controllerrevisions", ns))
    assert revisions == [(1, first), (2, status["updateRevision"])]


def test_on_delete_only_updates_recreated_pods(api: Api) -> None:
    ns = api.namespace("sts-ondelete")
    api.create("statefulsets", ns, statefulset("web", 2, updateStrategy={"type": "OnDelete"}))
    first = ready(api, ns, "web", 2)["status"]["currentRevision"]
    api.patch("statefulsets", ns, "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.26"}]}}}}, kind="strategic")
    update = wait_for(lambda: (st := api.get("statefulsets", ns, "web")["status"]).get("updateRevision") != first
                      and st["updateRevision"])
    uid = api.get("pods", ns, "web-1")["metadata"]["uid"]
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in api.items("pods", ns, "app=web")} == {first}
    api.delete("pods", ns, "web-1")
    recreated = wait_for(lambda: (p := api.find("pods", ns, "web-1")) is not None and p["metadata"]["uid"] != uid
                         and ready_pod(p) and p, what="web-1 to come back")
    assert recreated["metadata"]["labels"]["controller-revision-hash"] == update
    assert api.get("pods", ns, "web-0")["metadata"]["labels"]["controller-revision-hash"] == first


def test_claims_outlive_the_set_unless_the_policy_says_delete(api: Api) -> None:
    ns = api.namespace("sts-retention")
    api.create("statefulsets", ns, statefulset("keep", 1, claims=True))
    deleted = statefulset("drop", 1, claims=True, persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete"})
    drop = api.create("statefulsets", ns, deleted)
    ready(api, ns, "keep", 1)
    ready(api, ns, "drop", 1)
    claim = wait_for(lambda: (c := api.find("persistentvolumeclaims", ns, "www-drop-0")) and owner_uids(c) and c)
    assert owner_uids(claim) == [drop["metadata"]["uid"]]
    api.delete("statefulsets", ns, "keep")
    api.delete("statefulsets", ns, "drop")
    wait_for(lambda: not api.items("pods", ns), what="the pods to go")
    wait_for(lambda: api.find("persistentvolumeclaims", ns, "www-drop-0") is None, what="the Delete claim to go")
    assert api.find("persistentvolumeclaims", ns, "www-keep-0") is not None
