"""LIST semantics: selectors, limit/continue pagination and resourceVersion/resourceVersionMatch.

Pages are cut from the sorted keyspace; a continue token records the first page's revision and the last
key returned, and later pages are read as of that revision (rebuilt from the watch window), so a paged
list is a consistent snapshot as in etcd. `remainingItemCount` is given only for unfiltered lists.
An exact `metadata.name=` field selector is answered by a single key lookup, and label selectors with
`k=v` terms start from the storage's label index instead of scanning every object.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fakeapi import codec
from fakeapi.errors import StatusError, bad_request, expired, too_large_rv
from fakeapi.registry.options import ListOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.selectors import (
    FieldSelector,
    LabelSelector,
    SelectorError,
    parse_field_selector,
    parse_label_selector,
)
from fakeapi.storage import CompactedError, KeyValue, Storage

Obj = dict[str, Any]
BASE_FIELDS = ("metadata.name", "metadata.namespace")

CONTINUE_TOO_OLD = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new "
    "list without the continue parameter, or use the continue token in this response to retrieve the "
    "remainder of the results. Continuing with the provided token results in an inconsistent list - "
    "objects that were created, modified, or deleted between the time the first chunk was returned and now "
    "may show up in the list.")


@dataclass
class ListResult:
    items: list[KeyValue]
    resource_version: int
    continue_token: str = ""
    remaining: int | None = None


@dataclass
class Filter:
    labels: LabelSelector | None
    fields: FieldSelector | None
    field_values: Callable[[Obj], dict[str, str]]

    def matches(self, obj: Obj) -> bool:
        if self.labels is not None and not self.labels.matches(obj["metadata"].get("labels")):
            return False
        if self.fields is not None and not self.fields.matches(self.field_values(obj)):
            return False
        return True

    @property
    def empty(self) -> bool:
        return self.labels is None and self.fields is None


def make_filter(info: ResourceInfo, label_selector: str, field_selector: str) -> Filter:
    try:
        labels = parse_label_selector(label_selector) if label_selector else None
        fields = parse_field_selector(field_selector) if field_selector else None
    except SelectorError as exc:
        raise bad_request(str(exc)) from None
    if labels is not None and labels.empty():
        labels = None
    if fields is not None:
        if fields.empty():
            fields = None
        else:
            allowed = set(BASE_FIELDS) | set(info.selectable_fields)
            for name in fields.fields():
                if name not in allowed:
                    if info.selectable_fields:
                        raise bad_request(f"field label not supported: {name}")
                    raise bad_request(f'"{name}" is not a known field selector: only "metadata.name", '
                                      f'"metadata.namespace"')
    strategy = info.strategy
    assert strategy is not None
    return Filter(labels, fields, strategy.selectable_fields)


def encode_continue(revision: int, last_key: str, prefix: str) -> str:
    token = {"v": "meta.k8s.io/v1", "rv": revision, "start": last_key[len(prefix):] + "\x00"}
    return base64.urlsafe_b64encode(codec.dumps(token)).decode().rstrip("=")


def decode_continue(token: str, prefix: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = codec.loads(raw)
        if not isinstance(data, dict) or data.get("v") != "meta.k8s.io/v1":
            raise ValueError("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        rv, start = int(data["rv"]), str(data["start"])
    except (binascii.Error, ValueError, KeyError, TypeError, codec.JSONDecodeError) as exc:
        msg = str(exc) if str(exc).startswith("continue key") else f"continue key is not valid: {exc}"
        raise bad_request(msg) from None
    if start.endswith("\x00"):
        start = start[:-1]
    if ".." in start.split("/") or start.startswith("/"):
        raise bad_request("continue key is not valid: key must not contain path traversal")
    return rv, prefix + start


def list_objects(storage: Storage, info: ResourceInfo, namespace: str | None, opts: ListOptions) -> ListResult:
    flt = make_filter(info, opts.label_selector, opts.field_selector)
    prefix = info.key_prefix(namespace)
    current = storage.revision
    revision = current
    start_after = ""
    if opts.continue_token:
        revision, start_after = decode_continue(opts.continue_token, prefix)
        if revision < storage.compacted_revision:
            raise expired(CONTINUE_TOO_OLD)
    else:
        rv = opts.parsed_rv()
        exact = opts.resource_version_match == "Exact" or (opts.limit and not opts.resource_version_match)
        if rv is not None:
            if rv > current:
                raise too_large_rv(rv, current)
            if exact:
                revision = rv
    name = flt.fields.exact("metadata.name") if flt.fields is not None else None
    if name is not None and revision == current and not start_after:
        kv = storage.get(prefix + name) if (namespace or not info.namespaced) else None
        if kv is not None or not info.namespaced or namespace:
            items = [kv] if kv is not None and flt.matches(kv.obj) else []
            return ListResult(items, current)
    pairs = flt.labels.equality_pairs() if flt.labels is not None else []
    try:
        if pairs and revision == current:
            source: Iterator[KeyValue] = iter(storage.labeled(prefix, pairs, start_after))
        elif revision == current:
            source = storage.scan(prefix, start_after)
        else:
            source = storage.scan_at(prefix, revision, start_after)
        return _page(source, flt, opts.limit, revision, prefix, storage, start_after)
    except CompactedError as exc:
        if opts.continue_token:
            raise expired(CONTINUE_TOO_OLD) from None
        raise StatusError(410, "Expired", f"resourceVersion {exc.requested} is too old (compacted at "
                                          f"{exc.compacted})") from None


def _page(source: Iterator[KeyValue], flt: Filter, limit: int, revision: int, prefix: str,
          storage: Storage, start_after: str) -> ListResult:
    if flt.empty:
        if not limit:
            return ListResult(list(source), revision)
        items = []
        for kv in source:
            items.append(kv)
            if len(items) == limit:
                break
    else:
        items = []
        matches = flt.matches
        for kv in source:
            if matches(kv.obj):
                items.append(kv)
                if limit and len(items) == limit:
                    break
    if not limit or len(items) < limit:
        return ListResult(items, revision)
    last = items[-1].key
    more = any(True for kv in source if flt.empty or flt.matches(kv.obj))
    if not more:
        return ListResult(items, revision)
    remaining = None
    if flt.empty and revision == storage.revision:
        remaining = storage.count(prefix, last)
    return ListResult(items, revision, encode_continue(revision, last, prefix), remaining)
