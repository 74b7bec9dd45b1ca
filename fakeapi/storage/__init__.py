"""etcd-like storage: one keyspace, one global revision, watches, compaction (see interface.py)."""

from __future__ import annotations

from fakeapi.storage.interface import (
    ADDED,
    DELETED,
    MODIFIED,
    CompactedError,
    Event,
    FutureRevisionError,
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    RevisionMismatchError,
    Storage,
    StorageError,
    Watcher,
)
from fakeapi.storage.memory import MemoryStorage
from fakeapi.storage.sqlite import SqliteStorage

__all__ = [
    "ADDED", "DELETED", "MODIFIED", "CompactedError", "Event", "FutureRevisionError", "KeyExistsError",
    "KeyNotFoundError", "KeyValue", "MemoryStorage", "RevisionMismatchError", "SqliteStorage", "Storage",
    "StorageError", "Watcher",
]
