"""Strategic merge patch (application/strategic-merge-patch+json), applied the way kube-apiserver applies it.

Semantics follow k8s.io/apimachinery/pkg/util/strategicpatch `StrategicMergeMapPatch` (server side:
parallel lists are merged, unmatched nulls ignored), with the Go struct tags replaced by the kind's OpenAPI
schema (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`):
  * maps merge recursively; `null` deletes a key; a value of another JSON type replaces;
  * lists whose strategy includes `merge` merge element-wise by the merge key (lists of maps) or as a
    de-duplicated union (lists of scalars); every other list is replaced;
  * a field whose strategy is `replace` is replaced whole;
  * directives: `$patch: replace|delete` in a map, `$patch: delete|replace` as a list element,
    `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`;
  * element order: patch elements in patch (or `$setElementOrder`) order, server-only elements in
    their original order, interleaved by the original positions; new elements without an order list
    therefore come first, as upstream's mergeSortedSlice puts them.
Deliberate differences: a patch value with no counterpart in the original is merged into an empty value
instead of being copied verbatim, so directives never leak into stored objects (upstream relies on typed
decoding to drop them), and `$deleteFromPrimitiveList` on an absent list is a no-op (upstream stores the
deletion list as the field's value). Fields the schema does not know carry no patch metadata instead of
failing the patch.

Errors carry the apiserver's status (handlers/patch.go interpretStrategicMergePatchError): malformed
directives are 400 BadRequest, lists of lists and retainKeys mismatches 422, anything else the 500 a
plain Go error becomes, with upstream's message text (Go `%v` rendering of maps included).
"""

from __future__ import annotations

from typing import Any

from fakeapi.errors import StatusError, bad_request
from fakeapi.openapi import schemas
from fakeapi.openapi.schemas import Schema
from fakeapi.registry.patch import merge_patch

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ELEMENT_ORDER = "$setElementOrder"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"

ERR_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
ERR_BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
ERR_BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list"
ERR_NO_LIST_OF_LISTS = "lists of lists are not supported"

_MISSING = object()


def smp_for_kind(original: dict[str, Any], patch: Any, group: str, version: str, kind: str) -> dict[str, Any]:
    """Apply `patch` to `original` using the kind's schema; kinds without one get JSON merge patch."""
    found = schemas.definition_for_gvk(group, version, kind)
    if found is None:
        result = merge_patch(original, patch)
        return result if isinstance(result, dict) else {}
    return strategic_merge_patch(original, patch, found[1])


def strategic_merge_patch(original: dict[str, Any], patch: Any, schema: Schema | None) -> dict[str, Any]:
    """A new object: `original` with `patch` applied; neither argument is modified.

    `schema` is the root schema of the object's kind; None means no patch metadata (maps merge, lists
    are replaced).
    """
    if not isinstance(patch, dict):
        raise bad_request("invalid JSON document")
    return _merge_map(_copy(original) if isinstance(original, dict) else {}, _copy(patch), schema)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _strategy(field: Schema | None) -> tuple[str, str | None]:
    """(patch strategy without retainKeys, merge key) of a field, as extractRetainKeysPatchStrategy splits it."""
    info = schemas.list_merge_info(field)
    parts = [p for p in (info.patch_strategy or "").split(",") if p]
    if len(parts) > 2 or (len(parts) == 2 and "retainKeys" not in parts):
        raise _go_error(f"unexpected patch strategy: {_go(parts)}")
    rest = [p for p in parts if p != "retainKeys"]
    return (rest[0] if rest else ""), info.merge_key


def _merge_map(original: dict[str, Any], patch: dict[str, Any], schema: Schema | None) -> dict[str, Any]:
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == "replace":
            del patch[DIRECTIVE]
            return patch
        if directive == "delete":
            return {}
        raise _go_error(f"unknown patch type: {_go_str(directive)} in map: {_go(patch)}")
    _apply_retain_keys(original, patch)
    _apply_set_element_order(original, patch, schema)

    for key in list(patch):
        value = patch[key]
        is_delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            key = _directive_target(key, DELETE_FROM_PRIMITIVE_LIST, ERR_BAD_PRIMITIVE_LIST)
            is_delete_list = True
        if value is None:
            original.pop(key, None)
            continue
        field = schemas.field_schema(schema, key)
        current = original.get(key, _MISSING)
        if current is _MISSING:
            if not is_delete_list:
                original[key] = _fresh(value, field)
            continue
        if _kind(current) != _kind(value):
            original[key] = value
            continue
        strategy, merge_key = _strategy(field)
        if isinstance(current, dict):
            original[key] = value if strategy == "replace" else _merge_map(current, value, field)
        elif isinstance(current, list):
            if strategy == "merge":
                original[key] = _merge_list(current, value, schemas.items_schema(field), merge_key, is_delete_list)
            else:
                original[key] = value
        else:
            original[key] = value
    return original


