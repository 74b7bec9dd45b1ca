from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.discovery_v1.endpointslices import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def slice_(**body: object) -> dict:
    return {"metadata": {"name": "web-abc", "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
            "addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}], "ports": [{"port": 80}], **body}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message.removeprefix('EndpointSlice.discovery.k8s.io "web-abc" is invalid: ')


def test_defaults_and_generation() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", slice_()).obj
    assert obj["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
    assert obj["metadata"]["generation"] == 1
    moved = copy.deepcopy(obj)
    moved["endpoints"][0]["addresses"] = ["10.0.0.2"]
    obj = s.update(RESOURCE, "default", "web-abc", moved).obj
    assert obj["metadata"]["generation"] == 2
    annotated = copy.deepcopy(obj)
    annotated["metadata"]["annotations"] = {"a": "b"}
    obj = s.update(RESOURCE, "default", "web-abc", annotated).obj
    assert obj["metadata"]["generation"] == 2
    relabelled = copy.deepcopy(obj)
    relabelled["metadata"]["labels"]["x"] = "y"
    assert s.update(RESOURCE, "default", "web-abc", relabelled).obj["metadata"]["generation"] == 3


@pytest.mark.parametrize(("body", "expected"), [
    ({"addressType": None}, "addressType: Required value"),
    ({"addressType": "IP"}, 'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'),
    ({"endpoints": [{"addresses": []}]}, "endpoints[0].addresses: Required value: must contain at least 1 address"),
    ({"endpoints": [{"addresses": ["fe80::1"]}]},
     'endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address'),
    ({"ports": [{"port": 80, "protocol": "HTTP"}]},
     'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'),
    ({"ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}]},
     'ports[1].name: Duplicate value: "http"'),
])
def test_errors(body: dict, expected: str) -> None:
    assert error(slice_(**body)) == expected


def test_address_type_is_immutable() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", slice_(endpoints=[])).obj
    new = copy.deepcopy(obj)
    new["addressType"] = "IPv6"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web-abc", new)
    assert exc.value.message.endswith('addressType: Invalid value: "IPv6": field is immutable')


def test_table() -> None:
    obj = slice_(endpoints=[{"addresses": [f"10.0.0.{i}"]} for i in range(1, 6)],
                 ports=[{"port": 80}, {"name": "metrics"}, {}])
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    assert TABLE.cells(obj, datetime(2025, 1, 1, 0, 1, tzinfo=timezone.utc)) == [
        "web-abc", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...", "60s"]
    assert TABLE.cells(slice_(endpoints=[], ports=[]), datetime(2025, 1, 1, tzinfo=timezone.utc))[2:4] == [
        "<unset>", "<unset>"]
    assert [c.name for c in TABLE.columns] == ["Name", "AddressType", "Ports", "Endpoints", "Age"]
