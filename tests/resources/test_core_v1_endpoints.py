from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.endpoints import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def ep(*subsets: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "web", "namespace": "default", "creationTimestamp": "2025-01-01T00:00:00Z"},
            "subsets": list(subsets)}


def test_port_protocol_defaults_to_tcp() -> None:
    obj = store().create(RESOURCE, "default", ep({"addresses": [{"ip": "10.244.0.5"}], "ports": [{"port": 80}]})).obj
    assert obj["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]


def test_validation() -> None:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", ep({"ports": [{"port": 80}]}))
    assert exc.value.message == ('Endpoints "web" is invalid: subsets[0]: Required value: must specify `addresses` or '
                                 "`notReadyAddresses`")
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", ep({"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 80}]}))
    assert exc.value.message == ('Endpoints "web" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": '
                                 "may not be in the loopback range (127.0.0.0/8, ::1/128)")


def test_table() -> None:
    now = datetime(2025, 1, 1, 0, 1, tzinfo=timezone.utc)
    assert TABLE.cells(ep(), now) == ["web", "<none>", "60s"]
    one = ep({"addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}], "ports": [{"port": 80}, {"port": 443}]})
    assert TABLE.cells(one, now)[1] == "10.244.0.5:80,10.244.0.6:80,10.244.0.5:443 + 1 more..."
    headless = ep({"addresses": [{"ip": "10.244.0.5"}]})
    assert TABLE.cells(headless, now)[1] == "10.244.0.5"
    assert RESOURCE.short_names == ("ep",) and RESOURCE.singular == "endpoints"