def _fresh(value: Any, field: Schema | None) -> Any:
    """A patch value that has nothing to merge with, with its directives applied against emptiness."""
    if isinstance(value, dict):
        return _merge_map({}, value, field)
    if isinstance(value, list) and _strategy(field)[0] == "merge":
        items = schemas.items_schema(field)
        return [_merge_map({}, v, items) if isinstance(v, dict) else v
                for v in value if not (isinstance(v, dict) and v.get(DIRECTIVE) in ("delete", "replace"))]
    return value


def _directive_target(key: str, prefix: str, error: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise bad_request(error)
    return rest


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not isinstance(retain, list):
        raise bad_request(ERR_BAD_RETAIN_KEYS)
    keep = {_scalar_key(v) for v in retain if not isinstance(v, (dict, list))}
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if _scalar_key(key) not in keep:
            raise bad_request(ERR_BAD_RETAIN_KEYS)
    for key in list(original):
        if _scalar_key(key) not in keep:
            del original[key]


def _apply_set_element_order(original: dict[str, Any], patch: dict[str, Any], schema: Schema | None) -> None:
    for directive in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(directive)
        if not isinstance(order, list):
            raise _go_error(f"expected a []interface {{}}, but received a {_go_type(order)}")
        key = _directive_target(directive, SET_ELEMENT_ORDER, ERR_BAD_SET_ELEMENT_ORDER)
        current, patched = original.get(key, _MISSING), patch.get(key, _MISSING)
        for value in (current, patched):
            if value is not _MISSING and not isinstance(value, list):
                raise _go_error(f"expected a []interface {{}}, but received a {_go_type(value)}")
        field = schemas.field_schema(schema, key)
        strategy, merge_key = _strategy(field)
        key_name = merge_key or ""
        _validate_order(patched if patched is not _MISSING else [], order, key_name)
        if current is _MISSING and patched is _MISSING:
            continue
        if patched is _MISSING:
            merged = current
        elif current is _MISSING:
            merged = _fresh(patched, field)
        elif strategy == "merge":
            merged = _merge_list(current, patched, schemas.items_schema(field), merge_key, False)
        else:
            merged = patched
        base = current if current is not _MISSING else []
        _element_kind(base, patched if patched is not _MISSING else [])
        in_order, server_only = _partition(merged, order, key_name)
        original[key] = _normalize_order(in_order, server_only, order, base, key_name)
        patch.pop(key, None)


def _validate_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    if not order or not patch_list:
        return
    items = [v for v in patch_list if not _is_delete(v)] if merge_key else patch_list
    i = j = 0
    while i < len(items) and j < len(order):
        if isinstance(items[i], dict) and DIRECTIVE in items[i]:
            i += 1
            continue
        if _same_element(items[i], order[j], merge_key):
            i += 1
        j += 1
    if i < len(items):
        raise _go_error(f"The order in patch list:\n{_go(patch_list)}\n doesn't match "
                        f"{SET_ELEMENT_ORDER} list:\n{_go(order)}\n")


def _merge_list(original: list[Any], patch: list[Any], item_schema: Schema | None, merge_key: str | None,
                is_delete_list: bool) -> list[Any]:
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    if kind != "map":
        if is_delete_list:
            doomed = {_scalar_key(v) for v in patch}
            return [v for v in original if _scalar_key(v) not in doomed]
        merged = _dedupe(original + patch)
        key_name = ""
    else:
        if not merge_key:
            raise _go_error("cannot merge lists without merge key for type struct")
        original, patch = _special_elements(original, patch, merge_key)
        merged = _merge_elements(original, patch, merge_key, item_schema)
        key_name = merge_key
    in_patch, server_only = _partition(merged, patch, key_name)
    return _normalize_order(in_patch, server_only, patch, original, key_name)


def _special_elements(original: list[Any], patch: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    plain: list[Any] = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
            original = [v for v in original if not _key_matches(v, merge_key, item[merge_key])]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise _go_error("merging lists cannot yet be specified in the patch")
        else:
            raise _go_error(f"unknown patch type: {_go_str(directive)} in map: {_go(item)}")
    if replace:
        return plain, []
    return original, plain


def _key_matches(item: Any, merge_key: str, value: Any) -> bool:
    if not isinstance(item, dict):
        raise _go_error("value for key 0 is not a map.")
    return merge_key in item and _scalar_key(item[merge_key]) == _scalar_key(value)


def _merge_elements(original: list[Any], patch: list[Any], merge_key: str, item_schema: Schema | None) -> list[Any]:
    original = list(original)
    for item in patch:
        if merge_key not in item:
            raise _no_merge_key(item, merge_key)
        for index, current in enumerate(original):
            if _key_matches(current, merge_key, item[merge_key]):
                original[index] = _merge_map(current, item, item_schema)
                break
        else:
            original.append(_merge_map({}, item, item_schema))
    return original


def _partition(merged: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    """Split `merged` into the elements present in `by` and the server-only rest, keeping order."""
    if merge_key:
        wanted = set()
        for v in by:
            if isinstance(v, dict) and merge_key in v:
                wanted.add(_scalar_key(v[merge_key]))
        present, rest = [], []
        for item in merged:
            if not isinstance(item, dict):
                raise _go_error(f"expected a map[string]interface {{}}, but received a {_go_type(item)}")
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
            (present if _scalar_key(item[merge_key]) in wanted else rest).append(item)
        return present, rest
    wanted = {_scalar_key(v) for v in by if not isinstance(v, (dict, list))}
    present = [v for v in merged if _scalar_key(v) in wanted]
    rest = [v for v in merged if _scalar_key(v) not in wanted]
    return present, rest


def _normalize_order(patch_items: list[Any], server_only: list[Any], patch_order: list[Any],
                     server_order: list[Any], merge_key: str) -> list[Any]:
    patch_items = _sort_by(patch_items, patch_order, merge_key)
    server_only = _sort_by(server_only, server_order, merge_key)
    merged: list[Any] = []
    i = j = 0
    while i < len(server_only) or j < len(patch_items):
        if j >= len(patch_items):
            merged.append(server_only[i])
            i += 1
        elif i >= len(server_only):
            merged.append(patch_items[j])
            j += 1
        else:
            left = _index(server_order, server_only[i], merge_key)
            right = _index(server_order, patch_items[j], merge_key)
            if left >= 0 and right >= 0 and left < right:
                merged.append(server_only[i])
                i += 1
            else:
                merged.append(patch_items[j])
                j += 1
    return merged


def _sort_by(items: list[Any], order: list[Any], merge_key: str) -> list[Any]:
    if merge_key:
        for item in [*items, *order]:
            if not isinstance(item, dict):
                raise _go_error(f"expected a map[string]interface {{}}, but received a {_go_type(item)}")
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
        kept = [v for v in items if not _is_delete(v)]
        deleted = [v for v in items if _is_delete(v)]
    else:
        kept, deleted = items, []
    positions = [_index(order, v, merge_key) for v in kept]
    ranked = sorted(range(len(kept)), key=lambda n: (positions[n] < 0, positions[n], n))
    return [kept[n] for n in ranked] + deleted


def _index(items: list[Any], value: Any, merge_key: str) -> int:
    target = _element_identity(value, merge_key)
    for n, item in enumerate(items):
        if _element_identity(item, merge_key) == target:
            return n
    return -1


def _element_identity(value: Any, merge_key: str) -> Any:
    if merge_key:
        return _scalar_key(value.get(merge_key)) if isinstance(value, dict) else None
    return _scalar_key(value)


def _same_element(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _scalar_key(left) == _scalar_key(right)
    for item in (left, right):
        if not isinstance(item, dict):
            raise _go_error(f"expected a map[string]interface {{}}, but received a {_go_type(item)}")
        if merge_key not in item:
            raise _no_merge_key(item, merge_key)
    return _scalar_key(left[merge_key]) == _scalar_key(right[merge_key])


def _is_delete(item: Any) -> bool:
    return isinstance(item, dict) and item.get(DIRECTIVE) == "delete"


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for v in values:
        key = _scalar_key(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string"


def _element_kind(*lists: list[Any]) -> str:
    """sliceElementType: every element of every list must share one JSON type, and not be a list."""
    kind = None
    for values in lists:
        for v in values:
            k = _kind(v)
            if kind is None:
                if k == "slice":
                    raise StatusError(422, "Invalid", ERR_NO_LIST_OF_LISTS)
                kind = k
            elif k != kind:
                raise _go_error(f"list element types are not identical: {_go(list(lists))}")
    if kind is None:
        raise _go_error("no elements in any of the given slices")
    return kind


def _scalar_key(value: Any) -> Any:
    """Go interface equality: same dynamic type and value (1 != 1.0 != true)."""
    if isinstance(value, (dict, list)):
        return (_kind(value), repr(value))
    return (_kind(value), value)


def _no_merge_key(item: Any, merge_key: str) -> StatusError:
    return _go_error(f"map: {_go(item)} does not contain declared merge key: {merge_key}")


def _go_error(message: str) -> StatusError:
    """A plain Go error returned by the patch code: the apiserver answers 500 with an empty reason."""
    return StatusError(500, "", message)


def _go_type(value: Any) -> str:
    return {"map": "map[string]interface {}", "slice": "[]interface {}", "nil": "<nil>"}.get(_kind(value), _kind(value))


def _go_str(value: Any) -> str:
    return value if isinstance(value, str) else _go(value)


def _go(value: Any) -> str:
    """fmt's %v of a decoded JSON value: map[a:1 b:[x y]], sorted keys, <nil> for null."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)
