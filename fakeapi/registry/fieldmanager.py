"""Field ownership (metadata.managedFields) as the apiserver's field manager keeps it.

A field set is a trie in the wire's FieldsV1 form: `f:<field>` for a struct field or map key,
`k:{"name":"nginx"}` for an item of a map-list (keyed by `x-kubernetes-list-map-keys`), `v:"x"` for an
item of a set-list, and `".": {}` inside a node that is itself a member as well as a parent. Atomic lists
and maps (`x-kubernetes-list-type: atomic`, `x-kubernetes-map-type: atomic`) are leaves. List semantics
come from the 1.37 schemas; a list without `x-kubernetes-list-type` falls back to its patch strategy and
merge key, else atomic; kinds without a schema are walked "deduced" (maps granular, lists atomic).

What an Update records (k8s.io/apimachinery managedfields + structured-merge-diff `Updater.Update`):
- the live and the new object are compared; the paths that were added or modified move to the writer's
  `operation: Update` entry (merged with its previous set, `time` bumped), and every path that changed
  or disappeared leaves the other managers' sets; an entry left empty is dropped;
- the writer never owns apiVersion, kind, metadata.{name,namespace,uid,resourceVersion,generation,
  creationTimestamp,selfLink,managedFields}; `status` is ignored on the main resource of kinds with a
  status subresource, and everything but status on `/status`, whose entries carry `subresource: status`;
- a create compares against the kind's zero value, in which the non-pointer structs (spec, template,
  strategy, ...) already exist: that is why `f:spec` has no `"."` but `f:labels` and list items do;
- managedFields sent in the body are honoured (`[{}]` or `[]` resets them); an existing object that has
  none stays untracked; more than 10 Update entries fold the oldest into `ancient-changes`;
- entries are sorted Apply before Update, then by time, manager, apiVersion, subresource.

The same machinery (sets, compare, merge, prune) serves server-side apply in `apply.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from fakeapi.openapi import schemas

Obj = dict[str, Any]
PathT = tuple[str, ...]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_UPDATE_MANAGERS = 10
ANCIENT_CHANGES = "ancient-changes"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class ShapeError(Exception):
    """An object that cannot be walked with its schema (a map-list item without its key fields)."""


# ---- schema shapes ---------------------------------------------------------------------------------

STRUCT, MAP, KEYED, SET, ATOMIC, SCALAR, UNTYPED = "struct", "map", "keyed", "set", "atomic", "scalar", "untyped"
_KEY_DEFAULTS = {"protocol": "TCP"}


class Shape:
    """How structured-merge-diff sees one schema node: its kind and how to reach its children."""

    __slots__ = ("kind", "props", "extra", "items", "keys", "_fields", "_item")

    def __init__(self, kind: str, *, props: dict[str, Any] | None = None, extra: Any = None,
                 items: Any = None, keys: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.props = props or {}
        self.extra = extra
        self.items = items
        self.keys = keys
        self._fields: dict[str, tuple[Shape, bool]] = {}
        self._item: Shape | None = None

    def field(self, name: str) -> tuple[Shape, bool]:
        """(shape of the child, whether it is a declared struct field rather than a map key)."""
        hit = self._fields.get(name)
        if hit is None:
            if name in self.props:
                hit = (shape_of(self.props[name]), True)
            elif self.extra is not None:
                hit = (shape_of(self.extra), False)
            else:
                hit = (UNTYPED_SHAPE, False)
            self._fields[name] = hit
        return hit

    def item(self) -> Shape:
        if self._item is None:
            self._item = shape_of(self.items)
        return self._item


UNTYPED_SHAPE = Shape(UNTYPED)
_shapes: dict[int, tuple[Any, Shape]] = {}


def shape_of(raw: Any) -> Shape:
    if not isinstance(raw, dict):
        return UNTYPED_SHAPE
    hit = _shapes.get(id(raw))
    if hit is not None and hit[0] is raw:
        return hit[1]
    shape = _build_shape(raw)
    _shapes[id(raw)] = (raw, shape)
    return shape


def _build_shape(raw: dict[str, Any]) -> Shape:
    if schemas.is_opaque(raw):
        return UNTYPED_SHAPE
    target = schemas.resolve(raw)
    kinds = schemas.types(raw)
    if "array" in kinds or "items" in target:
        info = schemas.list_merge_info(raw)
        list_type, keys = info.list_type, info.list_map_keys
        if list_type is None:
            strategy = info.patch_strategy or ""
            if "merge" in strategy.split(","):
                list_type, keys = ("map", (info.merge_key,)) if info.merge_key else ("set", ())
            else:
                list_type = "atomic"
        items = schemas.items_schema(raw)
        if list_type == "map" and keys:
            return Shape(KEYED, items=items, keys=tuple(keys))
        if list_type == "set":
            return Shape(SET, items=items)
        return Shape(ATOMIC)
    if raw.get("x-kubernetes-map-type", target.get("x-kubernetes-map-type")) == "atomic":
        return Shape(ATOMIC)
    props = schemas.properties(raw)
    extra = schemas.additional_properties(raw)
    if props:
        return Shape(STRUCT, props=props, extra=extra)
    if extra is not None:
        return Shape(MAP, extra=extra)
    if "object" in kinds:
        return UNTYPED_SHAPE
    return Shape(SCALAR)


@functools.cache
def root_shape(group: str, version: str, kind: str) -> Shape:
    found = schemas.definition_for_gvk(group, version, kind)
    return shape_of(found[1]) if found is not None else UNTYPED_SHAPE


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


def _mode(shape: Shape, value: Any) -> str:
    """How a value is walked: "map" (granular), KEYED/SET (associative list) or "leaf"."""
    kind = shape.kind
    if kind in (STRUCT, MAP, UNTYPED):
        return "map" if isinstance(value, dict) else "leaf"
    if kind in (KEYED, SET):
        return kind if isinstance(value, list) else "leaf"
    return "leaf"


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def item_key(shape: Shape, item: Any) -> str:
    """The path element of a list item: `k:{...}` for a map-list, `v:...` for a set."""
    if shape.kind == SET:
        if isinstance(item, (dict, list)):
            raise ShapeError("set items must be scalars")
        return "v:" + _json(item)
    if not isinstance(item, dict):
        raise ShapeError("associative list with keys has an element that is not a map")
    key: dict[str, Any] = {}
    for name in shape.keys:
        if name in item and item[name] is not None:
            key[name] = item[name]
        elif name in _KEY_DEFAULTS:
            key[name] = _KEY_DEFAULTS[name]
        else:
            raise ShapeError(f'associative list with keys has an element that omits key field "{name}" '
                             f"(and doesn't have default value)")
    return "k:" + _json(key)


def _index_items(shape: Shape, items: list[Any]) -> dict[str, Any]:
    indexed: dict[str, Any] = {}
    for item in items:
        indexed.setdefault(item_key(shape, item), item)
    return indexed


# ---- field sets ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _order(pe: str) -> tuple[Any, ...]:
    """structured-merge-diff's PathElement order: fields, then keys, then values, then indices."""
    tag, body = pe[:1], pe[2:]
    if tag == "f":
        return (0, body)
    if tag == "k":
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            return (1, [(body, (9, ""))])
        return (1, [(name, _value_order(parsed[name])) for name in sorted(parsed)])
    if tag == "v":
        try:
            return (2, _value_order(orjson.loads(body)))
        except orjson.JSONDecodeError:
            return (2, (9, body))
    if tag == "i":
        return (3, int(body) if body.isdigit() else 0)
    return (4, pe)


