"""The etcd-like storage contract that everything above `fakeapi/storage/` relies on.

Keys are strings `/registry/<group>/<resource>/<namespace>/<name>`; one global, monotonic revision counts
every write. A write stamps the revision into the object through the injected `versioner` (as the
apiserver's versioner sets metadata.resourceVersion) and stores its JSON bytes, so a GET can answer with
the persisted bytes as they are. `KeyValue.obj` is the decoded object: shared, never to be mutated;
callers that want to change an object decode `value` afresh (cheaper than a deep copy).

All operations are synchronous and run on the server's single event loop, so each one is atomic with
respect to every other; watchers are fed from the write path before it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

Obj = dict[str, Any]
Versioner = Callable[[Obj, int], None]

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"


@dataclass(frozen=True, slots=True)
class KeyValue:
    key: str
    value: bytes
    obj: Obj
    create_rev: int
    mod_rev: int


@dataclass(frozen=True, slots=True)
class Event:
    type: str  # ADDED | MODIFIED | DELETED
    kv: KeyValue  # for DELETED: the last state, stamped with the deletion revision
    prev: KeyValue | None

    @property
    def revision(self) -> int:
        return self.kv.mod_rev


class StorageError(Exception):
    pass


class KeyExistsError(StorageError):
    pass


class KeyNotFoundError(StorageError):
    pass


class RevisionMismatchError(StorageError):
    """A compare-and-swap lost: the key's mod revision is not the expected one."""

    def __init__(self, current: KeyValue) -> None:
        super().__init__(current.key)
        self.current = current


class CompactedError(StorageError):
    def __init__(self, requested: int, compacted: int) -> None:
        super().__init__(f"required revision {requested} has been compacted (compacted at {compacted})")
        self.requested = requested
        self.compacted = compacted


class FutureRevisionError(StorageError):
    def __init__(self, requested: int, current: int) -> None:
        super().__init__(f"required revision {requested} is a future revision (current {current})")
        self.requested = requested
        self.current = current


class Watcher(Protocol):
    """Events with revision > the start revision under one key prefix, in revision order."""

    async def next(self, timeout: float | None = None) -> Event | None:
        """The next event, or None when `timeout` passes first or the watcher is stopped."""
        ...

    def pending(self) -> list[Event]:
        """Events already queued, without waiting (drains the queue)."""
        ...

    def stop(self) -> None: ...

    @property
    def stopped(self) -> bool: ...


class Storage(Protocol):
    @property
    def revision(self) -> int: ...

    @property
    def compacted_revision(self) -> int: ...

    def get(self, key: str) -> KeyValue | None: ...

    def scan(self, prefix: str, start_after: str = "") -> Iterator[KeyValue]:
        """Keys under `prefix` in lexicographic order, strictly after `start_after` when given."""
        ...

    def scan_at(self, prefix: str, revision: int, start_after: str = "") -> Iterator[KeyValue]:
        """Like scan, as of an earlier revision inside the watch window (CompactedError below it)."""
        ...

    def labeled(self, prefix: str, pairs: list[tuple[str, str]], start_after: str = "") -> list[KeyValue]:
        """Current objects under `prefix` carrying all the (key, value) labels, in key order."""
        ...

    def count(self, prefix: str, start_after: str = "") -> int: ...

    def create(self, key: str, obj: Obj) -> KeyValue: ...

    def update(self, key: str, obj: Obj, *, expected_mod_rev: int) -> KeyValue: ...

    def delete(self, key: str, *, expected_mod_rev: int | None = None) -> KeyValue: ...

    def watch(self, prefix: str, after_rev: int) -> Watcher: ...

    def compact(self, revision: int) -> None: ...

    def stop_watches(self) -> None:
        """End every open watch (server shutdown)."""
        ...

    def close(self) -> None: ...
