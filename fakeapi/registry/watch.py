"""WATCH semantics over storage watches, as the apiserver's cacher presents them.

- resourceVersion unset or "0": synthetic ADDED for the current state, then changes.
- "N": start at exact, no replay of state; N below the window -> in-stream ERROR 410 Expired.
- sendInitialEvents=true: initial ADDED events, then a BOOKMARK annotated k8s.io/initial-events-end.
- Selectors are applied to both the new and the previous object, so an object moving out of a selection
  is seen as DELETED (previous state, new resourceVersion) and one moving in as ADDED.
- allowWatchBookmarks: a BOOKMARK with the current revision after `bookmark_interval` idle seconds.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fakeapi import codec
from fakeapi.errors import StatusError, gone_too_old, too_large_rv
from fakeapi.registry.listing import make_filter
from fakeapi.registry.options import ListOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.storage import ADDED, DELETED, MODIFIED, CompactedError, Event, FutureRevisionError, KeyValue, Storage

Obj = dict[str, Any]
BOOKMARK = "BOOKMARK"
ERROR = "ERROR"
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: str
    obj: Obj
    raw: bytes | None = None  # the object's JSON when already encoded (stored bytes)

    def object_bytes(self) -> bytes:
        return self.raw if self.raw is not None else codec.dumps(self.obj)


def _bookmark(info: ResourceInfo, revision: int, initial_end: bool = False) -> WatchEvent:
    meta: Obj = {"resourceVersion": str(revision)}
    if initial_end:
        meta["annotations"] = {INITIAL_EVENTS_END: "true"}
    return WatchEvent(BOOKMARK, {"kind": info.kind, "apiVersion": info.api_version, "metadata": meta})


def error_event(err: StatusError) -> WatchEvent:
    return WatchEvent(ERROR, dict(err.status))


def _restamp(kv: KeyValue, revision: int) -> WatchEvent:
    obj = codec.loads(kv.value)
    obj["metadata"]["resourceVersion"] = str(revision)
    return WatchEvent(DELETED, obj)


async def watch_objects(storage: Storage, info: ResourceInfo, namespace: str | None, opts: ListOptions, *,
                        bookmark_interval: float = 60.0) -> AsyncIterator[WatchEvent]:
    flt = make_filter(info, opts.label_selector, opts.field_selector)
    prefix = info.key_prefix(namespace)
    name = flt.fields.exact("metadata.name") if flt.fields is not None else None
    if name is not None and (namespace or not info.namespaced):
        prefix += name
    rv = opts.parsed_rv()
    send_initial = opts.send_initial_events if opts.send_initial_events is not None else rv is None
    initial: list[KeyValue] = []
    current = storage.revision
    skip_through = 0
    if send_initial:
        if rv is not None and rv > current:
            yield error_event(too_large_rv(rv, current))
            return
        start = current
        initial = [kv for kv in storage.scan(prefix) if flt.matches(kv.obj)]
    elif rv is None:
        start = current
    elif rv > current:
        start, skip_through = current, rv  # the watch cache waits for a future version; so do we
    else:
        start = rv
    try:
        watcher = storage.watch(prefix, start)
    except CompactedError as exc:
        yield error_event(gone_too_old(exc.requested, exc.compacted))
        return
    except FutureRevisionError as exc:
        yield error_event(too_large_rv(exc.requested, exc.current))
        return
    try:
        for kv in initial:
            yield WatchEvent(ADDED, kv.obj, kv.value)
        if opts.send_initial_events and opts.allow_watch_bookmarks:
            yield _bookmark(info, start, initial_end=True)
        deadline = time.monotonic() + opts.timeout_seconds if opts.timeout_seconds else None
        while True:
            wait = bookmark_interval if opts.allow_watch_bookmarks else None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                wait = left if wait is None else min(wait, left)
            event = await watcher.next(wait)
            if event is None:
                if watcher.stopped or (deadline is not None and time.monotonic() >= deadline):
                    return
                if opts.allow_watch_bookmarks:
                    yield _bookmark(info, storage.revision)
                continue
            if event.revision <= skip_through:
                continue
            out = _convert(event, flt)
            if out is not None:
                yield out
    finally:
        watcher.stop()


def _convert(event: Event, flt: Any) -> WatchEvent | None:
    kv = event.kv
    if flt.empty:
        return WatchEvent(event.type, kv.obj, kv.value)
    if event.type == ADDED:
        return WatchEvent(ADDED, kv.obj, kv.value) if flt.matches(kv.obj) else None
    if event.type == DELETED:
        return WatchEvent(DELETED, kv.obj, kv.value) if flt.matches(kv.obj) else None
    now = flt.matches(kv.obj)
    before = event.prev is not None and flt.matches(event.prev.obj)
    if now and before:
        return WatchEvent(MODIFIED, kv.obj, kv.value)
    if now:
        return WatchEvent(ADDED, kv.obj, kv.value)
    if before and event.prev is not None:
        return _restamp(event.prev, kv.mod_rev)
    return None