def _value_order(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, (int, float)):
        return (0, float(value))
    if isinstance(value, str):
        return (1, value)
    if value is None:
        return (3, 0)
    return (4, _json(value))


class FieldSet:
    """A set of field paths, stored as a trie keyed by FieldsV1 path elements.

    Sets are built once (insert, of, from_fields, to_field_set) and then treated as values: the set
    operations return new sets that may share unchanged subtrees with their operands.
    """

    __slots__ = ("member", "children")

    def __init__(self) -> None:
        self.member = False
        self.children: dict[str, FieldSet] = {}

    @classmethod
    def of(cls, paths: Iterable[PathT]) -> FieldSet:
        out = cls()
        for path in paths:
            out.insert(path)
        return out

    def insert(self, path: PathT) -> None:
        node = self
        for pe in path:
            child = node.children.get(pe)
            if child is None:
                child = node.children[pe] = FieldSet()
            node = child
        node.member = True

    def has(self, path: PathT) -> bool:
        node: FieldSet | None = self
        for pe in path:
            assert node is not None
            node = node.children.get(pe)
            if node is None:
                return False
        return node is not None and node.member

    def empty(self) -> bool:
        return not self.member and not self.children

    def union(self, other: FieldSet) -> FieldSet:
        out = FieldSet()
        out.member = self.member or other.member
        for pe, child in self.children.items():
            theirs = other.children.get(pe)
            out.children[pe] = child if theirs is None else child.union(theirs)
        for pe, child in other.children.items():
            if pe not in self.children:
                out.children[pe] = child
        return out

    def difference(self, other: FieldSet) -> FieldSet:
        """Paths of self that are not members of other (exact paths, not subtrees)."""
        out = FieldSet()
        out.member = self.member and not other.member
        for pe, child in self.children.items():
            theirs = other.children.get(pe)
            sub = child if theirs is None else child.difference(theirs)
            if not sub.empty():
                out.children[pe] = sub
        return out

    def intersection(self, other: FieldSet) -> FieldSet:
        out = FieldSet()
        out.member = self.member and other.member
        for pe, child in self.children.items():
            theirs = other.children.get(pe)
            if theirs is not None:
                sub = child.intersection(theirs)
                if not sub.empty():
                    out.children[pe] = sub
        return out

    def paths(self, prefix: PathT = ()) -> Iterator[PathT]:
        """Member paths in structured-merge-diff's iteration order: a node's members, then its children."""
        ordered = sorted(self.children, key=_order)
        for pe in ordered:
            if self.children[pe].member:
                yield prefix + (pe,)
        for pe in ordered:
            child = self.children[pe]
            if child.children:
                yield from child.paths(prefix + (pe,))

    def nodes(self, prefix: PathT = (), out: set[PathT] | None = None) -> set[PathT]:
        """Every path that appears in the trie, members and their ancestors alike."""
        if out is None:
            out = set()
        for pe, child in self.children.items():
            path = prefix + (pe,)
            out.add(path)
            if child.children:
                child.nodes(path, out)
        return out

    def to_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for pe in sorted(self.children, key=_order):
            child = self.children[pe]
            if child.children:
                body = child.to_fields()
                out[pe] = {".": {}, **body} if child.member else body
            else:
                out[pe] = {}
        return out

    @classmethod
    def from_fields(cls, fields: Any) -> FieldSet:
        if not isinstance(fields, dict):
            raise ValueError("FieldsV1 must be an object")
        out = cls()
        for pe, body in fields.items():
            if pe == ".":
                out.member = True
                continue
            if not isinstance(pe, str) or pe[1:2] != ":" or pe[:1] not in "fkvi":
                raise ValueError(f"invalid path element {pe!r}")
            child = cls.from_fields(body)
            if not child.children:
                child.member = True
            out.children[pe] = child
        return out


