"""Simulated nodes: registration with realistic status, and lease heartbeats in kube-node-lease.

`fakeapi serve --nodes N` gives one control-plane node (role label + NoSchedule taint) and N-1 workers,
named like kind's. Each node owns a pod CIDR (10.244.<i>.0/24) and an internal IP (172.18.0.<i+2>).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from fakeapi import KUBE_VERSION
from fakeapi.cluster.clock import SimClock
from fakeapi.cluster.informer import resource
from fakeapi.errors import StatusError
from fakeapi.registry.objectmeta import now_rfc3339

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]
CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane"
LEASE_DURATION = 40
HEARTBEAT_SECONDS = 10.0
CAPACITY = {"cpu": "4", "memory": "16374584Ki", "ephemeral-storage": "102626232Ki", "pods": "110",
            "hugepages-1Gi": "0", "hugepages-2Mi": "0"}
ALLOCATABLE = {**CAPACITY, "cpu": "4", "memory": "16272184Ki"}


@dataclass(frozen=True)
class NodeSpec:
    name: str
    index: int
    control_plane: bool

    @property
    def internal_ip(self) -> str:
        return f"172.18.0.{self.index + 2}"

    @property
    def pod_cidr(self) -> str:
        return f"10.244.{self.index}.0/24"

    def pod_ip(self, n: int) -> str:
        return f"10.244.{self.index}.{(n % 253) + 2}"


def node_specs(count: int, prefix: str = "fakeapi") -> list[NodeSpec]:
    specs = [NodeSpec(f"{prefix}-control-plane", 0, True)]
    for i in range(1, max(1, count)):
        specs.append(NodeSpec(f"{prefix}-worker" + ("" if i == 1 else str(i)), i, False))
    return specs


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def node_object(spec: NodeSpec) -> Obj:
    now = now_rfc3339()
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": spec.name, "kubernetes.io/os": "linux"}
    node_spec: Obj = {"podCIDR": spec.pod_cidr, "podCIDRs": [spec.pod_cidr], "providerID": f"kind://docker/fakeapi/{spec.name}"}
    if spec.control_plane:
        labels[CONTROL_PLANE_ROLE] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        node_spec["taints"] = [{"key": CONTROL_PLANE_ROLE, "effect": "NoSchedule"}]

    def condition(ctype: str, status: str, reason: str, message: str) -> Obj:
        return {"type": ctype, "status": status, "lastHeartbeatTime": now, "lastTransitionTime": now,
                "reason": reason, "message": message}

    return {
        "metadata": {"name": spec.name, "labels": labels,
                     "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": node_spec,
        "status": {
            "capacity": dict(CAPACITY),
            "allocatable": dict(ALLOCATABLE),
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "addresses": [{"type": "InternalIP", "address": spec.internal_ip}, {"type": "Hostname", "address": spec.name}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": _digest("machine", spec.name)[:32], "systemUUID": _digest("uuid", spec.name)[:32],
                "bootID": _digest("boot", spec.name)[:32], "kernelVersion": "6.1.0-28-amd64",
                "osImage": "Debian GNU/Linux 12 (bookworm)", "containerRuntimeVersion": "containerd://2.1.3",
                "kubeletVersion": KUBE_VERSION, "kubeProxyVersion": KUBE_VERSION, "operatingSystem": "linux",
                "architecture": "amd64",
            },
            "images": [],
        },
    }


def micro_time() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def register_nodes(server: Server, specs: list[NodeSpec]) -> None:
    info = resource(server, "", "v1", "nodes")
    for spec in specs:
        if server.storage.get(info.key(None, spec.name)) is None:
            server.store.create(info, None, node_object(spec))


def renew_leases(server: Server, specs: list[NodeSpec]) -> None:
    info = resource(server, "coordination.k8s.io", "v1", "leases")
    nodes = resource(server, "", "v1", "nodes")
    for spec in specs:
        node = server.storage.get(nodes.key(None, spec.name))
        if node is None:
            continue
        renew = micro_time()
        current = server.storage.get(info.key("kube-node-lease", spec.name))
        try:
            if current is None:
                server.store.create(info, "kube-node-lease", {
                    "metadata": {"name": spec.name, "namespace": "kube-node-lease",
                                 "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": spec.name,
                                                      "uid": node.obj["metadata"]["uid"]}]},
                    "spec": {"holderIdentity": spec.name, "leaseDurationSeconds": LEASE_DURATION, "renewTime": renew}})
            else:
                def renew_lease(lease: Obj, renew: str = renew) -> Obj:
                    lease.setdefault("spec", {})["renewTime"] = renew
                    return lease

                server.store.guaranteed_update(info, "kube-node-lease", spec.name, renew_lease)
        except StatusError:
            continue


async def node_heartbeats(server: Server, specs: list[NodeSpec], clock: SimClock) -> None:
    register_nodes(server, specs)
    while True:
        renew_leases(server, specs)
        await clock.sleep(max(HEARTBEAT_SECONDS, clock.speed))
