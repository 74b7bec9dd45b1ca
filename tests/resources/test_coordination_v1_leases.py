from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.coordination_v1.leases import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "kube-node-lease"}})
    return s


def lease(**spec: object) -> dict:
    return {"metadata": {"name": "node-1", "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40, **spec}}


def test_renewals_keep_no_generation() -> None:
    s = store()
    obj = s.create(RESOURCE, "kube-node-lease", lease()).obj
    assert "generation" not in obj["metadata"]
    renewed = copy.deepcopy(obj)
    renewed["spec"]["renewTime"] = "2025-01-01T00:00:10.000000Z"
    assert "generation" not in s.update(RESOURCE, "kube-node-lease", "node-1", renewed).obj["metadata"]


def test_errors() -> None:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "kube-node-lease", lease(leaseDurationSeconds=0, leaseTransitions=-1))
    assert exc.value.message == (
        'Lease.coordination.k8s.io "node-1" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be '
        "greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]")


def test_table() -> None:
    obj = lease()
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    now = datetime(2025, 1, 1, 0, 0, 5, tzinfo=timezone.utc)
    assert TABLE.cells(obj, now) == ["node-1", "node-1", "5s"]
    del obj["spec"]["holderIdentity"]
    assert TABLE.cells(obj, now)[1] == ""
    assert [c.name for c in TABLE.columns] == ["Name", "Holder", "Age"]
