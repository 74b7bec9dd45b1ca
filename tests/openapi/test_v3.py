"""The /openapi/v3 index and per-group-version documents (fakeapi.openapi.v3)."""

from __future__ import annotations

import json
from typing import Any

from fakeapi.openapi import v3

R = v3.ResourceSpec
CORE = (R("pods", "Pod", True, ("status",)), R("configmaps", "ConfigMap", True),
        R("namespaces", "Namespace", False, ("status",)))
APPS = (R("deployments", "Deployment", True, ("status", "scale")),)


def _doc(group: str, version: str, resources: tuple[v3.ResourceSpec, ...]) -> dict[str, Any]:
    return json.loads(v3.document_bytes(group, version, resources))


def test_index_points_at_hashed_documents() -> None:
    index = v3.build_index([("", "v1", CORE), ("apps", "v1", APPS)])
    assert set(index["paths"]) == {"api/v1", "apis/apps/v1"}
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert url == f"/openapi/v3/apis/apps/v1?hash={v3.document_hash('apps', 'v1', APPS)}"
    assert len(url.rsplit("=", 1)[1]) == 128


def test_hash_is_stable_and_content_addressed() -> None:
    assert v3.document_hash("apps", "v1", APPS) == v3.document_hash("apps", "v1", list(APPS))
    other = (R("deployments", "Deployment", True, ("status",)),)
    assert v3.document_hash("apps", "v1", other) != v3.document_hash("apps", "v1", APPS)
    assert v3.document_bytes("apps", "v1", APPS) is v3.document_bytes("apps", "v1", APPS)


def test_patch_operation_declares_field_validation_and_gvk() -> None:
    doc = _doc("apps", "v1", APPS)
    assert doc["openapi"] == "3.0.0" and doc["info"]["title"] == "Kubernetes"
    patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "kind": "Deployment", "version": "v1"}
    assert patch["x-kubernetes-action"] == "patch"
    assert patch["operationId"] == "patchAppsV1NamespacedDeployment"
    names = {p["name"]: p for p in patch["parameters"]}
    assert names["fieldValidation"]["in"] == "query"
    assert {"dryRun", "fieldManager", "force"} <= set(names)
    assert set(patch["requestBody"]["content"]) == set(v3.PATCH_TYPES)


def test_collection_item_status_and_scale_paths() -> None:
    doc = _doc("apps", "v1", APPS)
    paths = doc["paths"]
    base = "/apis/apps/v1/namespaces/{namespace}/deployments"
    assert {"get", "post", "delete"} <= set(paths[base])
    assert paths[base]["get"]["x-kubernetes-action"] == "list"
    assert paths[base]["post"]["x-kubernetes-action"] == "post"
    assert paths[base]["delete"]["x-kubernetes-action"] == "deletecollection"
    assert {"get", "put", "patch", "delete"} <= set(paths[base + "/{name}"])
    assert paths[base + "/{name}/status"]["put"]["x-kubernetes-group-version-kind"]["kind"] == "Deployment"
    scale = paths[base + "/{name}/scale"]["patch"]
    assert scale["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "kind": "Scale", "version": "v1"}
    assert "/apis/apps/v1/deployments" in paths
    core = _doc("", "v1", CORE)
    assert "/api/v1/namespaces/{name}" in core["paths"]
    assert "/api/v1/namespaces/{namespace}/pods/{name}/status" in core["paths"]
    assert core["paths"]["/api/v1/namespaces/{namespace}/pods"]["get"]["operationId"] == "listCoreV1NamespacedPod"


def test_components_carry_descriptions_and_extensions() -> None:
    schemas = _doc("", "v1", CORE)["components"]["schemas"]
    container = schemas["io.k8s.api.core.v1.Container"]
    assert container["description"].startswith("A single application container")
    assert container["type"] == "object"
    assert container["required"] == ["name"]
    containers = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-patch-strategy"] == "merge"
    assert containers["items"] == {"$ref": "#/components/schemas/io.k8s.api.core.v1.Container"}
    metadata = schemas["io.k8s.api.core.v1.Pod"]["properties"]["metadata"]
    assert metadata["allOf"] == [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]
    assert "description" in metadata
    pod = schemas["io.k8s.api.core.v1.Pod"]
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    assert "enum" not in pod["properties"]["kind"]
    assert schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["format"] == "int-or-string"


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_all_refs_resolve_and_types_are_single() -> None:
    for group, version, resources in (("", "v1", CORE), ("apps", "v1", APPS)):
        doc = _doc(group, version, resources)
        components = doc["components"]["schemas"]
        for node in _walk(doc):
            ref = node.get("$ref")
            if ref is not None:
                assert ref.startswith("#/components/schemas/"), ref
                assert ref.removeprefix("#/components/schemas/") in components, ref
            if "type" in node and not isinstance(node.get("type"), dict):
                assert isinstance(node["type"], str), node
        assert "io.k8s.api.apps.v1.DeploymentList" in components or group == ""
        assert "$defs" not in json.dumps(doc)


def test_kind_without_definition_gets_inline_schemas() -> None:
    doc = _doc("example.com", "v1", (R("widgets", "Widget", True),))
    patch = doc["paths"]["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]["patch"]
    assert "application/strategic-merge-patch+json" not in patch["requestBody"]["content"]
    assert patch["responses"]["200"]["content"]["application/json"]["schema"] == {"type": "object"}


def test_verbs_limit_operations() -> None:
    doc = _doc("", "v1", (R("bindings", "Binding", True, verbs=("create",)),))
    paths = doc["paths"]
    assert set(paths["/api/v1/namespaces/{namespace}/bindings"]) == {"post", "parameters"}
    assert "/api/v1/namespaces/{namespace}/bindings/{name}" not in paths
