"""MemoryStorage: the in-memory keyspace both backends serve reads from.

Reads never touch disk: the current state lives in a dict plus a sorted key list for prefix ranges.
Keys created or removed since the last range are kept aside and merged lazily (one sort of two runs,
linear), so a burst of creates costs O(1) each and the next LIST pays one merge. `SqliteStorage`
subclasses this and adds a durable log through the `_persist` hook, called before a write becomes
visible.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from fakeapi import codec
from fakeapi.storage.interface import (
    ADDED,
    CompactedError,
    DELETED,
    MODIFIED,
    Event,
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    Obj,
    RevisionMismatchError,
    Versioner,
)
from fakeapi.storage.watch import QueueWatcher, WatchHub

_PREFIX_END = "\U0010ffff"


def set_resource_version(obj: Obj, rev: int) -> None:
    obj.setdefault("metadata", {})["resourceVersion"] = str(rev)


class MemoryStorage:
    def __init__(self, *, versioner: Versioner = set_resource_version, window: int = 20000) -> None:
        self._versioner = versioner
        self._kvs: dict[str, KeyValue] = {}
        self._sorted: list[str] = []
        self._added: set[str] = set()
        self._removed: set[str] = set()
        self._rev = 0
        self._hub = WatchHub(window=window)
        self._labels: dict[tuple[str, str], set[str]] = {}  # (label key, value) -> keys carrying it

    @property
    def revision(self) -> int:
        return self._rev

    @property
    def compacted_revision(self) -> int:
        return self._hub.compacted_revision

    def get(self, key: str) -> KeyValue | None:
        return self._kvs.get(key)

    def _keys(self) -> list[str]:
        if self._removed:
            removed = self._removed
            self._sorted = [k for k in self._sorted if k not in removed]
            self._removed = set()
        if self._added:
            self._sorted.extend(sorted(self._added))
            self._sorted.sort()
            self._added = set()
        return self._sorted

    def _bounds(self, prefix: str, start_after: str) -> tuple[list[str], int, int]:
        keys = self._keys()
        lo = bisect_right(keys, start_after) if start_after > prefix else bisect_left(keys, prefix)
        hi = bisect_left(keys, prefix + _PREFIX_END, lo)
        return keys, lo, hi

    def scan(self, prefix: str, start_after: str = "") -> Iterator[KeyValue]:
        keys, lo, hi = self._bounds(prefix, start_after)
        kvs = self._kvs
        for i in range(lo, hi):
            kv = kvs.get(keys[i])
            if kv is not None:
                yield kv

    def scan_at(self, prefix: str, revision: int, start_after: str = "") -> Iterator[KeyValue]:
        """The keyspace under `prefix` as it was at `revision`, rebuilt from the watch window."""
        if revision >= self._rev:
            yield from self.scan(prefix, start_after)
            return
        if revision < self._hub.compacted_revision:
            raise CompactedError(revision, self._hub.compacted_revision)
        state = {kv.key: kv for kv in self.scan(prefix)}
        for event in reversed(self._hub.since(revision)):
            key = event.kv.key
            if not key.startswith(prefix):
                continue
            if event.prev is None:
                state.pop(key, None)
            else:
                state[key] = event.prev
        for key in sorted(state):
            if key > start_after:
                yield state[key]

    def labeled(self, prefix: str, pairs: list[tuple[str, str]], start_after: str = "") -> list[KeyValue]:
        """Objects under `prefix` carrying every label pair, in key order, via the label index: the
        cost follows the matches, not the number of objects."""
        sets = [self._labels.get(pair, set()) for pair in pairs]
        smallest = min(sets, key=len)
        keys = sorted(k for k in smallest if k.startswith(prefix) and k > start_after
                      and all(k in s for s in sets if s is not smallest))
        return [self._kvs[k] for k in keys]

    def _index_labels(self, key: str, old: KeyValue | None, new: KeyValue | None) -> None:
        old_labels = (old.obj.get("metadata") or {}).get("labels") or {} if old is not None else {}
        new_labels = (new.obj.get("metadata") or {}).get("labels") or {} if new is not None else {}
        if old_labels == new_labels:
            return
        for pair in old_labels.items():
            if new_labels.get(pair[0]) != pair[1]:
                bucket = self._labels.get(pair)
                if bucket is not None:
                    bucket.discard(key)
                    if not bucket:
                        del self._labels[pair]
        for pair in new_labels.items():
            if isinstance(pair[1], str) and old_labels.get(pair[0]) != pair[1]:
                self._labels.setdefault(pair, set()).add(key)

    def count(self, prefix: str, start_after: str = "") -> int:
        _, lo, hi = self._bounds(prefix, start_after)
        return hi - lo

    def _stamp(self, key: str, obj: Obj, create_rev: int | None) -> KeyValue:
        rev = self._rev + 1
        self._versioner(obj, rev)
        return KeyValue(key, codec.dumps(obj), obj, create_rev or rev, rev)

    def _commit(self, kind: str, kv: KeyValue, prev: KeyValue | None) -> None:
        self._persist(kind, kv, prev)
        self._rev = kv.mod_rev
        key = kv.key
        if kind == DELETED:
            del self._kvs[key]
            if key in self._added:
                self._added.discard(key)
            else:
                self._removed.add(key)
        else:
            if kind == ADDED:
                if key in self._removed:
                    self._removed.discard(key)
                else:
                    self._added.add(key)
            self._kvs[key] = kv
        self._index_labels(key, prev, None if kind == DELETED else kv)
        self._hub.record(Event(kind, kv, prev))
        self._after_commit()

    def _persist(self, kind: str, kv: KeyValue, prev: KeyValue | None) -> None:
        return None

    def _after_commit(self) -> None:
        return None

    def create(self, key: str, obj: Obj) -> KeyValue:
        if key in self._kvs:
            raise KeyExistsError(key)
        kv = self._stamp(key, obj, None)
        self._commit(ADDED, kv, None)
        return kv

    def update(self, key: str, obj: Obj, *, expected_mod_rev: int) -> KeyValue:
        prev = self._kvs.get(key)
        if prev is None:
            raise KeyNotFoundError(key)
        if expected_mod_rev and prev.mod_rev != expected_mod_rev:
            raise RevisionMismatchError(prev)
        kv = self._stamp(key, obj, prev.create_rev)
        self._commit(MODIFIED, kv, prev)
        return kv

    def delete(self, key: str, *, expected_mod_rev: int | None = None) -> KeyValue:
        prev = self._kvs.get(key)
        if prev is None:
            raise KeyNotFoundError(key)
        if expected_mod_rev and prev.mod_rev != expected_mod_rev:
            raise RevisionMismatchError(prev)
        tomb = self._stamp(key, codec.loads(prev.value), prev.create_rev)
        self._commit(DELETED, tomb, prev)
        return tomb

    def watch(self, prefix: str, after_rev: int) -> QueueWatcher:
        return self._hub.watch(prefix, after_rev, self._rev)

    def compact(self, revision: int) -> None:
        self._hub.compact(min(revision, self._rev))

    def stop_watches(self) -> None:
        self._hub.stop_all()

    def close(self) -> None:
        self.stop_watches()

    @property
    def watcher_count(self) -> int:
        return self._hub.watcher_count
