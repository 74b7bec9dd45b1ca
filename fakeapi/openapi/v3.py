"""The /openapi/v3 discovery index and per-group-version OpenAPI 3.0 documents, built from plain data.

Why it matters (kube-api-contract §1.6): kubectl apply/create/replace ask the document whether the PATCH
operation of a GVK declares the `fieldValidation` query parameter (then they send `fieldValidation=Strict`
instead of validating client-side), client-side apply builds its strategic merge patch from
`components.schemas` when the PATCH op accepts `application/strategic-merge-patch+json`, and
`kubectl explain` renders field documentation from `components.schemas`, finding the kind by its
`x-kubernetes-group-version-kind` list.

Contract:
  build_index([(group, version, resources), ...]) -> {"paths": {"api/v1": {"serverRelativeURL":
      "/openapi/v3/api/v1?hash=<HASH>"}, "apis/apps/v1": {...}}}
  document_bytes(group, version, resources) -> the JSON document (cached per input); HASH is the
      upper-case SHA-512 of exactly these bytes, so it changes whenever the document does (client-go's
      HTTP cache keys on the URL).
The documents mirror the shape of k8s `api/openapi-spec/v3/*.json`: collection, item, status and scale
paths, operations carrying `x-kubernetes-action` and `x-kubernetes-group-version-kind`, and the component
schemas converted from the JSON-Schema definitions (single `type`, `$ref` -> `#/components/schemas/<name>`,
a `$ref` with siblings wrapped in `allOf` as kube-openapi does).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from fakeapi.openapi import schemas
from fakeapi.openapi.schemas import Schema

COMPONENTS_PREFIX = "#/components/schemas/"
ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
PATCH_TYPES = ("application/apply-patch+yaml", "application/json-patch+json",
               "application/merge-patch+json", "application/strategic-merge-patch+json")
_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_SCALE = "io.k8s.api.autoscaling.v1.Scale"
_SCALE_GVK = {"group": "autoscaling", "kind": "Scale", "version": "v1"}
_RESPONSE_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
_DROPPED_KEYWORDS = frozenset({"$schema", "$id", "$defs", "$anchor", "$comment", "const", "examples",
                               "unevaluatedProperties", "prefixItems", "dependentRequired"})


@dataclass(frozen=True)
class ResourceSpec:
    plural: str
    kind: str
    namespaced: bool
    subresources: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS


def gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def build_index(gvs: Iterable[tuple[str, str, Sequence[ResourceSpec]]]) -> dict[str, Any]:
    paths = {}
    for group, version, resources in gvs:
        key = gv_path(group, version)
        paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={document_hash(group, version, resources)}"}
    return {"paths": paths}


def document_hash(group: str, version: str, resources: Sequence[ResourceSpec]) -> str:
    return _cached(group, version, tuple(resources))[1]


def document_bytes(group: str, version: str, resources: Sequence[ResourceSpec]) -> bytes:
    return _cached(group, version, tuple(resources))[0]


@functools.lru_cache(maxsize=64)
def _cached(group: str, version: str, resources: tuple[ResourceSpec, ...]) -> tuple[bytes, str]:
    data = orjson.dumps(build_document(group, version, resources), option=orjson.OPT_SORT_KEYS)
    return data, hashlib.sha512(data).hexdigest().upper()


def build_document(group: str, version: str, resources: Sequence[ResourceSpec]) -> dict[str, Any]:
    roots = {_META + "DeleteOptions", _META + "Status", _META + "Patch", _META + "APIResourceList"}
    paths: dict[str, Any] = {}
    prefix = "/" + gv_path(group, version)
    tag = _tag(group, version)
    paths[prefix + "/"] = {"get": {
        "description": "get available resources", "operationId": f"get{_op_group(group, version)}APIResources",
        "responses": _responses({"200": "OK"}, _ref(_META + "APIResourceList")), "tags": [tag]}}
    for res in resources:
        found = schemas.definition_for_gvk(group, version, res.kind)
        list_found = schemas.definition_for_gvk(group, version, res.kind + "List")
        for name in (found, list_found):
            if name is not None:
                roots.add(name[0])
        if "scale" in res.subresources:
            roots.add(_SCALE)
        paths.update(_resource_paths(prefix, tag, group, version, res,
                                     found[0] if found else None, list_found[0] if list_found else None))
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "unversioned"},
        "paths": paths,
        "components": {"schemas": {name: convert_definition(name) for name in sorted(reachable(roots))}},
    }


def reachable(roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = [r for r in roots if schemas.definition(r) is not None]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(r for r in _refs(schemas.definitions()[name]) if r not in seen and schemas.definition(r))
    return seen


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(schemas.REF_PREFIX):
            yield ref[len(schemas.REF_PREFIX):]
        for key, value in node.items():
            if not key.startswith("x-") and key not in ("enum", "required", "description"):
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def convert_definition(name: str) -> Schema:
    definition = schemas.definitions()[name]
    converted = convert(definition)
    if name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
        converted = {**converted, "format": "int-or-string"}
    if "x-kubernetes-group-version-kind" in definition:
        for field in ("apiVersion", "kind"):
            prop = converted.get("properties", {}).get(field)
            if prop is not None and "enum" in prop:
                converted["properties"][field] = {k: v for k, v in prop.items() if k != "enum"}
    return converted


def convert(node: Any) -> Any:
    """JSON-Schema node -> OpenAPI 3.0 node; `x-*` extensions, descriptions and enums are kept verbatim."""
    if isinstance(node, list):
        return [convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    ref = None
    for key, value in node.items():
        if key in _DROPPED_KEYWORDS:
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith(schemas.REF_PREFIX):
            ref = COMPONENTS_PREFIX + value[len(schemas.REF_PREFIX):]
        elif key == "type":
            out["type"] = _single_type(value)
        elif key == "properties" and isinstance(value, dict):
            out["properties"] = {name: convert(prop) for name, prop in value.items()}
        elif key.startswith("x-") or key in ("enum", "required", "description", "default"):
            out[key] = value
        else:
            out[key] = convert(value)
    if ref is None:
        return out
    if not out:
        return {"$ref": ref}
    return {"allOf": [{"$ref": ref}], **out}


def _single_type(value: Any) -> Any:
    if isinstance(value, list):
        concrete = [t for t in value if t != "null"]
        return concrete[0] if concrete else "object"
    return value


def _ref(name: str | None) -> Schema:
    return {"$ref": COMPONENTS_PREFIX + name} if name else {"type": "object"}


def _op_group(group: str, version: str) -> str:
    parts = group.removesuffix(".k8s.io").split(".") if group else ["core"]
    return "".join(p[:1].upper() + p[1:] for p in parts) + version[:1].upper() + version[1:]


def _tag(group: str, version: str) -> str:
    parts = group.removesuffix(".k8s.io").split(".") if group else ["core"]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:]) + "_" + version


def _param(name: str, where: str, type_: str, description: str, required: bool = False) -> dict[str, Any]:
    param: dict[str, Any] = {"description": description, "in": where, "name": name,
                             "schema": {"type": type_, "uniqueItems": True}}
    if required:
        param["required"] = True
    return param


_QUERY_PARAMS = (
    ("allowWatchBookmarks", "boolean", 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
    ("continue", "string", "The continue token of a previous paginated list call."),
    ("dryRun", "string", "When present, indicates that modifications should not be persisted. "
                         "Valid values are: - All: all dry run stages will be processed"),
    ("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these "
                               "changes. It is required for apply requests (application/apply-patch)."),
    ("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."),
    ("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request "
                                  "(POST/PUT/PATCH) containing unknown or duplicate fields: Ignore, Warn (the "
                                  "default) or Strict (fail the request with a BadRequest error)."),
    ("force", "boolean", 'Force is going to "force" Apply requests: the applier re-acquires conflicting fields. '
                         "It must be unset for non-apply patch requests."),
    ("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted."),
    ("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
    ("limit", "integer", "limit is a maximum number of responses to return for a list call."),
    ("orphanDependents", "boolean", "Deprecated: please use the PropagationPolicy."),
    ("propagationPolicy", "string", "Whether and how garbage collection will be performed: 'Orphan', "
                                    "'Background' or 'Foreground'."),
    ("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be "
                                  "served from."),
    ("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list "
                                       "calls."),
    ("sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true` to begin the "
                                     "watch stream with synthetic events for the current state."),
    ("timeoutSeconds", "integer", "Timeout for the list/watch call."),
    ("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add, "
                         "update, and remove notifications."),
    ("pretty", "string", "If 'true', then the output is pretty printed."),
)
_P = {name: _param(name, "query", type_, text) for name, type_, text in _QUERY_PARAMS}
_P["namespace"] = _param("namespace", "path", "string", "object name and auth scope, such as for teams and projects",
                         True)
_LIST_PARAMS = ("allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
                "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch")
_DELETE_COLLECTION_PARAMS = ("continue", "dryRun", "fieldSelector", "gracePeriodSeconds", "labelSelector", "limit",
                             "orphanDependents", "propagationPolicy", "resourceVersion", "resourceVersionMatch",
                             "sendInitialEvents", "timeoutSeconds")
_WRITE_PARAMS = ("dryRun", "fieldManager", "fieldValidation")
_DELETE_PARAMS = ("dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy")


def _responses(codes: dict[str, str], schema: Schema, content_types: Sequence[str] = _RESPONSE_TYPES) -> dict[str, Any]:
    out: dict[str, Any] = {code: {"content": {t: {"schema": schema} for t in content_types}, "description": text}
                           for code, text in codes.items()}
    out["401"] = {"description": "Unauthorized"}
    return out


def _body(schema: Schema, content_types: Sequence[str] = ("*/*",), required: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"content": {t: {"schema": schema} for t in content_types}}
    if required:
        body["required"] = True
    return body


def _op(action: str, description: str, op_id: str, tag: str, gvk: dict[str, str], params: Sequence[str],
        responses: dict[str, Any], body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"description": description, "operationId": op_id}
    if params:
        op["parameters"] = [_P[p] for p in params]
    if body is not None:
        op["requestBody"] = body
    op.update({"responses": responses, "tags": [tag], "x-kubernetes-action": action,
               "x-kubernetes-group-version-kind": gvk})
    return op


def _resource_paths(prefix: str, tag: str, group: str, version: str, res: ResourceSpec,
                    kind_def: str | None, list_def: str | None) -> dict[str, Any]:
    kind, verbs = res.kind, set(res.verbs)
    gvk = {"group": group, "kind": kind, "version": version}
    og = _op_group(group, version)
    scope = "Namespaced" if res.namespaced else ""
    base = f"{prefix}/namespaces/{{namespace}}/{res.plural}" if res.namespaced else f"{prefix}/{res.plural}"
    scope_params = [_P["namespace"]] if res.namespaced else []
    obj, status, patch_schema = _ref(kind_def), _ref(_META + "Status"), _ref(_META + "Patch")
    patch_types = PATCH_TYPES if kind_def else tuple(t for t in PATCH_TYPES if "strategic" not in t)
    out: dict[str, Any] = {}

    collection: dict[str, Any] = {}
    if "list" in verbs:
        collection["get"] = _op("list", f"list or watch objects of kind {kind}", f"list{og}{scope}{kind}", tag, gvk,
                                _LIST_PARAMS, _responses({"200": "OK"}, _ref(list_def),
                                                         (*_RESPONSE_TYPES, "application/json;stream=watch")))
    if "create" in verbs:
        collection["post"] = _op("post", f"create a {kind}", f"create{og}{scope}{kind}", tag, gvk, _WRITE_PARAMS,
                                 _responses({"200": "OK", "201": "Created", "202": "Accepted"}, obj), _body(obj))
    if "deletecollection" in verbs:
        collection["delete"] = _op("deletecollection", f"delete collection of {kind}",
                                   f"delete{og}Collection{scope}{kind}", tag, gvk, _DELETE_COLLECTION_PARAMS,
                                   _responses({"200": "OK"}, status),
                                   _body(_ref(_META + "DeleteOptions"), required=False))
    if collection:
        collection["parameters"] = [*scope_params, _P["pretty"]]
        out[base] = collection
    if res.namespaced and "list" in verbs:
        out[f"{prefix}/{res.plural}"] = {
            "get": _op("list", f"list or watch objects of kind {kind}", f"list{og}{kind}ForAllNamespaces", tag, gvk,
                       (), _responses({"200": "OK"}, _ref(list_def),
                                      (*_RESPONSE_TYPES, "application/json;stream=watch"))),
            "parameters": [_P[p] for p in _LIST_PARAMS] + [_P["pretty"]]}

    name_param = _param("name", "path", "string", f"name of the {kind}", True)
    item_params = [name_param, *scope_params, _P["pretty"]]
    item: dict[str, Any] = {}
    if "get" in verbs:
        item["get"] = _op("get", f"read the specified {kind}", f"read{og}{scope}{kind}", tag, gvk, (),
                          _responses({"200": "OK"}, obj))
    if "update" in verbs:
        item["put"] = _op("put", f"replace the specified {kind}", f"replace{og}{scope}{kind}", tag, gvk,
                          _WRITE_PARAMS, _responses({"200": "OK", "201": "Created"}, obj), _body(obj))
    if "patch" in verbs:
        item["patch"] = _op("patch", f"partially update the specified {kind}", f"patch{og}{scope}{kind}", tag, gvk,
                            (*_WRITE_PARAMS, "force"), _responses({"200": "OK", "201": "Created"}, obj),
                            _body(patch_schema, patch_types))
    if "delete" in verbs:
        item["delete"] = _op("delete", f"delete a {kind}", f"delete{og}{scope}{kind}", tag, gvk, _DELETE_PARAMS,
                             _responses({"200": "OK", "202": "Accepted"}, status),
                             _body(_ref(_META + "DeleteOptions"), required=False))
    if item:
        item["parameters"] = item_params
        out[f"{base}/{{name}}"] = item

    for sub in res.subresources:
        if sub == "status":
            out[f"{base}/{{name}}/status"] = _subresource_item(og, scope, kind, "Status", tag, gvk, obj,
                                                               patch_schema, patch_types, item_params)
        elif sub == "scale":
            out[f"{base}/{{name}}/scale"] = _subresource_item(og, scope, kind, "Scale", tag, _SCALE_GVK,
                                                              _ref(_SCALE), patch_schema, PATCH_TYPES, item_params)
    return out


def _subresource_item(og: str, scope: str, kind: str, suffix: str, tag: str, gvk: dict[str, str], obj: Schema,
                      patch_schema: Schema, patch_types: Sequence[str], params: list[dict[str, Any]]) -> dict[str, Any]:
    what = f"{suffix.lower()} of the specified {kind}"
    return {
        "get": _op("get", f"read {what}", f"read{og}{scope}{kind}{suffix}", tag, gvk, (),
                   _responses({"200": "OK"}, obj)),
        "patch": _op("patch", f"partially update {what}", f"patch{og}{scope}{kind}{suffix}", tag, gvk,
                     (*_WRITE_PARAMS, "force"), _responses({"200": "OK", "201": "Created"}, obj),
                     _body(patch_schema, patch_types)),
        "put": _op("put", f"replace {what}", f"replace{og}{scope}{kind}{suffix}", tag, gvk, _WRITE_PARAMS,
                   _responses({"200": "OK", "201": "Created"}, obj), _body(obj)),
        "parameters": params,
    }
