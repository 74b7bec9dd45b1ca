from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1.persistentvolumes import RESOURCE, TABLE, access_modes_string
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 1, 5, 0, tzinfo=timezone.utc)


def pv(**spec: object) -> dict:
    base = {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": "manual",
            "hostPath": {"path": "/data"}}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": "task-pv-volume", "labels": {"type": "local"}}, "spec": base}


def test_defaults_status_and_protection_finalizer() -> None:
    obj = ResourceStore(MemoryStorage()).create(RESOURCE, None, pv()).obj
    spec = obj["spec"]
    assert spec["persistentVolumeReclaimPolicy"] == "Retain"
    assert spec["volumeMode"] == "Filesystem"
    assert spec["hostPath"] == {"path": "/data", "type": ""}
    assert obj["status"]["phase"] == "Pending" and obj["status"]["lastPhaseTransitionTime"].endswith("Z")
    assert obj["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]


def test_capacity_is_canonicalized() -> None:
    obj = ResourceStore(MemoryStorage()).create(RESOURCE, None, pv(capacity={"storage": "1024Mi"})).obj
    assert obj["spec"]["capacity"] == {"storage": "1Gi"}


def message(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        ResourceStore(MemoryStorage()).create(RESOURCE, None, obj)
    return exc.value.message


def test_validation() -> None:
    assert message(pv(accessModes=[])) == 'PersistentVolume "task-pv-volume" is invalid: spec.accessModes: Required value'
    assert message(pv(accessModes=["ReadWriteSometimes"])) == (
        'PersistentVolume "task-pv-volume" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": '
        'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"')
    assert message(pv(hostPath=None)) == (
        'PersistentVolume "task-pv-volume" is invalid: spec: Required value: must specify a volume type')
    assert message(pv(capacity={"storage": "0"})) == (
        'PersistentVolume "task-pv-volume" is invalid: spec.capacity[storage]: Invalid value: "0": must be greater than zero')
    assert message(pv(persistentVolumeReclaimPolicy="Keep")) == (
        'PersistentVolume "task-pv-volume" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": '
        'supported values: "Delete", "Recycle", "Retain"')


def test_source_is_immutable() -> None:
    s = ResourceStore(MemoryStorage())
    obj = s.create(RESOURCE, None, pv()).obj
    new = copy.deepcopy(obj)
    new["spec"]["hostPath"]["path"] = "/other"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, None, "task-pv-volume", new)
    assert exc.value.message == ('PersistentVolume "task-pv-volume" is invalid: spec.persistentvolumesource: '
                                 "Forbidden: spec.persistentvolumesource is immutable after creation")


def test_status_write_stamps_phase_transition() -> None:
    s = ResourceStore(MemoryStorage())
    obj = s.create(RESOURCE, None, pv()).obj
    new = copy.deepcopy(obj)
    new["status"] = {"phase": "Available", "lastPhaseTransitionTime": obj["status"]["lastPhaseTransitionTime"]}
    updated = s.update(RESOURCE, None, "task-pv-volume", new, subresource="status").obj
    assert updated["status"]["phase"] == "Available" and "lastPhaseTransitionTime" in updated["status"]


def test_table_matches_kubectl_get_pv() -> None:
    bound = pv(claimRef={"namespace": "default", "name": "task-pv-claim"})
    bound["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    bound["spec"]["persistentVolumeReclaimPolicy"] = "Retain"
    bound["spec"]["volumeMode"] = "Filesystem"
    bound["status"] = {"phase": "Bound"}
    assert TABLE.cells(bound, NOW) == ["task-pv-volume", "1Gi", "RWO", "Retain", "Bound", "default/task-pv-claim",
                                       "manual", "<unset>", "", "5h", "Filesystem"]
    bound["metadata"]["deletionTimestamp"] = "2025-01-01T04:00:00Z"
    assert TABLE.cells(bound, NOW)[4] == "Terminating"
    assert [c.name for c in TABLE.columns] == ["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                                               "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"]
    assert TABLE.columns[-1].priority == 1


def test_access_mode_abbreviations() -> None:
    assert access_modes_string(["ReadWriteOncePod", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOnce"]) == "RWO,ROX,RWX,RWOP"
    assert RESOURCE.short_names == ("pv",) and RESOURCE.return_deleted_object and not RESOURCE.namespaced
