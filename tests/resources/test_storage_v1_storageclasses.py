from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.storage_v1.storageclasses import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def sc(**body: object) -> dict:
    return {"metadata": {"name": "standard"}, "provisioner": "rancher.io/local-path", **body}


def test_defaults() -> None:
    obj = ResourceStore(MemoryStorage()).create(RESOURCE, None, sc()).obj
    assert (obj["reclaimPolicy"], obj["volumeBindingMode"]) == ("Delete", "Immediate")
    assert "generation" not in obj["metadata"]


@pytest.mark.parametrize(("body", "expected"), [
    ({"provisioner": ""}, "provisioner: Required value"),
    ({"reclaimPolicy": "Recycle"}, 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'),
    ({"volumeBindingMode": "Later"},
     'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'),
])
def test_errors(body: dict, expected: str) -> None:
    with pytest.raises(StatusError) as exc:
        ResourceStore(MemoryStorage()).create(RESOURCE, None, sc(**body))
    assert exc.value.message == f'StorageClass.storage.k8s.io "standard" is invalid: {expected}'


def test_updates_are_limited() -> None:
    s = ResourceStore(MemoryStorage())
    obj = s.create(RESOURCE, None, sc()).obj
    new = copy.deepcopy(obj)
    new.update(provisioner="ebs.csi.aws.com", parameters={"type": "gp3"}, volumeBindingMode="WaitForFirstConsumer")
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, None, "standard", new)
    assert exc.value.message == (
        'StorageClass.storage.k8s.io "standard" is invalid: [parameters: Forbidden: updates to parameters are '
        "forbidden., provisioner: Forbidden: updates to provisioner are forbidden., volumeBindingMode: Invalid "
        'value: "WaitForFirstConsumer": field is immutable]')
    expandable = copy.deepcopy(obj)
    expandable["allowVolumeExpansion"] = True
    assert s.update(RESOURCE, None, "standard", expandable).obj["allowVolumeExpansion"] is True


def test_table() -> None:
    obj = sc(reclaimPolicy="Delete", volumeBindingMode="WaitForFirstConsumer")
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["metadata"]["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    now = datetime(2025, 1, 3, tzinfo=timezone.utc)
    assert TABLE.cells(obj, now) == ["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer",
                                     False, "2d"]
    obj["metadata"]["annotations"] = {"storageclass.beta.kubernetes.io/is-default-class": "false"}
    assert TABLE.cells(obj, now)[0] == "standard"
    assert [c.name for c in TABLE.columns] == ["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                                               "AllowVolumeExpansion", "Age"]
    assert (RESOURCE.short_names, RESOURCE.namespaced) == (("sc",), False)
