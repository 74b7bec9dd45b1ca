"""Three-way strategic merge patch, ported from apimachinery `strategicpatch.CreateThreeWayMergePatch`.

    patch = deletions(original -> modified)  merged with  delta(current -> modified, no deletions)

`original` is the last-applied configuration, `modified` the new configuration, `current` the live object.
Lists whose metadata says `merge` are diffed element by element on their merge key (removed elements
become `{"$patch": "delete", key: value}`, scalar lists use `$deleteFromPrimitiveList/<field>`), and carry
`$setElementOrder/<field>` with the modified order; `retainKeys` maps carry `$retainKeys`; all other lists
are replaced whole, and maps are diffed recursively. Fields deleted in `modified` become `null`.
"""

from __future__ import annotations

from fkubectl.patch.schema import EMPTY, PatchMeta
from fkubectl.printers.gofmt import go_str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"
RETAIN_KEYS = "$retainKeys"


class Options:
    __slots__ = ("ignore_deletions", "ignore_changes", "set_element_order", "retain_keys")

    def __init__(self, *, ignore_deletions: bool = False, ignore_changes: bool = False,
                 set_element_order: bool = True, retain_keys: bool = False) -> None:
        self.ignore_deletions = ignore_deletions
        self.ignore_changes = ignore_changes
        self.set_element_order = set_element_order
        self.retain_keys = retain_keys

    def with_retain_keys(self, value: bool) -> Options:
        return Options(ignore_deletions=self.ignore_deletions, ignore_changes=self.ignore_changes,
                       set_element_order=self.set_element_order, retain_keys=value)


