"""Loading and navigating the Kubernetes 1.37 definitions (fakeapi.openapi.schemas)."""

from __future__ import annotations

import subprocess
import sys

from fakeapi.openapi import schemas
from fakeapi.openapi.schemas import Schema


def _def(name: str) -> Schema:
    found = schemas.definition(name)
    assert found is not None
    return found


def _field(schema: Schema | None, name: str) -> Schema:
    found = schemas.field_schema(schema, name)
    assert found is not None
    return found


def test_all_definitions_load() -> None:
    defs = schemas.definitions()
    assert len(defs) >= 800
    assert "io.k8s.api.core.v1.Container" in defs


def test_definition_for_gvk() -> None:
    found = schemas.definition_for_gvk("apps", "v1", "Deployment")
    assert found is not None
    name, schema = found
    assert name == "io.k8s.api.apps.v1.Deployment"
    assert "spec" in schema["properties"]
    assert schemas.definition_for_gvk("", "v1", "Pod") is not None
    assert schemas.definition_for_gvk("autoscaling", "v1", "Scale") is not None
    assert schemas.definition_for_gvk("example.com", "v1", "Widget") is None


def test_resolve_follows_refs() -> None:
    spec = _field(_def("io.k8s.api.apps.v1.Deployment"), "spec")
    assert "$ref" in spec
    assert schemas.resolve(spec) is _def("io.k8s.api.apps.v1.DeploymentSpec")
    assert schemas.resolve({"type": "string"}) == {"type": "string"}


def test_field_schema_walks_properties_and_maps() -> None:
    pod = _def("io.k8s.api.core.v1.Pod")
    spec = _field(pod, "spec")
    container = schemas.items_schema(_field(spec, "containers"))
    assert container is not None
    assert schemas.resolve(container) is _def("io.k8s.api.core.v1.Container")
    labels = _field(_field(pod, "metadata"), "labels")
    assert schemas.types(_field(labels, "any-key")) == {"string"}
    assert schemas.field_schema(spec, "noSuchField") is None
    assert schemas.field_schema(None, "x") is None


def test_list_merge_info() -> None:
    pod_spec = _def("io.k8s.api.core.v1.PodSpec")
    assert schemas.list_merge_info(_field(pod_spec, "containers")) == ("merge", "name", "map", ("name",))
    assert schemas.list_merge_info(_field(pod_spec, "volumes")).patch_strategy == "merge,retainKeys"
    finalizers = _field(_def("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "finalizers")
    assert schemas.list_merge_info(finalizers) == ("merge", None, "set", ())
    strategy = _field(_def("io.k8s.api.apps.v1.DeploymentSpec"), "strategy")
    assert schemas.list_merge_info(strategy).patch_strategy == "retainKeys"
    assert schemas.list_merge_info(None) == (None, None, None, ())


def test_opaque_nodes() -> None:
    revision = _def("io.k8s.api.apps.v1.ControllerRevision")
    assert schemas.is_opaque(_field(revision, "data"))
    assert not schemas.is_opaque(_field(revision, "metadata"))
    assert schemas.is_opaque({"type": "object", "x-kubernetes-preserve-unknown-fields": True})


def test_import_does_not_load_definitions() -> None:
    code = ("import fakeapi.openapi.schemas, fakeapi.openapi.v3, fakeapi.openapi.strict, "
            "fakeapi.registry.strategicpatch as m, sys; "
            "print(m.schemas.definitions.cache_info().currsize, 'kubernetes_validate' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False"]
