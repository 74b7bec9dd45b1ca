from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.secrets import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def secret(**body: object) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default"}, **body}


def message(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message


def test_type_defaults_to_opaque_and_string_data_folds_into_data() -> None:
    obj = store().create(RESOURCE, "default", secret(data={"a": "eA=="}, stringData={"b": "hello"})).obj
    assert obj["type"] == "Opaque"
    assert obj["data"] == {"a": "eA==", "b": "aGVsbG8="}
    assert "stringData" not in obj


def test_dockerconfigjson_seed() -> None:
    config = ("ewoJImF1dGhzIjogewoJCSIxOTIuMTY4LjE5NS44MCI6IHsKCQkJImF1dGgiOiAiWVdSdGFXNDZTR0Z5WW05eU1USXpORFU9Igo"
              "JCX0KCX0sCgkiSHR0cEhlYWRlcnMiOiB7CgkJIlVzZXItQWdlbnQiOiAiRG9ja2VyLUNsaWVudC8xOS4wMy41IChsaW51eCkiCgl9Cn0=")
    obj = store().create(RESOURCE, "default", secret(type="kubernetes.io/dockerconfigjson",
                                                     data={".dockerconfigjson": config})).obj
    assert obj["type"] == "kubernetes.io/dockerconfigjson"
    assert message(secret(type="kubernetes.io/dockerconfigjson", data={})) == (
        'Secret "s" is invalid: data[.dockerconfigjson]: Required value')
    assert message(secret(type="kubernetes.io/dockerconfigjson", data={".dockerconfigjson": "eA=="})) == (
        'Secret "s" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": '
        "invalid character 'x' looking for beginning of value")


def test_required_keys_per_type() -> None:
    assert message(secret(type="kubernetes.io/tls", data={"tls.crt": "eA=="})) == (
        'Secret "s" is invalid: data[tls.key]: Required value')
    assert message(secret(type="kubernetes.io/basic-auth")) == (
        'Secret "s" is invalid: [data[username]: Required value, data[password]: Required value]')
    assert message(secret(type="kubernetes.io/service-account-token")) == (
        'Secret "s" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value')


def test_invalid_key() -> None:
    assert message(secret(data={"a/b": "eA=="})).startswith(
        'Secret "s" is invalid: data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric')


def test_type_is_immutable() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", secret(data={"a": "eA=="})).obj
    new = copy.deepcopy(obj)
    new["type"] = "kubernetes.io/tls"
    new["data"] = {"tls.crt": "eA==", "tls.key": "eA=="}
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "s", new)
    assert exc.value.message == 'Secret "s" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable'


def test_table_and_selectable_fields() -> None:
    obj = secret(type="Opaque", data={"a": "eA==", "b": "eQ=="})
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    assert TABLE.cells(obj, datetime(2025, 1, 1, 0, 5, tzinfo=timezone.utc)) == ["s", "Opaque", 2, "5m"]
    assert [c.name for c in TABLE.columns] == ["Name", "Type", "Data", "Age"]
    assert RESOURCE.strategy.selectable_fields(obj) == {"metadata.name": "s", "metadata.namespace": "default",
                                                        "type": "Opaque"}
    assert RESOURCE.selectable_fields == ("type",) and RESOURCE.short_names == ()