def _go_value(value: Any) -> str:
    if isinstance(value, str):
        return _json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return _json(value)


def path_string(path: PathT) -> str:
    """fieldpath.Path.String(): `.spec.template.spec.containers[name="nginx"].image`."""
    parts: list[str] = []
    for pe in path:
        tag, body = pe[:1], pe[2:]
        if tag == "f":
            parts.append("." + body)
        elif tag == "k":
            key = orjson.loads(body)
            parts.append("[" + ",".join(f"{name}={_go_value(key[name])}" for name in sorted(key)) + "]")
        elif tag == "v":
            parts.append(f"[={_go_value(orjson.loads(body))}]")
        else:
            parts.append(f"[{body}]")
    return "".join(parts)


# ---- walking objects -------------------------------------------------------------------------------

def to_field_set(value: Any, shape: Shape) -> FieldSet:
    """typed.ToFieldSet: leaves, map keys and list items are members; declared struct fields are not."""
    out = FieldSet()
    _to_set(value, shape, out)
    return out


def _to_set(value: Any, shape: Shape, node: FieldSet) -> None:
    mode = _mode(shape, value)
    if mode == "map":
        for key, child_value in value.items():
            child_shape, declared = shape.field(key)
            child = node.children.get("f:" + key)
            if child is None:
                child = node.children["f:" + key] = FieldSet()
            _to_set(child_value, child_shape, child)
            if not declared:
                child.member = True
            elif child.empty():
                del node.children["f:" + key]
    elif mode in (KEYED, SET):
        item_shape = shape.item()
        for item in value:
            pe = item_key(shape, item)
            child = node.children.get(pe)
            if child is None:
                child = node.children[pe] = FieldSet()
            _to_set(item, item_shape, child)
            child.member = True
    elif shape.kind in (STRUCT, MAP, UNTYPED, KEYED, SET) and value is None:
        return
    else:
        node.member = True


