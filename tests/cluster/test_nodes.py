"""Simulated nodes: kind-like names, the control-plane role label and taint, Ready status, nodeInfo, and lease
heartbeats in kube-node-lease."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from fakeapi import KUBE_VERSION
from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.cluster.nodes import (CONTROL_PLANE_ROLE, LEASE_DURATION, NodeSpec, node_object, node_specs,
                                   register_nodes, renew_leases)
from fakeapi.config import Config
from fakeapi.server import Server
from fakeapi.testing import RunningServer

Obj = dict[str, Any]


def test_three_nodes_like_kind() -> None:
    specs = node_specs(3)
    assert [s.name for s in specs] == ["fakeapi-control-plane", "fakeapi-worker", "fakeapi-worker2"]
    assert [s.control_plane for s in specs] == [True, False, False]


@pytest.mark.parametrize("count,names", [(1, ["fakeapi-control-plane"]), (0, ["fakeapi-control-plane"]),
                                         (4, ["fakeapi-control-plane", "fakeapi-worker", "fakeapi-worker2",
                                              "fakeapi-worker3"])])
def test_node_count(count: int, names: list[str]) -> None:
    assert [s.name for s in node_specs(count)] == names


def test_addresses_and_pod_cidrs() -> None:
    spec = NodeSpec("fakeapi-worker", 1, False)
    assert spec.internal_ip == "172.18.0.3"
    assert spec.pod_cidr == "10.244.1.0/24"
    assert spec.pod_ip(1) == "10.244.1.3"
    assert spec.pod_ip(253) == "10.244.1.2"  # wraps inside the /24


def test_control_plane_node_object() -> None:
    obj = node_object(node_specs(3)[0])
    labels = obj["metadata"]["labels"]
    assert labels[CONTROL_PLANE_ROLE] == ""
    assert labels["kubernetes.io/hostname"] == "fakeapi-control-plane"
    assert labels["kubernetes.io/os"] == "linux" and labels["kubernetes.io/arch"] == "amd64"
    assert obj["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    assert obj["spec"]["podCIDR"] == "10.244.0.0/24"


def test_worker_node_object_has_no_role_and_no_taint() -> None:
    obj = node_object(node_specs(3)[1])
    assert CONTROL_PLANE_ROLE not in obj["metadata"]["labels"]
    assert "taints" not in obj["spec"]


def test_node_status() -> None:
    status = node_object(node_specs(3)[2])["status"]
    conds = {c["type"]: c for c in status["conditions"]}
    assert conds["Ready"]["status"] == "True" and conds["Ready"]["reason"] == "KubeletReady"
    assert conds["Ready"]["message"] == "kubelet is posting ready status"
    for t in ("MemoryPressure", "DiskPressure", "PIDPressure"):
        assert conds[t]["status"] == "False"
    assert status["nodeInfo"]["kubeletVersion"] == KUBE_VERSION == "v1.37.0"
    assert status["nodeInfo"]["operatingSystem"] == "linux"
    assert status["nodeInfo"]["containerRuntimeVersion"].startswith("containerd://")
    assert {"type": "InternalIP", "address": "172.18.0.4"} in status["addresses"]
    assert status["allocatable"]["pods"] == "110" and status["capacity"]["cpu"] == "4"


def test_node_identity_is_stable() -> None:
    a, b = node_object(node_specs(3)[1]), node_object(node_specs(3)[1])
    assert a["status"]["nodeInfo"]["machineID"] == b["status"]["nodeInfo"]["machineID"]
    assert a["status"]["nodeInfo"]["machineID"] != node_object(node_specs(3)[2])["status"]["nodeInfo"]["machineID"]


def test_register_and_renew_without_a_loop() -> None:
    server = Server(Config(storage="memory"), controllers=[])
    try:
        ensure_system_namespaces(server.store, server.registry)
        specs = node_specs(2)
        register_nodes(server, specs)
        register_nodes(server, specs)  # idempotent
        nodes = server.registry.lookup("", "v1", "nodes")
        leases = server.registry.lookup("coordination.k8s.io", "v1", "leases")
        assert nodes is not None and leases is not None
        renew_leases(server, specs)
        for spec in specs:
            node = server.storage.get(nodes.key(None, spec.name))
            lease = server.storage.get(leases.key("kube-node-lease", spec.name))
            assert node is not None and lease is not None
            assert lease.obj["spec"]["holderIdentity"] == spec.name
            assert lease.obj["spec"]["leaseDurationSeconds"] == LEASE_DURATION
            ref = lease.obj["metadata"]["ownerReferences"][0]
            assert (ref["kind"], ref["name"], ref["uid"]) == ("Node", spec.name, node.obj["metadata"]["uid"])
        first = server.storage.get(leases.key("kube-node-lease", specs[0].name))
        time.sleep(0.002)
        renew_leases(server, specs)
        second = server.storage.get(leases.key("kube-node-lease", specs[0].name))
        assert first is not None and second is not None
        assert second.obj["spec"]["renewTime"] > first.obj["spec"]["renewTime"]
    finally:
        server.storage.close()


# ---- against a running server -------------------------------------------------------------------------

def test_served_nodes(api: httpx.Client) -> None:
    items = api.get("/api/v1/nodes").json()["items"]
    by_name = {n["metadata"]["name"]: n for n in items}
    assert sorted(by_name) == ["fakeapi-control-plane", "fakeapi-worker", "fakeapi-worker2"]
    cp = by_name["fakeapi-control-plane"]
    assert CONTROL_PLANE_ROLE in cp["metadata"]["labels"]
    assert cp["spec"]["taints"] == [{"key": CONTROL_PLANE_ROLE, "effect": "NoSchedule"}]
    for node in items:
        ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"][0]
        assert ready["status"] == "True"
        assert node["status"]["nodeInfo"]["kubeletVersion"] == "v1.37.0"
        assert node["metadata"]["uid"]


def test_leases_are_renewed(api: httpx.Client) -> None:
    def renew_times() -> dict[str, str]:
        items = api.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases").json()["items"]
        return {lease["metadata"]["name"]: lease["spec"]["renewTime"] for lease in items}

    deadline = time.monotonic() + 3
    first = renew_times()
    while len(first) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
        first = renew_times()
    assert sorted(first) == ["fakeapi-control-plane", "fakeapi-worker", "fakeapi-worker2"]
    # heartbeat every 10 simulated seconds; at speed 50 never less often than once a second
    later = first
    while any(later[n] == first[n] for n in first) and time.monotonic() < deadline + 3:
        time.sleep(0.1)
        later = renew_times()
    assert all(later[n] > first[n] for n in first), (first, later)


def test_nodes_in_kubectl_style_table(api: httpx.Client) -> None:
    r = api.get("/api/v1/nodes", headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    rows = {row["cells"][0]: row["cells"] for row in r.json()["rows"]}
    cols = [c["name"] for c in r.json()["columnDefinitions"]]
    assert rows["fakeapi-control-plane"][cols.index("Status")] == "Ready"
    assert rows["fakeapi-control-plane"][cols.index("Roles")] == "control-plane"
    assert rows["fakeapi-worker"][cols.index("Roles")] == "<none>"
    assert rows["fakeapi-worker"][cols.index("Version")] == "v1.37.0"


def test_servers_one_after_another_in_one_process() -> None:
    for _ in range(2):
        with RunningServer(Config(storage="memory", speed=50)) as running:
            with httpx.Client(base_url=running.url, timeout=10) as client:
                deadline = time.monotonic() + 3
                while len(client.get("/api/v1/nodes").json()["items"]) < 3:
                    assert time.monotonic() < deadline
                    time.sleep(0.02)
