from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.networking_v1.ingressclasses import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def klass(controller: str = "k8s.io/ingress-nginx", **spec: object) -> dict:
    return {"metadata": {"name": "nginx"}, "spec": {"controller": controller, **spec}}


def test_create_defaults_parameter_scope() -> None:
    params = {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}
    obj = ResourceStore(MemoryStorage()).create(RESOURCE, None, klass(parameters=params)).obj
    assert obj["spec"]["parameters"]["scope"] == "Cluster"
    assert obj["metadata"]["generation"] == 1
    assert "namespace" not in obj["metadata"]


@pytest.mark.parametrize(("controller", "expected"), [
    ("", "spec.controller: Required value"),
    ("nginx", 'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'),
])
def test_controller(controller: str, expected: str) -> None:
    with pytest.raises(StatusError) as exc:
        ResourceStore(MemoryStorage()).create(RESOURCE, None, klass(controller))
    assert exc.value.message == f'IngressClass.networking.k8s.io "nginx" is invalid: {expected}'


def test_controller_is_immutable() -> None:
    s = ResourceStore(MemoryStorage())
    obj = s.create(RESOURCE, None, klass()).obj
    new = copy.deepcopy(obj)
    new["spec"]["controller"] = "example.com/other"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, None, "nginx", new)
    assert exc.value.message.endswith('spec.controller: Invalid value: "example.com/other": field is immutable')


def test_table() -> None:
    obj = klass(parameters={"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "lb"})
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    assert TABLE.cells(obj, datetime(2025, 1, 1, 0, 0, 1, tzinfo=timezone.utc)) == [
        "nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/lb", "1s"]
    assert TABLE.cells(klass(), datetime(2025, 1, 1, tzinfo=timezone.utc))[2] == "<none>"
    assert not RESOURCE.namespaced