@dataclass
class Diff:
    added: FieldSet
    modified: FieldSet
    removed: FieldSet

    def changed(self) -> FieldSet:
        return self.added.union(self.modified)

    def empty(self) -> bool:
        return self.added.empty() and self.modified.empty() and self.removed.empty()


def compare(lhs: Any, rhs: Any, shape: Shape) -> Diff:
    """typed.Compare: leaves that differ are modified; nodes present on one side only are added or
    removed, containers included (that is what puts `"."` into an Update entry)."""
    added: list[PathT] = []
    modified: list[PathT] = []
    removed: list[PathT] = []
    _compare(lhs, rhs, shape, (), added, modified, removed)
    return Diff(FieldSet.of(added), FieldSet.of(modified), FieldSet.of(removed))


def _is_nil(value: Any, mode: str) -> bool:
    if value is MISSING or value is None:
        return True
    return mode != "leaf" and len(value) == 0


def _compare(lhs: Any, rhs: Any, shape: Shape, path: PathT,
             added: list[PathT], modified: list[PathT], removed: list[PathT]) -> None:
    if lhs is not MISSING and rhs is not MISSING and type(lhs) is type(rhs) and lhs == rhs:
        return
    lmode = _mode(shape, lhs) if lhs is not MISSING and lhs is not None else None
    rmode = _mode(shape, rhs) if rhs is not MISSING and rhs is not None else None
    mode = lmode or rmode or "leaf"
    leaf = mode == "leaf" or (lmode is not None and rmode is not None and lmode != rmode) \
        or (_is_nil(lhs, mode) and _is_nil(rhs, mode))
    if leaf:
        if lhs is MISSING:
            added.append(path)
        elif rhs is MISSING:
            removed.append(path)
        elif lhs != rhs or type(lhs) is not type(rhs):
            modified.append(path)
        return
    if mode == "map":
        left = lhs if isinstance(lhs, dict) else {}
        right = rhs if isinstance(rhs, dict) else {}
        for key, lv in left.items():
            child_shape, _ = shape.field(key)
            _compare(lv, right.get(key, MISSING), child_shape, path + ("f:" + key,), added, modified, removed)
        for key, rv in right.items():
            if key not in left:
                child_shape, _ = shape.field(key)
                _compare(MISSING, rv, child_shape, path + ("f:" + key,), added, modified, removed)
    else:
        item_shape = shape.item()
        left_items = _index_items(shape, lhs if isinstance(lhs, list) else [])
        right_items = _index_items(shape, rhs if isinstance(rhs, list) else [])
        for pe, lv in left_items.items():
            _compare(lv, right_items.get(pe, MISSING), item_shape, path + (pe,), added, modified, removed)
        for pe, rv in right_items.items():
            if pe not in left_items:
                _compare(MISSING, rv, item_shape, path + (pe,), added, modified, removed)
    if path:
        if lhs is MISSING:
            added.append(path)
        elif rhs is MISSING:
            removed.append(path)


