"""The Kubernetes 1.37 type definitions, loaded once on first use, and a small API to walk them.

Source: `kubernetes_validate/kubernetes-json-schema/v1.37.0-local/_definitions.json` from the
`kubernetes-validate` package, a JSON Schema whose `$defs` hold every built-in definition
(`io.k8s.api.core.v1.Pod`, ...) with descriptions, `required` and the `x-kubernetes-*` extensions that
drive strategic merge patch (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`) and
server-side apply (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`). Types are JSON-Schema style
(`["string", "null"]`) and references read `#/$defs/<name>`.

Loading takes ~10 ms and 1.7 MB, so it happens on first use, never at import: server start-up must stay
cheap. The file is located with importlib's package spec rather than `importlib.resources.files`, which
would execute the package's `__init__` and with it jsonschema (~80 ms) for nothing. Schemas are returned as
the shared, cached dicts; callers must treat them as read-only.

Navigation contract: a "schema" is any node of that document. `field_schema` and `items_schema` return
the *raw* child node, which may be a `$ref` carrying its own siblings (the patch extensions live on the
property, not on the referenced definition); every function here accepts such a node and resolves it.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any, NamedTuple

import orjson

Schema = dict[str, Any]

REF_PREFIX = "#/$defs/"
_PACKAGE = "kubernetes_validate"
_RESOURCE = ("kubernetes-json-schema", "v1.37.0-local", "_definitions.json")

# Definitions whose content is arbitrary JSON although the schema says only "object" (or nothing):
# the Go types decode them with custom unmarshalers, so the apiserver reports no unknown fields inside.
OPAQUE_DEFINITIONS = frozenset({
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
})


class ListMergeInfo(NamedTuple):
    patch_strategy: str | None
    merge_key: str | None
    list_type: str | None
    list_map_keys: tuple[str, ...]


@functools.cache
def definitions() -> dict[str, Schema]:
    document = orjson.loads(_definitions_file().read_bytes())
    defs: dict[str, Schema] = document["$defs"]
    return defs


def _definitions_file() -> Path:
    # find_spec locates the package without executing its __init__, which imports jsonschema (~80 ms).
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {_PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*_RESOURCE)


def definition(name: str) -> Schema | None:
    return definitions().get(name)


@functools.cache
def _gvk_index() -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, schema in definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            index.setdefault((gvk.get("group", ""), gvk["version"], gvk["kind"]), name)
    return index


def definition_for_gvk(group: str, version: str, kind: str) -> tuple[str, Schema] | None:
    name = _gvk_index().get((group, version, kind))
    if name is None:
        return None
    return name, definitions()[name]


def ref_name(schema: Schema) -> str | None:
    """The definition name a `$ref` node points to (also through a one-element `allOf`)."""
    ref = schema.get("$ref")
    if ref is None:
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            ref = all_of[0].get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        return ref[len(REF_PREFIX):]
    return None


def resolve(schema: Schema) -> Schema:
    """Follow `$ref` chains to the definition; a node without a reference is returned as is."""
    seen: set[str] = set()
    while True:
        name = ref_name(schema)
        if name is None or name in seen:
            return schema
        seen.add(name)
        target = definition(name)
        if target is None:
            return schema
        schema = target


def types(schema: Schema) -> frozenset[str]:
    """The JSON types a node allows, without "null"; empty when the node does not say."""
    t = resolve(schema).get("type")
    if isinstance(t, str):
        return frozenset((t,)) - {"null"}
    if isinstance(t, list):
        return frozenset(x for x in t if x != "null")
    return frozenset()


def is_opaque(schema: Schema) -> bool:
    """True when any JSON is accepted below this node (no field can be unknown there)."""
    if schema.get("x-kubernetes-preserve-unknown-fields") is True:
        return True
    name = ref_name(schema)
    if name is not None and name in OPAQUE_DEFINITIONS:
        return True
    target = resolve(schema)
    if target.get("x-kubernetes-preserve-unknown-fields") is True:
        return True
    return not target.get("type") and "properties" not in target and "items" not in target \
        and "additionalProperties" not in target and "oneOf" not in target


def properties(schema: Schema) -> dict[str, Schema]:
    props = resolve(schema).get("properties")
    return props if isinstance(props, dict) else {}


def additional_properties(schema: Schema) -> Schema | None:
    extra = resolve(schema).get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def field_schema(schema: Schema | None, field: str) -> Schema | None:
    """The schema of `field` in an object node: a declared property, else the map's value schema."""
    if schema is None:
        return None
    props = properties(schema)
    if field in props:
        return props[field]
    return additional_properties(schema)


def items_schema(schema: Schema | None) -> Schema | None:
    if schema is None:
        return None
    items = resolve(schema).get("items")
    return items if isinstance(items, dict) else None


def list_merge_info(schema: Schema | None) -> ListMergeInfo:
    """(x-kubernetes-patch-strategy, x-kubernetes-patch-merge-key, list-type, list-map-keys) of a node.

    The strategy is the raw tag value, which may combine strategies: `merge,retainKeys`.
    """
    if schema is None:
        return ListMergeInfo(None, None, None, ())
    target = resolve(schema)

    def ext(key: str) -> Any:
        return schema.get(key, target.get(key))

    return ListMergeInfo(ext("x-kubernetes-patch-strategy"), ext("x-kubernetes-patch-merge-key"),
                         ext("x-kubernetes-list-type"), tuple(ext("x-kubernetes-list-map-keys") or ()))
