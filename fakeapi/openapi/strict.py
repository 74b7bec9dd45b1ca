"""Unknown-field detection for `?fieldValidation=Strict|Warn`, worded as the apiserver words it.

The apiserver decodes request bodies with sigs.k8s.io/json's strict mode, which reports every field the Go
type does not declare as `unknown field "<path>"`, where the path joins struct fields with `.` and list
indices as `[i]` (`spec.template.spec.containers[0].imagePullPolcy`), in document order, de-duplicated and
capped at 100. Here the Go types are stood in for by the OpenAPI definitions: a field is unknown when the
object schema neither declares it as a property nor is a map (`additionalProperties`: labels,
annotations, data, resources.limits, ...). Nothing below a node that accepts arbitrary JSON
(`x-kubernetes-preserve-unknown-fields`, RawExtension, FieldsV1, apiextensions JSON) is ever unknown.

Wording (k8s.io/apimachinery runtime.NewStrictDecodingError, handlers/create.go transformDecodeError):
  Strict, POST/PUT -> 400 BadRequest
      `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`
  Strict, PATCH    -> 422 Invalid on field `patch` whose detail is `strict_error_message(paths)`
  Warn             -> one `Warning` header per path, text `unknown field "spec.foo"`
"""

from __future__ import annotations

from typing import Any

from fakeapi.errors import StatusError, bad_request
from fakeapi.openapi import schemas
from fakeapi.openapi.schemas import Schema

MAX_ERRORS = 100


def unknown_fields(obj: Any, group: str, version: str, kind: str) -> list[str]:
    """Paths of the fields of `obj` that the kind's schema does not declare; [] for unknown kinds."""
    found = schemas.definition_for_gvk(group, version, kind)
    if found is None:
        return []
    paths: list[str] = []
    _walk(obj, found[1], "", paths)
    return paths


def unknown_fields_in(obj: Any, schema: Schema) -> list[str]:
    """Same as `unknown_fields`, against an explicit schema (a CRD's, a subresource's)."""
    paths: list[str] = []
    _walk(obj, schema, "", paths)
    return paths


def _record(path: str, paths: list[str]) -> None:
    if len(paths) < MAX_ERRORS and path not in paths:
        paths.append(path)


def _walk(value: Any, schema: Schema, path: str, paths: list[str]) -> None:
    if schemas.is_opaque(schema):
        return
    if isinstance(value, dict):
        if "object" not in schemas.types(schema) and not schemas.properties(schema):
            return
        props = schemas.properties(schema)
        extra = schemas.additional_properties(schema)
        for key, child in value.items():
            child_path = f"{path}.{key}" if path else str(key)
            child_schema = props.get(key, extra)
            if child_schema is None:
                _record(child_path, paths)
            else:
                _walk(child, child_schema, child_path, paths)
    elif isinstance(value, list):
        items = schemas.items_schema(schema)
        if items is not None:
            for i, child in enumerate(value):
                _walk(child, items, f"{path}[{i}]", paths)


def unknown_field_message(path: str) -> str:
    """One strict finding; also the text of the Warning header sent for it under fieldValidation=Warn."""
    return f'unknown field "{path}"'


def warnings(paths: list[str]) -> list[str]:
    return [unknown_field_message(p) for p in paths]


def strict_error_message(paths: list[str]) -> str:
    return "strict decoding error: " + ", ".join(unknown_field_message(p) for p in paths)


def decode_error(kind: str, version: str, paths: list[str]) -> StatusError:
    """The 400 a Strict POST/PUT gets: the decoder's error wrapped by transformDecodeError."""
    return bad_request(f'{kind} in version "{version}" cannot be handled as a {kind}: {strict_error_message(paths)}')


def _tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.split("."):
        while "[" in part:
            head, _, rest = part.partition("[")
            if head:
                out.append(head)
            index, _, part = rest.partition("]")
            out.append(int(index))
        if part:
            out.append(part)
    return out


def prune(obj: Any, paths: list[str]) -> None:
    """Drop the fields at `paths` (as `unknown_fields` reports them), as decoding into Go types does."""
    for path in paths:
        tokens = _tokens(path)
        node = obj
        for token in tokens[:-1]:
            try:
                node = node[token]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        last = tokens[-1] if tokens else None
        if isinstance(node, dict) and isinstance(last, str):
            node.pop(last, None)


def drop_empty(obj: Any, group: str, version: str, kind: str) -> None:
    """Go's `omitempty` on decode/encode: an optional map or list that is empty is not stored, so
    `data: {}`, `nodeSelector: {}`, `env: []` vanish as on a real apiserver (structs such as
    `resources: {}` stay, and so do required fields)."""
    found = schemas.definition_for_gvk(group, version, kind)
    if found is not None:
        _drop_empty(obj, found[1])


def _drop_empty(value: Any, schema: Schema) -> None:
    if schemas.is_opaque(schema):
        return
    if isinstance(value, dict):
        props = schemas.properties(schema)
        if props:
            required = set(schemas.resolve(schema).get("required") or ())
            for key in list(value):
                child, child_schema = value[key], props.get(key)
                if child_schema is None:
                    continue
                if (child == {} or child == []) and key not in required and _is_collection(child_schema):
                    del value[key]
                else:
                    _drop_empty(child, child_schema)
        else:
            extra = schemas.additional_properties(schema)
            if extra is not None:
                for child in value.values():
                    _drop_empty(child, extra)
    elif isinstance(value, list):
        items = schemas.items_schema(schema)
        if items is not None:
            for child in value:
                _drop_empty(child, items)


def _is_collection(schema: Schema) -> bool:
    """A map (no declared properties) or a list, as opposed to a struct."""
    types = schemas.types(schema)
    if "array" in types:
        return True
    return "object" in types and not schemas.properties(schema) and schemas.additional_properties(schema) is not None
