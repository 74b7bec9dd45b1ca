"""The DaemonSet controller against a running simulated cluster (one control-plane node with the
NoSchedule taint and two workers): one pod per eligible node, pinned by node affinity and carrying the
daemon tolerations, nodes that join or change labels, rolling updates with maxUnavailable or maxSurge,
failed pods, ControllerRevisions and status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakeapi.cluster.workloads.daemonset import should_run
from fakeapi.config import Config
from fakeapi.testing import RunningServer
from tests.cluster.workload_api import Api, owner_uids, ready_pod, wait_for

WORKERS = ["fakeapi-worker", "fakeapi-worker2"]
ALL_NODES = ["fakeapi-control-plane", *WORKERS]
DAEMON_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield Api(running.url)


def daemonset(name: str, **pod_spec: Any) -> dict:
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "agent", "image": "node-exporter:v1"}],
                                           **pod_spec}}}}


def nodes_of(api: Api, ns: str, name: str) -> list[str]:
    return sorted(p["spec"].get("nodeName", "") for p in api.items("pods", ns, f"app={name}")
                  if not p["metadata"].get("deletionTimestamp"))


def targets(api: Api, ns: str, name: str) -> list[str]:
    """The node each live pod is pinned to by its required node affinity."""
    out = []
    for pod in api.items("pods", ns, f"app={name}"):
        if pod["metadata"].get("deletionTimestamp"):
            continue
        terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        out.append(terms["nodeSelectorTerms"][0]["matchFields"][0]["values"][0])
    return sorted(out)


def rolled(api: Api, ns: str, name: str, count: int) -> dict:
    def check() -> dict | None:
        ds = api.get("daemonsets", ns, name)
        st = ds.get("status") or {}
        return ds if (st.get("desiredNumberScheduled") == count and st.get("numberAvailable") == count
                      and st.get("updatedNumberScheduled") == count and st.get("currentNumberScheduled") == count
                      and st.get("observedGeneration") == ds["metadata"]["generation"]
                      and len(nodes_of(api, ns, name)) == count) else None
    return wait_for(check, what=f"daemonset {name} on {count} nodes")


def test_one_pod_per_worker_pinned_by_affinity(api: Api) -> None:
    ns = api.namespace("ds-basic")
    created = api.create("daemonsets", ns, daemonset("agent"))
    ds = rolled(api, ns, "agent", 2)
    assert nodes_of(api, ns, "agent") == WORKERS
    [revision] = api.items("controllerrevisions", ns)
    pod_hash = revision["metadata"]["labels"]["controller-revision-hash"]
    assert revision["metadata"]["name"] == f"agent-{pod_hash}" and revision["revision"] == 1
    for pod in api.items("pods", ns, "app=agent"):
        node = pod["spec"]["nodeName"]
        assert pod["metadata"]["generateName"] == "agent-"
        assert pod["metadata"]["labels"] == {"app": "agent", "controller-revision-hash": pod_hash,
                                             "pod-template-generation": "1"}
        assert pod["spec"]["affinity"] == {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}}
        assert [t for t in pod["spec"]["tolerations"] if t["key"].startswith("node.kubernetes.io/")
                and t.get("operator") == "Exists" and "tolerationSeconds" not in t] == DAEMON_TOLERATIONS
        assert owner_uids(pod) == [created["metadata"]["uid"]]
    assert ds["status"] == {"currentNumberScheduled": 2, "numberMisscheduled": 0, "desiredNumberScheduled": 2,
                            "numberReady": 2, "observedGeneration": 1, "updatedNumberScheduled": 2,
                            "numberAvailable": 2}
    assert len(api.messages(ns, "agent", "SuccessfulCreate")) == 2


def test_tolerating_the_control_plane_taint_runs_there_too(api: Api) -> None:
    ns = api.namespace("ds-everywhere")
    toleration = [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]
    api.create("daemonsets", ns, daemonset("everywhere", tolerations=toleration))
    rolled(api, ns, "everywhere", 3)
    assert nodes_of(api, ns, "everywhere") == ALL_NODES


def test_node_labels_and_new_nodes_change_where_pods_run(api: Api) -> None:
    ns = api.namespace("ds-selector")
    api.create("daemonsets", ns, daemonset("ssd", nodeSelector={"disk": "ssd"}))
    assert api.get("daemonsets", ns, "ssd")["status"]["desiredNumberScheduled"] == 0
    api.http.patch("/api/v1/nodes/fakeapi-worker", json={"metadata": {"labels": {"disk": "ssd"}}},
                   headers={"Content-Type": "application/merge-patch+json"})
    wait_for(lambda: nodes_of(api, ns, "ssd") == ["fakeapi-worker"], what="a pod on the labelled node")
    node = {"metadata": {"name": "extra-node", "labels": {"disk": "ssd", "kubernetes.io/hostname": "extra-node"}},
            "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                       "message": "kubelet is posting ready status"}]}}
    assert api.http.post("/api/v1/nodes", json=node).status_code == 201
    try:
        wait_for(lambda: targets(api, ns, "ssd") == ["extra-node", "fakeapi-worker"], what="a pod for the new node")
        api.http.patch("/api/v1/nodes/fakeapi-worker", json={"metadata": {"labels": {"disk": None}}},
                       headers={"Content-Type": "application/merge-patch+json"})
        wait_for(lambda: targets(api, ns, "ssd") == ["extra-node"], what="the pod on the unlabelled node to go")
        assert "fakeapi-worker" not in nodes_of(api, ns, "ssd")
    finally:
        api.http.delete("/api/v1/nodes/extra-node")


def test_rolling_update_replaces_one_node_at_a_time(api: Api) -> None:
    ns = api.namespace("ds-rolling")
    api.create("daemonsets", ns, daemonset("roll"))
    rolled(api, ns, "roll", 2)
    api.patch("daemonsets", ns, "roll", {"spec": {"template": {"spec": {"containers": [
        {"name": "agent", "image": "node-exporter:v2"}]}}}}, kind="strategic")
    ds = rolled(api, ns, "roll", 2)
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    revisions = sorted((r["revision"], r["metadata"]["labels"]["controller-revision-hash"])
                       for r in api.items("controllerrevisions", ns))
    assert [n for n, _ in revisions] == [1, 2]
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in api.items("pods", ns, "app=roll")} == \
        {revisions[1][1]}
    steps = [e["reason"] for e in sorted(api.events(ns, "roll"), key=lambda e: int(e["metadata"]["resourceVersion"]))
             if e["reason"] in ("SuccessfulCreate", "SuccessfulDelete")]
    assert steps == ["SuccessfulCreate", "SuccessfulCreate", "SuccessfulDelete", "SuccessfulCreate",
                     "SuccessfulDelete", "SuccessfulCreate"]


def test_surge_update_starts_the_new_pod_before_stopping_the_old(api: Api) -> None:
    ns = api.namespace("ds-surge")
    ds = daemonset("surge")
    ds["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    api.create("daemonsets", ns, ds)
    rolled(api, ns, "surge", 2)
    api.patch("daemonsets", ns, "surge", {"spec": {"template": {"spec": {"containers": [
        {"name": "agent", "image": "node-exporter:v2"}]}}}}, kind="strategic")
    rolled(api, ns, "surge", 2)
    steps = [e["reason"] for e in sorted(api.events(ns, "surge"), key=lambda e: int(e["metadata"]["resourceVersion"]))
             if e["reason"] in ("SuccessfulCreate", "SuccessfulDelete")]
    assert steps == ["SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate", "SuccessfulDelete",
                     "SuccessfulCreate", "SuccessfulDelete"]


def test_failed_daemon_pods_are_replaced(api: Api) -> None:
    ns = api.namespace("ds-failed")
    api.create("daemonsets", ns, daemonset("heal"))
    rolled(api, ns, "heal", 2)
    victim = api.items("pods", ns, "app=heal")[0]
    api.patch("pods", ns, victim["metadata"]["name"], {"status": {"phase": "Failed"}}, subresource="status")
    wait_for(lambda: api.find("pods", ns, victim["metadata"]["name"]) is None, what="the failed pod to be removed")
    rolled(api, ns, "heal", 2)
    assert all(ready_pod(p) for p in api.items("pods", ns, "app=heal"))
    warning = api.messages(ns, "heal", "FailedDaemonPod")
    assert warning == [f"Found failed daemon pod {ns}/{victim['metadata']['name']} on node "
                       f"{victim['spec']['nodeName']}, will try to kill it"]


def test_should_run_respects_taints_affinity_and_node_name() -> None:
    node: dict[str, Any] = {"metadata": {"name": "n1", "labels": {"zone": "a"}},
            "spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoExecute"}]}}
    assert should_run(daemonset("x"), node) == (False, False)
    tolerant = daemonset("x", tolerations=[{"key": "dedicated", "operator": "Equal", "value": "db"}])
    assert should_run(tolerant, node) == (True, True)
    node["spec"]["taints"] = [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]
    assert should_run(daemonset("x"), node) == (False, True)
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["b"]}]}]}}}
    assert should_run(daemonset("x", affinity=affinity, tolerations=tolerant["spec"]["template"]["spec"][
        "tolerations"]), node) == (False, False)
    assert should_run(daemonset("x", nodeName="n2"), node) == (False, False)
    node["spec"] = {"unschedulable": True, "taints": [{"key": "node.kubernetes.io/unschedulable",
                                                       "effect": "NoSchedule"}]}
    assert should_run(daemonset("x"), node) == (True, True)
