from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.apps_v1.controllerrevisions import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage

OWNER = {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "u1", "controller": True}


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def revision(**body: object) -> dict:
    return {"metadata": {"name": "web-7d4b9c8f5", "namespace": "default", "ownerReferences": [OWNER]},
            "data": {"spec": {"template": {}}}, "revision": 1, **body}


def test_create_has_no_generation() -> None:
    obj = store().create(RESOURCE, "default", revision()).obj
    assert "generation" not in obj["metadata"] and "status" not in obj


def test_data_is_required_and_immutable() -> None:
    s = store()
    with pytest.raises(StatusError) as exc:
        s.create(RESOURCE, "default", {**revision(), "data": None})
    assert exc.value.message == ('ControllerRevision.apps "web-7d4b9c8f5" is invalid: '
                                 "data: Required value: data is mandatory")
    obj = s.create(RESOURCE, "default", revision()).obj
    new = copy.deepcopy(obj)
    new["data"] = {"spec": {"x": 1}}
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web-7d4b9c8f5", new)
    assert exc.value.message.endswith('data: Invalid value: {"spec":{"x":1}}: field is immutable')


def test_negative_revision() -> None:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", revision(revision=-1))
    assert exc.value.message.endswith("revision: Invalid value: -1: must be greater than or equal to 0")


def test_table() -> None:
    obj = revision(revision=3)
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    assert TABLE.cells(obj, datetime(2025, 1, 1, 0, 2, tzinfo=timezone.utc)) == [
        "web-7d4b9c8f5", "statefulset.apps/web", 3, "2m"]
    obj["metadata"]["ownerReferences"] = []
    assert TABLE.cells(obj, datetime(2025, 1, 1, tzinfo=timezone.utc))[1] == "<none>"
    assert [c.name for c in TABLE.columns] == ["Name", "Controller", "Revision", "Age"]
