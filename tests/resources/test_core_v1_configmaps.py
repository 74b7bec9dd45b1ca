from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.configmaps import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage

KEY_MSG = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
           "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def cm(**body: object) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "demo", "namespace": "default"}, **body}


def test_invalid_key() -> None:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", cm(data={"bad key": "x"}))
    assert exc.value.message == f'ConfigMap "demo" is invalid: data[bad key]: Invalid value: "bad key": {KEY_MSG}'


def test_key_in_both_bags() -> None:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", cm(data={"a": "1"}, binaryData={"a": "MQ=="}))
    assert exc.value.message == 'ConfigMap "demo" is invalid: data[a]: Invalid value: "a": duplicate of key present in binaryData'


def test_immutable_configmap() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", cm(data={"a": "1"}, immutable=True)).obj
    assert "generation" not in obj["metadata"]
    new = copy.deepcopy(obj)
    new["data"]["a"] = "2"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "demo", new)
    assert exc.value.message == 'ConfigMap "demo" is invalid: data: Forbidden: field is immutable when `immutable` is set'


def test_table() -> None:
    obj = cm(data={"a": "1", "b": "2"}, binaryData={"c": "Mw=="})
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    cells = TABLE.cells(obj, datetime(2025, 1, 1, 0, 0, 30, tzinfo=timezone.utc))
    assert cells == ["demo", 3, "30s"] and isinstance(cells[1], int)
    assert [c.name for c in TABLE.columns] == ["Name", "Data", "Age"]
    assert RESOURCE.short_names == ("cm",)