def _same_type(a: Any, b: Any) -> bool:
    """Go compares decoded JSON, where every number is a float64."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return True
    return type(a) is type(b)


def diff_maps(original: dict[str, Any], modified: dict[str, Any], meta: PatchMeta, opts: Options) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    retain: list[str] = []
    for key, mod in modified.items():
        if opts.retain_keys and mod is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = mod
            continue
        orig = original[key]
        if not _same_type(orig, mod):
            if not opts.ignore_changes:
                patch[key] = mod
            continue
        if isinstance(orig, dict):
            _map_diff(key, orig, mod, patch, meta, opts)
        elif isinstance(orig, list):
            _slice_diff(key, orig, mod, patch, meta, opts)
        elif not opts.ignore_changes and orig != mod:
            patch[key] = mod
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(k not in original for k in modified)):
        patch[RETAIN_KEYS] = sorted(retain)
    return patch


def _map_diff(key: str, orig: dict[str, Any], mod: dict[str, Any], patch: dict[str, Any], meta: PatchMeta,
              opts: Options) -> None:
    strategies = meta.strategies(key)
    if "replace" in strategies:
        if not opts.ignore_changes and orig != mod:
            patch[key] = mod
        return
    value = diff_maps(orig, mod, meta.field(key), opts.with_retain_keys("retainKeys" in strategies))
    if value:
        patch[key] = value


def _slice_diff(key: str, orig: list[Any], mod: list[Any], patch: dict[str, Any], meta: PatchMeta,
                opts: Options) -> None:
    strategies, merge_key, item_meta = meta.list(key)
    if "merge" not in strategies:
        if not opts.ignore_changes and orig != mod:
            patch[key] = mod
        return
    additions, deletions, order = _diff_lists(orig, mod, item_meta, merge_key,
                                              opts.with_retain_keys("retainKeys" in strategies))
    if additions:
        patch[key] = additions
    if deletions:
        patch[f"{DELETE_FROM_PRIMITIVE}/{key}"] = deletions
    if order:
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = order


def _key_of(item: Any, merge_key: str) -> str:
    return go_str(item.get(merge_key)) if isinstance(item, dict) else go_str(item)


def _diff_lists(orig: list[Any], mod: list[Any], meta: PatchMeta, merge_key: str,
                opts: Options) -> tuple[list[Any], list[Any], list[Any]]:
    sample = next((x for x in orig + mod if x is not None), None)
    if isinstance(sample, dict):
        patch, deletions = _diff_lists_of_maps(orig, mod, meta, merge_key, opts)
        patch = _normalize_order(patch, mod, merge_key)
        same_order = len(orig) == len(mod) and all(
            _key_of(o, merge_key) == _key_of(m, merge_key) for o, m in zip(orig, mod, strict=True))
        patch = patch + deletions
        order: list[Any] = []
        if opts.set_element_order and ((not opts.ignore_changes and (patch or not same_order))
                                       or (not opts.ignore_deletions and patch)):
            order = [{merge_key: m.get(merge_key)} for m in mod if isinstance(m, dict)]
        return patch, [], order
    additions, deletions = _diff_lists_of_scalars(orig, mod, opts)
    order = []
    if opts.set_element_order and ((not opts.ignore_deletions and deletions)
                                   or (not opts.ignore_changes and orig != mod)):
        order = list(mod)
    return _normalize_order(additions, mod, ""), deletions, order


def _diff_lists_of_maps(orig: list[Any], mod: list[Any], meta: PatchMeta, merge_key: str,
                        opts: Options) -> tuple[list[Any], list[Any]]:
    patch: list[Any] = []
    deletions: list[Any] = []
    o_sorted = sorted((x for x in orig if isinstance(x, dict)), key=lambda x: _key_of(x, merge_key))
    m_sorted = sorted((x for x in mod if isinstance(x, dict)), key=lambda x: _key_of(x, merge_key))
    i = j = 0
    while i < len(o_sorted) or j < len(m_sorted):
        o_key = _key_of(o_sorted[i], merge_key) if i < len(o_sorted) else None
        m_key = _key_of(m_sorted[j], merge_key) if j < len(m_sorted) else None
        if o_key is not None and m_key is not None and o_key == m_key:
            value = diff_maps(o_sorted[i], m_sorted[j], meta, opts)
            if value:
                value[merge_key] = m_sorted[j].get(merge_key)
                patch.append(value)
            i += 1
            j += 1
        elif o_key is None or (m_key is not None and o_key > m_key):
            if not opts.ignore_changes:
                patch.append(m_sorted[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({"$patch": "delete", merge_key: o_sorted[i].get(merge_key)})
            i += 1
    return patch, deletions


def _diff_lists_of_scalars(orig: list[Any], mod: list[Any], opts: Options) -> tuple[list[Any], list[Any]]:
    o_sorted = sorted(orig, key=go_str)
    m_sorted = sorted(mod, key=go_str)
    additions: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(o_sorted) or j < len(m_sorted):
        o = go_str(o_sorted[i]) if i < len(o_sorted) else None
        m = go_str(m_sorted[j]) if j < len(m_sorted) else None
        if o is not None and m is not None and o == m:
            i += 1
            j += 1
        elif m is None or (o is not None and o < m):
            if not opts.ignore_deletions:
                deletions.append(o_sorted[i])
            i += 1
        else:
            if not opts.ignore_changes:
                additions.append(m_sorted[j])
            j += 1
    unique: list[Any] = []
    for d in deletions:
        if d not in unique:
            unique.append(d)
    return additions, unique


def _normalize_order(patch: list[Any], mod: list[Any], merge_key: str) -> list[Any]:
    position = {_key_of(m, merge_key): n for n, m in enumerate(mod)}
    return sorted(patch, key=lambda p: position.get(_key_of(p, merge_key), len(mod)))


def _merge(deletions: Any, delta: Any, meta: PatchMeta) -> Any:
    """Apply `delta` onto `deletions`; they never touch the same leaf, so a structural union suffices."""
    if not isinstance(deletions, dict) or not isinstance(delta, dict):
        return delta
    out = dict(deletions)
    for key, value in delta.items():
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value, meta.field(key))
        elif key in out and isinstance(out[key], list) and isinstance(value, list) and not key.startswith("$"):
            _, merge_key, item_meta = meta.list(key)
            out[key] = _merge_lists(out[key], value, merge_key, item_meta)
        else:
            out[key] = value
    return out


def _merge_lists(base: list[Any], extra: list[Any], merge_key: str, meta: PatchMeta) -> list[Any]:
    if not merge_key:
        return base + [x for x in extra if x not in base]
    merged = list(base)
    for item in extra:
        key = _key_of(item, merge_key)
        for n, existing in enumerate(merged):
            if isinstance(existing, dict) and _key_of(existing, merge_key) == key:
                merged[n] = _merge(existing, item, meta)
                break
        else:
            merged.append(item)
    return merged


def three_way(original: dict[str, Any] | None, modified: dict[str, Any], current: dict[str, Any],
              meta: PatchMeta = EMPTY) -> dict[str, Any]:
    delta = diff_maps(current, modified, meta, Options(ignore_deletions=True))
    deletions = diff_maps(original or {}, modified, meta, Options(ignore_changes=True))
    return _merge(deletions, delta, meta)  # type: ignore[no-any-return]


def two_way(original: dict[str, Any], modified: dict[str, Any], meta: PatchMeta = EMPTY) -> dict[str, Any]:
    """`CreateTwoWayMergePatch`: everything needed to turn `original` into `modified`."""
    return diff_maps(original, modified, meta, Options())
