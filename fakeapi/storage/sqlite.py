"""SqliteStorage: the default, durable backend, a kine-like append-only log in one SQLite file.

Every write appends one row (rev, key, type, create_rev, prev_rev, value) in its own transaction, and
the row is committed before the write returns, so an acknowledged write survives `kill -9` (WAL mode:
a committed transaction is in the OS's hands even if the process dies). On open, the log is replayed
into the in-memory keyspace and the watch window, and the revision sequence continues from the highest
revision ever issued. Compaction drops superseded rows and tombstones older than the watch window.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

from fakeapi import codec
from fakeapi.storage.interface import ADDED, DELETED, MODIFIED, Event, KeyValue, StorageError, Versioner
from fakeapi.storage.memory import MemoryStorage, set_resource_version

_TYPES = {ADDED: 0, MODIFIED: 1, DELETED: 2}
_NAMES = {v: k for k, v in _TYPES.items()}

SCHEMA = """
CREATE TABLE IF NOT EXISTS log (
    rev INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    type INTEGER NOT NULL,
    create_rev INTEGER NOT NULL,
    prev_rev INTEGER NOT NULL,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""

DB_NAME = "state.db"


def open_db(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
    return conn


class SqliteStorage(MemoryStorage):
    def __init__(self, data_dir: str | os.PathLike[str], *, versioner: Versioner = set_resource_version,
                 window: int = 20000, compact_every: int = 1000) -> None:
        super().__init__(versioner=versioner, window=window)
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.data_dir / "fakeapi.lock", "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise StorageError(f"data directory {self.data_dir} is in use by another fakeapi server") from None
        self.path = self.data_dir / DB_NAME
        self._db = open_db(self.path)
        self._window = window
        self._compact_every = compact_every
        self._writes = 0
        self._load()

    def _load(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE name='compacted'").fetchone()
        compacted = int(row[0]) if row else 0
        by_rev: dict[int, KeyValue] = {}
        events: list[Event] = []
        current: dict[str, KeyValue] = {}
        rev = compacted
        for r, key, typ, create_rev, prev_rev, value in self._db.execute(
                "SELECT rev, key, type, create_rev, prev_rev, value FROM log ORDER BY rev"):
            kv = KeyValue(key, value, codec.loads(value), create_rev, r)
            by_rev[r] = kv
            rev = r
            kind = _NAMES[typ]
            if kind == DELETED:
                current.pop(key, None)
            else:
                current[key] = kv
            if r > compacted:
                events.append(Event(kind, kv, by_rev.get(prev_rev)))
        self._kvs = current
        self._sorted = sorted(current)
        for key, kv in current.items():
            self._index_labels(key, None, kv)
        self._rev = max(rev, compacted)
        self._hub.seed(events, compacted)

    def _persist(self, kind: str, kv: KeyValue, prev: KeyValue | None) -> None:
        self._db.execute(
            "INSERT INTO log (rev, key, type, create_rev, prev_rev, value) VALUES (?, ?, ?, ?, ?, ?)",
            (kv.mod_rev, kv.key, _TYPES[kind], kv.create_rev, prev.mod_rev if prev else 0, kv.value))

    def _after_commit(self) -> None:
        self._writes += 1
        if self._writes % self._compact_every == 0:
            self._compact_log(self._hub.compacted_revision)

    def _compact_log(self, revision: int) -> None:
        if revision <= 0:
            return
        db = self._db
        db.execute("BEGIN")
        db.execute("DELETE FROM log WHERE rev IN (SELECT prev_rev FROM log WHERE rev <= ? AND prev_rev > 0)",
                   (revision,))
        db.execute("DELETE FROM log WHERE type = 2 AND rev <= ?", (revision,))
        db.execute("INSERT INTO meta (name, value) VALUES ('compacted', ?) "
                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (revision,))
        db.execute("COMMIT")

    def compact(self, revision: int) -> None:
        super().compact(revision)
        self._compact_log(self._hub.compacted_revision)

    def close(self) -> None:
        super().close()
        try:
            self._db.close()
        finally:
            self._lock.close()
