"""Server-side apply (`PATCH` with `application/apply-patch+yaml`), as structured-merge-diff's
`Updater.Apply` wrapped by k8s.io/apimachinery's managedfields stack.

`apply_patch(current, applied, ...)` returns the object to store, managedFields included:
- the applied configuration is merged into the live object: maps field by field, map-lists item by item
  on their keys (containers by name), set-lists by value; scalars and atomic lists/maps are replaced;
- what this manager applied last time and no longer applies is removed, unless another manager still
  owns it (or something below it);
- the manager's `operation: Apply` entry becomes exactly the applied field set (apiVersion, kind and
  server-set metadata never count); its `time` moves only when the object changed;
- a field owned by another manager whose value the apply would change is a conflict: 409 with the
  apiserver's wording (`Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using
  apps/v1: .spec.replicas`, several grouped by manager, one `FieldManagerConflict` cause each), unless
  `force`, which moves those fields to the applier; applying an equal value only shares ownership;
- an object that has no managedFields first gets a `before-first-apply` Update entry owning what exists;
- for the manager `kubectl`, conflicts on fields the last-applied-configuration annotation shows as
  client-side applied (and unchanged since) are forced, and the annotation is kept up to date: this is
  how `kubectl apply --server-side` takes over from client-side apply.

The object must be of the URL's kind (`invalid object type: <gvk>`, 400) and carry no managedFields.
Creation when the object does not exist, dry runs and the strategy hooks stay with the ResourceStore.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import yaml

from fakeapi import codec
from fakeapi.errors import StatusCause, StatusError, bad_request, internal
from fakeapi.registry import objectmeta
from fakeapi.registry.options import missing_field_manager
from fakeapi.registry.fieldmanager import (
    KEYED,
    LAST_APPLIED,
    MAP,
    MISSING,
    SET,
    STRUCT,
    UNTYPED,
    Entry,
    FieldSet,
    Managers,
    PathT,
    Shape,
    ShapeError,
    comparable,
    compare,
    encode_managed_fields,
    ignored_fields,
    item_key,
    live_managers,
    path_string,
    root_shape,
    strip_meta,
    to_field_set,
    zero_like,
)

Obj = dict[str, Any]
BEFORE_FIRST_APPLY = "before-first-apply"


class _NoTimestampLoader(yaml.SafeLoader):
    """YAML as sigs.k8s.io/yaml reads it: timestamps stay strings."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode_apply_body(body: bytes) -> Obj:
    """The apply configuration: JSON or YAML; anything but one object is a 400."""
    try:
        value = codec.loads(body)
    except codec.JSONDecodeError:
        try:
            value = yaml.load(body, Loader=_NoTimestampLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise bad_request(f"error decoding YAML: {exc}") from None
    if not isinstance(value, dict):
        kind = "array" if isinstance(value, list) else "string" if isinstance(value, str) else \
            "number" if isinstance(value, (int, float)) else "null" if value is None else "bool"
        raise bad_request("error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot "
                          f"unmarshal {kind} into Go value of type map[string]interface {{}}")
    return value


def _gvk_string(obj: Obj) -> str:
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    group, _, version = (api_version if isinstance(api_version, str) else "").rpartition("/")
    return f"{group}/{version}, Kind={kind if isinstance(kind, str) else ''}"


def conflict_error(conflicts: list[tuple[Entry, PathT]]) -> StatusError:
    """managedfields/internal/conflict.go NewConflictError."""
    conflicts = sorted(conflicts, key=lambda c: c[0].ident_json())
    causes: list[StatusCause] = [{"reason": "FieldManagerConflict", "message": f"conflict with {entry.describe()}",
                                  "field": path_string(path)} for entry, path in conflicts]
    if len(conflicts) == 1:
        entry, path = conflicts[0]
        message = f"Apply failed with 1 conflict: conflict with {entry.describe()}: {path_string(path)}"
    else:
        lines: list[str] = []
        current = None
        for entry, path in conflicts:
            if entry.ident != current:
                current = entry.ident
                lines.append(f"conflicts with {entry.describe()}:")
            lines.append(f"- {path_string(path)}")
        message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return StatusError(409, "Conflict", message, {"causes": causes})


# ---- merge and prune -------------------------------------------------------------------------------

def merge(lhs: Any, rhs: Any, shape: Shape) -> Any:
    """typed.Merge with the applied configuration on the right: the right side wins on leaves."""
    if rhs is MISSING:
        return lhs
    if lhs is MISSING or lhs is None:
        return codec.deepcopy(rhs)
    kind = shape.kind
    if isinstance(lhs, dict) and isinstance(rhs, dict) and kind in (STRUCT, MAP, UNTYPED):
        out = dict(lhs)
        for key, value in rhs.items():
            if value is None:
                out.pop(key, None)
                continue
            child, _ = shape.field(key)
            out[key] = merge(lhs.get(key, MISSING), value, child)
        return out
    if isinstance(lhs, list) and isinstance(rhs, list) and kind in (KEYED, SET):
        return _merge_list(lhs, rhs, shape)
    return codec.deepcopy(rhs)


def _merge_list(lhs: list[Any], rhs: list[Any], shape: Shape) -> list[Any]:
    """Items keep the live order unless the configuration reorders them (typed/merge.go visitListItems)."""
    item_shape = shape.item()
    left: dict[str, Any] = {}
    for item in lhs:
        left.setdefault(item_key(shape, item), item)
    right: dict[str, Any] = {}
    for item in rhs:
        right.setdefault(item_key(shape, item), item)
    l_order, r_order = list(left), list(right)
    shared = [pe for pe in r_order if pe in left]
    next_index = 0
    out: list[Any] = []
    li = ri = 0
    while li < len(l_order) or ri < len(r_order):
        progressed = False
        next_shared = shared[next_index] if next_index < len(shared) else None
        if li < len(l_order) and ri < len(r_order):
            pe = l_order[li]
            if pe == r_order[ri]:
                out.append(merge(left[pe], right[pe], item_shape))
                li += 1
                ri += 1
                next_index += 1
                continue
            if pe in right and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(l_order) and l_order[li] not in right:
            out.append(left[l_order[li]])
            li += 1
            continue
        if ri < len(r_order):
            pe = r_order[ri]
            out.append(merge(left.get(pe, MISSING), right[pe], item_shape))
            ri += 1
            if next_shared == pe:
                next_index += 1
            progressed = True
        if not progressed:
            li += 1
    return out


def _descend(value: Any, pe: str, shape: Shape) -> tuple[Any, Shape]:
    if pe.startswith("f:"):
        if not isinstance(value, dict):
            return MISSING, shape
        child, _ = shape.field(pe[2:])
        return value.get(pe[2:], MISSING), child
    if not isinstance(value, list) or shape.kind not in (KEYED, SET):
        return MISSING, shape
    for item in value:
        try:
            if item_key(shape, item) == pe:
                return item, shape.item()
        except ShapeError:
            continue
    return MISSING, shape


def _remove_path(obj: Obj, path: PathT, shape: Shape) -> None:
    parent: Any = obj
    parent_shape = shape
    for pe in path[:-1]:
        parent, parent_shape = _descend(parent, pe, parent_shape)
        if parent is MISSING:
            return
    last = path[-1]
    if last.startswith("f:"):
        if isinstance(parent, dict):
            parent.pop(last[2:], None)
        return
    if isinstance(parent, list) and parent_shape.kind in (KEYED, SET):
        for index, item in enumerate(parent):
            try:
                if item_key(parent_shape, item) == last:
                    del parent[index]
                    return
            except ShapeError:
                continue


def _prune(merged: Obj, shape: Shape, managers: Managers, applied_full: FieldSet, last: Entry | None) -> None:
    """Remove what the applier owned last time, applies no more, and nobody else claims (in place)."""
    if last is None or last.fields.empty():
        return
    keep = applied_full.nodes()
    for entry in managers.values():
        entry.fields.nodes(out=keep)
    doomed = sorted((p for p in last.fields.nodes() if p not in keep), key=len)
    removed: set[PathT] = set()
    for path in doomed:
        if any(path[:i] in removed for i in range(1, len(path))):
            continue
        _remove_path(merged, path, shape)
        removed.add(path)


def _allowed_by_last_applied(live: Obj, shape: Shape, api_version: str, ignored: frozenset[str]) -> FieldSet | None:
    """Fields the client-side apply annotation declares and that still hold its values."""
    annotations = (live.get("metadata") or {}).get("annotations") or {}
    raw = annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None
    if not raw or not isinstance(raw, str):
        return None
    try:
        last_applied = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(last_applied, dict) or last_applied.get("apiVersion") != api_version:
        return None
    try:
        declared = to_field_set(comparable(last_applied, ignored), shape)
        diff = compare(comparable(last_applied, ignored), comparable(live, ignored), shape)
    except ShapeError:
        return None
    return declared.difference(diff.modified).difference(diff.added).difference(diff.removed)


def _last_applied_annotation(applied: Obj) -> str:
    """buildLastApplied: the configuration without the annotation, as Go's encoding/json writes it."""
    config = codec.deepcopy(applied)
    annotations = (config.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


# ---- apply -----------------------------------------------------------------------------------------

def apply_patch(current: Obj | None, applied: Obj, *, manager: str, force: bool, group: str, version: str,
                kind: str, subresource: str = "", has_status: bool | None = None, now: str | None = None) -> Obj:
    api_version = f"{group}/{version}" if group else version
    if applied.get("apiVersion") != api_version or applied.get("kind") != kind:
        raise bad_request(f"invalid object type: {_gvk_string(applied)}")
    meta = applied.get("metadata")
    if isinstance(meta, dict) and meta.get("managedFields") is not None:
        raise bad_request("metadata.managedFields must be nil")
    if not manager:
        raise missing_field_manager()
    now = now or objectmeta.now_rfc3339()
    shape = root_shape(group, version, kind)
    if has_status is None:
        has_status = shape.kind == STRUCT and "status" in shape.props
    live: Obj = codec.deepcopy(current) if current is not None else {}
    managers = live_managers(live)
    live_meta = live.get("metadata")
    if isinstance(live_meta, dict):
        live_meta.pop("managedFields", None)
    ignored = ignored_fields(live or applied, subresource=subresource, has_status=has_status)
    try:
        return _apply(current is not None, live, managers, applied, shape, manager=manager, force=force,
                      api_version=api_version, subresource=subresource, ignored=ignored, now=now)
    except ShapeError as exc:
        name = (meta or {}).get("name", "") if isinstance(meta, dict) else ""
        namespace = (meta or {}).get("namespace", "") if isinstance(meta, dict) else ""
        raise internal(f"failed to create typed patch object ({namespace}/{name}; {api_version}, Kind={kind}): "
                       f"{exc}") from None


def _apply(exists: bool, live: Obj, managers: Managers, applied: Obj, shape: Shape, *, manager: str, force: bool,
           api_version: str, subresource: str, ignored: frozenset[str], now: str) -> Obj:
    if not managers and exists:
        before = compare(zero_like(comparable(live, ignored), shape), comparable(live, ignored), shape)
        owned = strip_meta(before.changed().difference(before.removed))
        if not owned.empty():
            entry = Entry(BEFORE_FIRST_APPLY, "Update", api_version, subresource, now, owned)
            managers[entry.ident] = entry
    applied_full = to_field_set(comparable(applied, ignored), shape)
    applier = Entry(manager, "Apply", api_version, subresource, None, strip_meta(applied_full))
    last = managers.get(applier.ident)
    managers[applier.ident] = applier
    merged: Obj = merge(live, applied, shape)
    if last is not None:
        merged = codec.deepcopy(merged)
        _prune(merged, shape, managers, applied_full, last)
    diff = compare(comparable(live, ignored), comparable(merged, ignored), shape)
    changed = diff.changed()
    conflicts: list[tuple[Entry, PathT]] = []
    for ident, entry in managers.items():
        if ident != applier.ident:
            conflicts.extend((entry, path) for path in entry.fields.intersection(changed).paths())
    if conflicts and not force:
        allowed = _allowed_by_last_applied(live, shape, api_version, ignored) if manager == "kubectl" else None
        if allowed is not None:
            conflicts = [(e, p) for e, p in conflicts if not allowed.has(p)]
        if conflicts:
            raise conflict_error(conflicts)
    for ident, entry in list(managers.items()):
        if ident == applier.ident:
            continue
        entry.fields = entry.fields.difference(changed).difference(diff.removed)
        if entry.fields.empty():
            del managers[ident]
    object_changed = comparable(merged, frozenset()) != comparable(live, frozenset())
    applier.time = now if object_changed else (last.time if last is not None else None)
    if applier.fields.empty():
        del managers[applier.ident]
    merged_meta = merged.setdefault("metadata", {})
    annotations = merged_meta.get("annotations")
    if manager == "kubectl" and isinstance(annotations, dict) and annotations.get(LAST_APPLIED):
        annotations[LAST_APPLIED] = _last_applied_annotation(applied)
    encoded = encode_managed_fields(managers)
    if encoded:
        merged_meta["managedFields"] = encoded
    else:
        merged_meta.pop("managedFields", None)
    return merged
