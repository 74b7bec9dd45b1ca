from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.networking_v1.ingresses import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def path(**overrides: object) -> dict:
    return {"path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "web", "port": {"number": 80}}}, **overrides}


def ingress(*paths: dict, host: str = "example.com", **spec: object) -> dict:
    rules = [{"host": host, "http": {"paths": list(paths or (path(),))}}]
    return {"metadata": {"name": "web", "namespace": "default"}, "spec": {"rules": rules, **spec}}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message.removeprefix('Ingress.networking.k8s.io "web" is invalid: ')


def test_create() -> None:
    obj = store().create(RESOURCE, "default", ingress()).obj
    assert obj["status"] == {"loadBalancer": {}}
    assert obj["metadata"]["generation"] == 1
    assert obj["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "Prefix"


def test_path_type_is_required() -> None:
    bad = path()
    del bad["pathType"]
    assert error(ingress(bad)) == "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"pathType": "Regex"}, 'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: '
                            '"Exact", "ImplementationSpecific", "Prefix"'),
    ({"path": "api"}, 'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'),
    ({"path": "/a//b"}, "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"),
    ({"backend": {}},
     'spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required'),
    ({"backend": {"service": {"name": "web", "port": {}}}},
     "spec.rules[0].http.paths[0].backend: Required value: port name or number is required"),
    ({"backend": {"service": {"name": "web", "port": {"number": 70000}}}},
     "spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, "
     "inclusive"),
])
def test_path_errors(overrides: dict, expected: str) -> None:
    assert error(ingress(path(**overrides))) == expected


def test_rules_or_default_backend() -> None:
    obj = {"metadata": {"name": "web", "namespace": "default"}, "spec": {}}
    assert error(obj) == "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"


def test_host_must_not_be_an_ip() -> None:
    assert error(ingress(host="10.0.0.1")) == ('spec.rules[0].host: Invalid value: "10.0.0.1": '
                                               "must be a DNS name, not an IP address")


def test_wildcard_host() -> None:
    assert store().create(RESOURCE, "default", ingress(host="*.example.com")).obj["spec"]["rules"][0]["host"] == \
        "*.example.com"


def test_class_annotation_conflict() -> None:
    obj = ingress(ingressClassName="nginx")
    obj["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "nginx"}
    assert error(obj) == ('annotations.kubernetes.io/ingress.class: Invalid value: "nginx": '
                          "can not be set when the class field is also set")


def test_generation_on_spec_change() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", ingress()).obj
    new = copy.deepcopy(obj)
    new["spec"]["ingressClassName"] = "nginx"
    assert s.update(RESOURCE, "default", "web", new).obj["metadata"]["generation"] == 2


def test_table() -> None:
    obj = ingress(tls=[{"hosts": ["example.com"], "secretName": "tls"}])
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["status"] = {"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}, {"hostname": "lb.example.com"},
                                                  {"ip": "10.0.0.9"}]}}
    now = datetime(2025, 1, 1, 0, 0, 42, tzinfo=timezone.utc)
    assert TABLE.cells(obj, now) == ["web", "<none>", "example.com", "10.0.0.9,lb.example.com", "80, 443", "42s"]
    obj["spec"] = {"ingressClassName": "nginx",
                   "rules": [{"host": "a"}, {}, {"host": "b"}, {"host": "c"}, {"host": "d"}]}
    obj["status"] = {}
    assert TABLE.cells(obj, now)[1:5] == ["nginx", "a,b,c + 2 more...", "", "80"]
    obj["spec"] = {"defaultBackend": {}}
    assert TABLE.cells(obj, now)[2] == "*"
    assert [c.name for c in TABLE.columns] == ["Name", "Class", "Hosts", "Address", "Ports", "Age"]
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == (("ing",), (), {"status"})
