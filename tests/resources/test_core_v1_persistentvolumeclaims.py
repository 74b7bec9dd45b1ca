from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.persistentvolumeclaims import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 1, 5, 0, tzinfo=timezone.utc)


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def pvc(**spec: object) -> dict:
    base = {"accessModes": ["ReadWriteOnce"], "storageClassName": "manual", "resources": {"requests": {"storage": "1Gi"}}}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "task-pv-claim", "namespace": "default"}, "spec": base}


def message(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message


def test_defaults() -> None:
    obj = store().create(RESOURCE, "default", pvc()).obj
    assert obj["spec"]["volumeMode"] == "Filesystem"
    assert obj["status"] == {"phase": "Pending"}
    assert obj["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert "generation" not in obj["metadata"]


def test_validation() -> None:
    assert message(pvc(accessModes=[])) == (
        'PersistentVolumeClaim "task-pv-claim" is invalid: spec.accessModes: Required value: at least 1 access mode is required')
    assert message(pvc(resources={})) == (
        'PersistentVolumeClaim "task-pv-claim" is invalid: spec.resources[storage]: Required value')
    assert message(pvc(resources={"requests": {"storage": "-1Gi"}})) == (
        'PersistentVolumeClaim "task-pv-claim" is invalid: spec.resources[storage]: Invalid value: "-1Gi": must be '
        "greater than or equal to 0")


def test_spec_is_immutable_but_bound_claims_may_grow() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", pvc()).obj
    changed = copy.deepcopy(obj)
    changed["spec"]["accessModes"] = ["ReadWriteMany"]
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "task-pv-claim", changed)
    assert exc.value.message == ('PersistentVolumeClaim "task-pv-claim" is invalid: spec: Forbidden: spec is immutable '
                                 "after creation except resources.requests and volumeAttributesClassName for bound claims")
    bind = copy.deepcopy(obj)
    bind["spec"]["volumeName"] = "task-pv-volume"
    bound = s.update(RESOURCE, "default", "task-pv-claim", bind).obj
    bound["status"] = {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}
    bound = s.update(RESOURCE, "default", "task-pv-claim", bound, subresource="status").obj
    grow = copy.deepcopy(bound)
    grow["spec"]["resources"]["requests"]["storage"] = "2Gi"
    assert s.update(RESOURCE, "default", "task-pv-claim", grow).obj["spec"]["resources"]["requests"]["storage"] == "2Gi"


def test_table_matches_kubectl_get_pvc() -> None:
    claim = pvc(volumeName="task-pv-volume", volumeMode="Filesystem")
    claim["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    claim["status"] = {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}
    assert TABLE.cells(claim, NOW) == ["task-pv-claim", "Bound", "task-pv-volume", "1Gi", "RWO", "manual", "<unset>",
                                       "5h", "Filesystem"]
    pending = pvc()
    pending["status"] = {"phase": "Pending"}
    assert TABLE.cells(pending, NOW)[1:5] == ["Pending", "", "", ""]
    assert [c.name for c in TABLE.columns] == ["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                                               "VolumeAttributesClass", "Age", "VolumeMode"]
    assert RESOURCE.short_names == ("pvc",) and RESOURCE.return_deleted_object
