"""JSON merge patch (RFC 7386) creation: two-way (`jsonpatch.CreateMergePatch`, used by label/annotate)
and three-way (`jsonmergepatch.CreateThreeWayJSONMergePatch`, used by apply for kinds without strategic
patch metadata, such as custom resources)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def create(original: Any, modified: Any) -> dict[str, Any]:
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return modified  # type: ignore[no-any-return]
    patch: dict[str, Any] = {}
    for key, value in modified.items():
        if key not in original:
            patch[key] = value
        elif isinstance(value, dict) and isinstance(original[key], dict):
            sub = create(original[key], value)
            if sub:
                patch[key] = sub
        elif original[key] != value or type(original[key]) is not type(value):
            patch[key] = value
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch


def _keep_nulls(patch: dict[str, Any], keep: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in patch.items():
        if isinstance(value, dict):
            sub = _keep_nulls(value, keep)
            if sub:
                out[key] = sub
        elif (value is None) == keep:
            out[key] = value
    return out


def apply(target: Any, patch: Any) -> Any:
    """RFC 7386 MergePatch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply(result.get(key), value)
    return result


def three_way(original: dict[str, Any] | None, modified: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    additions = _keep_nulls(create(current, modified), False)
    deletions = _keep_nulls(create(original or {}, modified), True)
    return _merge_keep_null(deletions, additions)


def _merge_keep_null(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_keep_null(out[key], value)
        else:
            out[key] = value
    return out