# Non-pointer struct fields of the built-in Go types: present (empty) in a kind's zero value; and
# slices without omitempty, present there as null.
_ZERO_STRUCTS = frozenset({"metadata", "spec", "status", "template", "strategy", "updateStrategy",
                           "jobTemplate", "loadBalancer"})
_ZERO_NULLS = frozenset({"containers"})


def zero_like(value: Obj, shape: Shape) -> Obj:
    """The parts of a kind's zero value that matter to a comparison: its always-present structs."""
    out: Obj = {}
    for key, child_value in value.items():
        if key in _ZERO_STRUCTS and isinstance(child_value, dict):
            child_shape, declared = shape.field(key)
            if declared and child_shape.kind == STRUCT:
                out[key] = zero_like(child_value, child_shape)
        elif key in _ZERO_NULLS and shape.field(key)[1]:
            out[key] = None
    return out


def comparable(obj: Obj | None, ignored: frozenset[str]) -> Obj:
    """A shallow view of an object without managedFields and without the ignored top-level fields."""
    if obj is None:
        return {}
    out = {k: v for k, v in obj.items() if k not in ignored}
    meta = out.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        out["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return out


_STRIPPED_META = ("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation",
                  "managedFields", "resourceVersion")


def strip_meta(fields: FieldSet) -> FieldSet:
    """The fields no manager ever owns (managedfields' stripMetaManager)."""
    out = FieldSet()
    out.member = fields.member
    out.children = dict(fields.children)
    out.children.pop("f:apiVersion", None)
    out.children.pop("f:kind", None)
    meta = out.children.get("f:metadata")
    if meta is not None:
        meta = out.children["f:metadata"] = FieldSet()
        meta.children = dict(fields.children["f:metadata"].children)
        for name in _STRIPPED_META:
            meta.children.pop("f:" + name, None)
        if meta.empty():
            del out.children["f:metadata"]
    return out


def ignored_fields(obj: Obj | None, *, subresource: str, has_status: bool) -> frozenset[str]:
    """The reset fields: `status` for main-resource writes, everything but status on /status."""
    if subresource == "status":
        keys = set(obj or ()) | {"spec"}
        return frozenset(keys - {"status", "metadata", "apiVersion", "kind"})
    return frozenset(("status",)) if has_status else frozenset()


# ---- managedFields entries -------------------------------------------------------------------------

class Entry:
    """One managedFields entry; its FieldsV1 is parsed only when a write touches it."""

    __slots__ = ("manager", "operation", "api_version", "subresource", "time", "_fields", "_raw")

    def __init__(self, manager: str, operation: str, api_version: str, subresource: str, time: str | None,
                 fields: FieldSet | None = None, *, raw_fields: dict[str, Any] | None = None) -> None:
        self.manager = manager
        self.operation = operation
        self.api_version = api_version
        self.subresource = subresource
        self.time = time
        self._fields = fields
        self._raw = raw_fields if fields is None else None

    @property
    def fields(self) -> FieldSet:
        if self._fields is None:
            self._fields = FieldSet.from_fields(self._raw or {})
            self._raw = None
        return self._fields

    @fields.setter
    def fields(self, value: FieldSet) -> None:
        self._fields = value
        self._raw = None

    def is_empty(self) -> bool:
        return not self._raw if self._fields is None else self._fields.empty()

    def subtract(self, paths: FieldSet) -> None:
        """Drop `paths` from this entry, rewriting only the touched branches of an unparsed FieldsV1."""
        if self._fields is None:
            self._raw = _raw_difference(self._raw or {}, paths)
        else:
            self._fields = self._fields.difference(paths)

    def overlaps(self, paths: FieldSet) -> bool:
        """Whether any member of `paths` is owned here, read straight from the wire form if unparsed."""
        if self._fields is None:
            return _raw_overlaps(paths, self._raw or {})
        return not self._fields.intersection(paths).empty()

    @property
    def ident(self) -> tuple[str, str, str, str]:
        """BuildManagerIdentifier: appliers are one manager whatever apiVersion they used."""
        return (self.manager, self.operation, self.api_version if self.operation == "Update" else "",
                self.subresource)

    def ident_json(self) -> str:
        ident: dict[str, str] = {"manager": self.manager, "operation": self.operation}
        if self.operation == "Update" and self.api_version:
            ident["apiVersion"] = self.api_version
        if self.subresource:
            ident["subresource"] = self.subresource
        return orjson.dumps(ident).decode()

    def describe(self) -> str:
        """printManager in managedfields/internal/conflict.go."""
        text = _json(self.manager)
        if self.subresource:
            text += f" with subresource {_json(self.subresource)}"
        if self.operation == "Update":
            text += f" using {self.api_version}"
        return text

    def encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {"manager": self.manager, "operation": self.operation,
                               "apiVersion": self.api_version}
        if self.time is not None:
            out["time"] = self.time
        out["fieldsType"] = "FieldsV1"
        out["fieldsV1"] = self._raw if self._fields is None else self._fields.to_fields()
        if self.subresource:
            out["subresource"] = self.subresource
        return out


Managers = dict[tuple[str, str, str, str], Entry]


def _raw_difference(raw: dict[str, Any], paths: FieldSet) -> dict[str, Any]:
    out = dict(raw)
    for pe, child in paths.children.items():
        sub = out.get(pe)
        if not isinstance(sub, dict):
            continue
        member = not sub or "." in sub
        children = {k: v for k, v in sub.items() if k != "."}
        if child.children and children:
            children = _raw_difference(children, child)
        if child.member:
            member = False
        if member:
            out[pe] = {".": {}, **children} if children else {}
        elif children:
            out[pe] = children
        else:
            del out[pe]
    return out


def _raw_overlaps(paths: FieldSet, raw: dict[str, Any]) -> bool:
    for pe, child in paths.children.items():
        sub = raw.get(pe)
        if not isinstance(sub, dict):
            continue
        if child.member and (not sub or "." in sub):
            return True
        if child.children and _raw_overlaps(child, sub):
            return True
    return False


def decode_managed_fields(raw: Any) -> Managers:
    """DecodeManagedFields; raises ValueError on an entry the apiserver would not accept."""
    managers: Managers = {}
    if raw is None:
        return managers
    if not isinstance(raw, list):
        raise ValueError("managedFields must be a list")
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError("managedFields entries must be objects")
        operation = item.get("operation")
        if operation not in ("Apply", "Update"):
            raise ValueError("operation must be `Apply` or `Update`")
        api_version = item.get("apiVersion")
        if not isinstance(api_version, str) or not api_version:
            raise ValueError("apiVersion must not be empty")
        if item.get("fieldsType") != "FieldsV1":
            raise ValueError("fieldsType must be FieldsV1")
        raw_fields = item.get("fieldsV1")
        if raw_fields is not None and not isinstance(raw_fields, dict):
            raise ValueError("fieldsV1 must be an object")
        entry = Entry(str(item.get("manager") or ""), operation, api_version, str(item.get("subresource") or ""),
                      item.get("time") if isinstance(item.get("time"), str) else None, raw_fields=raw_fields or {})
        managers[entry.ident] = entry
    return managers


def encode_managed_fields(managers: Managers) -> list[dict[str, Any]]:
    entries = sorted(managers.values(), key=lambda e: (e.operation, e.time or "", e.manager, e.api_version,
                                                       e.subresource))
    return [e.encode() for e in entries if not e.is_empty()]


def _is_reset(raw: Any) -> bool:
    return isinstance(raw, list) and (len(raw) == 0 or (len(raw) == 1 and raw[0] == {}))


def _cap_update_managers(managers: Managers) -> None:
    """capManagersManager: fold the oldest Update entries into `ancient-changes` buckets."""
    updaters = [ident for ident, e in managers.items() if e.operation == "Update"]
    if len(updaters) <= MAX_UPDATE_MANAGERS:
        return
    updaters.sort(key=lambda i: (managers[i].time or "", managers[i].ident_json()))
    first_by_version: dict[str, tuple[str, str, str, str]] = {}
    length = len(updaters)
    for ident in updaters:
        if length <= MAX_UPDATE_MANAGERS:
            break
        entry = managers[ident]
        version = entry.api_version
        bucket = (ANCIENT_CHANGES, "Update", version, "")
        first = first_by_version.get(version)
        if first is None:
            first_by_version[version] = ident
            continue
        if bucket not in managers:
            moved = managers.pop(first)
            managers[bucket] = Entry(ANCIENT_CHANGES, "Update", version, "", moved.time, moved.fields)
        target = managers[bucket]
        managers[bucket] = Entry(ANCIENT_CHANGES, "Update", version, "", entry.time,
                                 entry.fields.union(target.fields))
        del managers[ident]
        length -= 1


def live_managers(obj: Obj | None) -> Managers:
    """The decoded managedFields of an object, nothing when they are malformed. Entries keep references
    into `obj`, so pass an object the result may share structure with."""
    return _decode_or_empty(((obj or {}).get("metadata") or {}).get("managedFields"))


def _decode_or_empty(raw: Any) -> Managers:
    try:
        return decode_managed_fields(raw)
    except ValueError:
        return {}


def _private(raw: Any) -> Any:
    return orjson.loads(orjson.dumps(raw)) if raw is not None else None


def managed_fields_after_update(old: Obj | None, new: Obj, manager: str, api_version: str, now: str, *,
                                subresource: str = "", has_status: bool | None = None) -> list[dict[str, Any]]:
    """The managedFields the apiserver stores after a create (old None), update or non-apply patch.

    `new` must be the caller's private object: the result may share structure with its managedFields.
    """
    group, version = split_api_version(api_version)
    shape = root_shape(group, version, str(new.get("kind") or ""))
    if has_status is None:
        has_status = shape.kind == STRUCT and "status" in shape.props
    old_meta = (old or {}).get("metadata") or {}
    old_raw = old_meta.get("managedFields")
    new_raw = (new.get("metadata") or {}).get("managedFields")
    if subresource:
        base = _decode_or_empty(new_raw if new_raw == old_raw else _private(old_raw))
    elif _is_reset(new_raw):
        base = {}
    else:
        base = _decode_or_empty(new_raw) or _decode_or_empty(_private(old_raw))
    if not base and old is not None and old_meta.get("uid"):
        return []
    ignored = ignored_fields(new, subresource=subresource, has_status=has_status)
    after = comparable(new, ignored)
    before = comparable(old, ignored) if old is not None else zero_like(after, shape)
    try:
        diff = compare(before, after, shape)
        if diff.empty():
            return encode_managed_fields(base)
        changed, removed = diff.changed(), diff.removed
        touched = changed.union(removed)
        managers: Managers = {}
        for ident, entry in base.items():
            if entry.overlaps(touched):
                entry.subtract(touched)
            if not entry.is_empty():
                managers[ident] = entry
        own = strip_meta(changed.difference(removed))
        if not own.empty():
            entry = Entry(manager or "unknown", "Update", api_version, subresource, now, own)
            previous = managers.get(entry.ident)
            if previous is not None:
                entry.fields = own.union(previous.fields)
            managers[entry.ident] = entry
        _cap_update_managers(managers)
        return encode_managed_fields(managers)
    except (ShapeError, ValueError):
        return list(_private(old_raw) or [])
