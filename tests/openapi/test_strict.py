"""Unknown-field detection and the apiserver's strict-decoding wording (fakeapi.openapi.strict)."""

from __future__ import annotations

from typing import Any

from fakeapi.openapi import strict


def _deployment(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "any/key": "v"}, "annotations": {"a.b/c": "d"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                       "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}},
                 **spec},
    }


def test_valid_object_has_no_unknown_fields() -> None:
    assert strict.unknown_fields(_deployment(), "apps", "v1", "Deployment") == []


def test_top_level_and_nested_unknown_fields_in_document_order() -> None:
    obj = _deployment(replica=3)
    obj["spec"]["template"]["spec"]["containers"].append({"name": "side", "imagePullPolcy": "Always"})
    obj["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPorts": 1}]
    obj["extra"] = None
    assert strict.unknown_fields(obj, "apps", "v1", "Deployment") == [
        "spec.template.spec.containers[0].ports[0].hostPorts",
        "spec.template.spec.containers[1].imagePullPolcy",
        "spec.replica",
        "extra",
    ]


def test_maps_and_opaque_values_accept_any_key() -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"anything": "x"},
          "binaryData": {"k": "eA=="}}
    assert strict.unknown_fields(cm, "", "v1", "ConfigMap") == []
    revision = {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": "r"},
                "revision": 1, "data": {"whatever": {"nested": [1, 2]}}}
    assert strict.unknown_fields(revision, "apps", "v1", "ControllerRevision") == []
    managed = {"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "c", "managedFields": [{"manager": "m", "fieldsV1": {"f:data": {"f:x": {}}}}]}}
    assert strict.unknown_fields(managed, "", "v1", "ConfigMap") == []


def test_preserve_unknown_fields_schema() -> None:
    schema = {"type": "object", "properties": {
        "spec": {"type": "object", "properties": {"known": {"type": "string"}}},
        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}
    obj = {"spec": {"known": "x", "unknown": 1}, "free": {"a": {"b": 1}}}
    assert strict.unknown_fields_in(obj, schema) == ["spec.unknown"]


def test_unknown_kind_reports_nothing() -> None:
    assert strict.unknown_fields({"spec": {"x": 1}}, "example.com", "v1", "Widget") == []


def test_duplicates_are_reported_once_and_capped() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    obj.update({f"f{i}": i for i in range(150)})
    found = strict.unknown_fields(obj, "", "v1", "ConfigMap")
    assert len(found) == strict.MAX_ERRORS
    assert found[0] == "f0"


def test_messages() -> None:
    paths = ["spec.foo", "spec.bar"]
    assert strict.strict_error_message(paths) == \
        'strict decoding error: unknown field "spec.foo", unknown field "spec.bar"'
    assert strict.warnings(paths) == ['unknown field "spec.foo"', 'unknown field "spec.bar"']
    err = strict.decode_error("Deployment", "v1", ["spec.replica"])
    assert err.code == 400 and err.reason == "BadRequest"
    assert err.message == ('Deployment in version "v1" cannot be handled as a Deployment: '
                           'strict decoding error: unknown field "spec.replica"')
