from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1.nodes import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 10, tzinfo=timezone.utc)


def node(name: str = "node1", **spec: object) -> dict:
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"node-role.kubernetes.io/control-plane": ""},
                         "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": spec,
            "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True"}],
                       "addresses": [{"type": "InternalIP", "address": "192.168.80.11"},
                                     {"type": "Hostname", "address": "node1"}],
                       "nodeInfo": {"kubeletVersion": "v1.37.0", "osImage": "Ubuntu 24.04 LTS",
                                    "kernelVersion": "6.8.0", "containerRuntimeVersion": "containerd://2.1.0"}}}


def test_create_keeps_kubelet_status_and_defaults_allocatable() -> None:
    obj = ResourceStore(MemoryStorage()).create(RESOURCE, None, node()).obj
    assert obj["status"]["allocatable"] == {"cpu": "4", "memory": "8Gi", "pods": "110"}
    assert obj["status"]["conditions"] == [{"type": "Ready", "status": "True"}]
    assert "generation" not in obj["metadata"]


def test_table() -> None:
    assert TABLE.cells(node(), NOW) == ["node1", "Ready", "control-plane", "9d", "v1.37.0", "192.168.80.11", "<none>",
                                        "Ubuntu 24.04 LTS", "6.8.0", "containerd://2.1.0"]
    cordoned = node(unschedulable=True)
    cordoned["status"]["conditions"] = [{"type": "Ready", "status": "Unknown"}]
    cordoned["metadata"]["labels"] = {"kubernetes.io/role": "worker", "node-role.kubernetes.io/infra": ""}
    assert TABLE.cells(cordoned, NOW)[1:3] == ["NotReady,SchedulingDisabled", "infra,worker"]
    bare = {"metadata": {"name": "n"}, "spec": {}, "status": {}}
    assert TABLE.cells(bare, NOW) == ["n", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>",
                                      "<unknown>", "<unknown>", "<unknown>"]


def test_taint_validation() -> None:
    with pytest.raises(StatusError) as exc:
        ResourceStore(MemoryStorage()).create(RESOURCE, None, node(taints=[{"key": "a", "effect": "Sometimes"}]))
    assert exc.value.message == ('Node "node1" is invalid: metadata.taints[0].effect: Unsupported value: "Sometimes": '
                                 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"')
    with pytest.raises(StatusError) as exc:
        ResourceStore(MemoryStorage()).create(RESOURCE, None, node(taints=[{"key": "a", "effect": "NoSchedule"},
                                                                           {"key": "a", "effect": "NoSchedule"}]))
    assert exc.value.message == ('Node "node1" is invalid: metadata.taints[1]: Duplicate value: core.Taint{Key:"a", '
                                 'Value:"", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by '
                                 "key and effect pair")


def test_pod_cidr_may_only_be_set_once() -> None:
    s = ResourceStore(MemoryStorage())
    obj = s.create(RESOURCE, None, node(podCIDR="10.244.0.0/24", podCIDRs=["10.244.0.0/24"])).obj
    new = copy.deepcopy(obj)
    new["spec"]["podCIDRs"] = ["10.244.1.0/24"]
    new["spec"]["podCIDR"] = "10.244.1.0/24"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, None, "node1", new)
    assert exc.value.message == ('Node "node1" is invalid: spec.podCIDRs: Forbidden: node updates may not change '
                                 'podCIDR except from "" to valid')


def test_selectable_fields_and_discovery() -> None:
    assert RESOURCE.strategy.selectable_fields(node(unschedulable=True)) == {
        "metadata.name": "node1", "spec.unschedulable": "true"}
    assert RESOURCE.strategy.selectable_fields(node())["spec.unschedulable"] == "false"
    assert RESOURCE.short_names == ("no",) and not RESOURCE.namespaced
