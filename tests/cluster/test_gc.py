"""The garbage collector against a running simulated cluster: Background, Foreground and Orphan propagation
through Deployments, ReplicaSets and pods; dependents of owners that are gone or were replaced (uid
mismatch); several owners; cluster-scoped owners; and the owner -> dependents index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeapi.cluster.workloads.gc import GarbageCollector, Ident
from fakeapi.config import Config
from fakeapi.testing import RunningServer
from tests.cluster.workload_api import Api, deployment, owner_uids, wait_for


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield Api(running.url)


def configmap(name: str, *owners: dict) -> dict:
    refs = [{"apiVersion": o.get("apiVersion", "v1"), "kind": o["kind"], "name": o["metadata"]["name"],
             "uid": o["metadata"]["uid"], **o.get("ref", {})} for o in owners]
    return {"metadata": {"name": name, "ownerReferences": refs}, "data": {"k": "v"}}


def running(api: Api, ns: str, name: str, replicas: int) -> dict:
    return wait_for(lambda: (d := api.find("deployments", ns, name)) and
                    (d.get("status") or {}).get("availableReplicas") == replicas and d,
                    what=f"deployment {name} available")


def test_background_deletion_removes_replicasets_and_pods(api: Api) -> None:
    ns = api.namespace("gc-background")
    api.create("deployments", ns, deployment("web", replicas=2))
    running(api, ns, "web", 2)
    assert api.delete("deployments", ns, "web", "Background").status_code == 200
    assert api.find("deployments", ns, "web") is None
    wait_for(lambda: not api.items("replicasets", ns) and not api.items("pods", ns), what="rs and pods gone")


def test_foreground_deletion_holds_the_owner_until_dependents_are_gone(api: Api) -> None:
    ns = api.namespace("gc-foreground")
    api.create("deployments", ns, deployment("web", replicas=2))
    running(api, ns, "web", 2)
    assert api.delete("deployments", ns, "web", "Foreground").status_code == 200
    held = api.get("deployments", ns, "web")
    assert held is not None and held["metadata"]["deletionTimestamp"]
    assert "foregroundDeletion" in held["metadata"]["finalizers"]
    seen_rs_held = []

    def gone() -> bool:
        rss = api.items("replicasets", ns)
        if rss and rss[0]["metadata"].get("deletionTimestamp"):
            seen_rs_held.append("foregroundDeletion" in rss[0]["metadata"].get("finalizers", []))
        if api.find("deployments", ns, "web") is not None:
            assert api.items("pods", ns) or rss, "owner still held with nothing left to wait for"
            return False
        return True
    wait_for(gone, what="the deployment to go after its dependents")
    assert not api.items("replicasets", ns) and not api.items("pods", ns)
    assert all(seen_rs_held)


def test_orphan_deletion_keeps_dependents_without_the_reference(api: Api) -> None:
    ns = api.namespace("gc-orphan")
    api.create("deployments", ns, deployment("web", replicas=2))
    running(api, ns, "web", 2)
    [rs] = api.items("replicasets", ns)
    assert api.delete("deployments", ns, "web", "Orphan").status_code == 200
    wait_for(lambda: api.find("deployments", ns, "web") is None, what="the orphaning owner to go")
    kept = wait_for(lambda: (r := api.find("replicasets", ns, rs["metadata"]["name"])) and
                    not r["metadata"].get("ownerReferences") and r)
    assert kept["metadata"]["uid"] == rs["metadata"]["uid"]
    pods = api.items("pods", ns)
    assert len(pods) == 2 and all(owner_uids(p) == [rs["metadata"]["uid"]] for p in pods)
    assert api.delete("replicasets", ns, rs["metadata"]["name"], "Orphan").status_code == 200
    wait_for(lambda: api.find("replicasets", ns, rs["metadata"]["name"]) is None)
    wait_for(lambda: all(not p["metadata"].get("ownerReferences") for p in api.items("pods", ns)))
    assert len(api.items("pods", ns)) == 2


def test_dependents_of_missing_or_replaced_owners_are_collected(api: Api) -> None:
    ns = api.namespace("gc-dangling")
    owner = api.create("configmaps", ns, {"metadata": {"name": "owner"}})
    ghost = {"kind": "ConfigMap", "metadata": {"name": "ghost", "uid": "00000000-0000-0000-0000-000000000000"}}
    api.create("configmaps", ns, configmap("orphan-of-ghost", ghost))
    stale = {"kind": "ConfigMap", "metadata": {"name": "owner", "uid": "11111111-1111-1111-1111-111111111111"}}
    api.create("configmaps", ns, configmap("wrong-uid", stale))
    api.create("configmaps", ns, configmap("kept", {**owner, "kind": "ConfigMap"}))
    wait_for(lambda: api.find("configmaps", ns, "orphan-of-ghost") is None, what="dependent of a missing owner")
    wait_for(lambda: api.find("configmaps", ns, "wrong-uid") is None, what="dependent of a replaced owner")
    assert api.find("configmaps", ns, "kept") is not None


def test_a_dependent_with_another_owner_only_loses_the_reference(api: Api) -> None:
    ns = api.namespace("gc-two-owners")
    first = api.create("configmaps", ns, {"metadata": {"name": "first"}})
    second = api.create("configmaps", ns, {"metadata": {"name": "second"}})
    api.create("configmaps", ns, configmap("shared", {**first, "kind": "ConfigMap"}, {**second, "kind": "ConfigMap"}))
    api.delete("configmaps", ns, "first")
    shared = wait_for(lambda: (c := api.find("configmaps", ns, "shared")) and len(owner_uids(c)) == 1 and c,
                      what="the reference to the deleted owner removed")
    assert owner_uids(shared) == [second["metadata"]["uid"]]
    api.delete("configmaps", ns, "second")
    wait_for(lambda: api.find("configmaps", ns, "shared") is None)


def test_cluster_scoped_owners_of_namespaced_dependents(api: Api) -> None:
    ns = api.namespace("gc-cluster-owner")
    pv = {"metadata": {"name": "gc-pv"}, "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                                                  "hostPath": {"path": "/tmp/gc"}}}
    r = api.http.post("/api/v1/persistentvolumes", json=pv)
    assert r.status_code == 201, r.text
    owner = {**r.json(), "kind": "PersistentVolume"}
    api.create("configmaps", ns, configmap("by-pv", owner))
    assert api.find("configmaps", ns, "by-pv") is not None
    api.http.delete("/api/v1/persistentvolumes/gc-pv")
    wait_for(lambda: api.find("configmaps", ns, "by-pv") is None, what="the dependent of a deleted PV")


def test_foreground_waits_only_for_blocking_dependents(api: Api) -> None:
    ns = api.namespace("gc-blocking")
    owner = api.create("configmaps", ns, {"metadata": {"name": "owner", "finalizers": []}})
    blocker = {**owner, "kind": "ConfigMap", "ref": {"blockOwnerDeletion": True}}
    api.create("configmaps", ns, {**configmap("blocker", blocker),
                                  "metadata": {**configmap("blocker", blocker)["metadata"],
                                               "finalizers": ["example.com/hold"]}})
    api.delete("configmaps", ns, "owner", "Foreground")
    held = wait_for(lambda: (b := api.find("configmaps", ns, "blocker")) and b["metadata"].get("deletionTimestamp")
                    and b, what="the blocking dependent to be deleted")
    assert held["metadata"]["finalizers"] == ["example.com/hold"]
    assert api.find("configmaps", ns, "owner") is not None
    api.patch("configmaps", ns, "blocker", {"metadata": {"finalizers": None}})
    wait_for(lambda: api.find("configmaps", ns, "owner") is None, what="the owner released")


def test_index_follows_owner_references() -> None:
    gc = GarbageCollector.__new__(GarbageCollector)
    gc.dependents, gc.owners, gc.alive, gc.deleting = {}, {}, set(), {}
    gc.queue = type("Q", (), {"add": lambda self, key: None})()
    dep = {"metadata": {"name": "d", "namespace": "ns", "uid": "u-d", "ownerReferences": [{"uid": "u-a"}]}}
    gc.observe("/registry/configmaps/", dep, deleted=False)
    ident = Ident("/registry/configmaps/", "ns", "d", "u-d")
    assert gc.dependents == {"u-a": {ident}}
    dep["metadata"]["ownerReferences"] = [{"uid": "u-b"}]
    gc.observe("/registry/configmaps/", dep, deleted=False)
    assert gc.dependents == {"u-b": {ident}}
    gc.observe("/registry/configmaps/", dep, deleted=True)
    assert gc.dependents == {} and gc.owners == {} and "u-d" not in gc.alive
