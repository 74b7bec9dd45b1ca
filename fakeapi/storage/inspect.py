"""Read-only views of a SQLite data directory for `fakeapi etcdctl` (safe while a server is running)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fakeapi.storage.sqlite import DB_NAME, open_db


@dataclass(frozen=True)
class Entry:
    key: str
    value: bytes
    create_rev: int
    mod_rev: int


def current_keyspace(data_dir: Path, key: str, *, prefix: bool) -> Iterator[Entry]:
    path = data_dir / DB_NAME
    if not path.exists():
        raise FileNotFoundError(f"no fakeapi data at {path}")
    db = open_db(path, readonly=True)
    try:
        if prefix:
            where, args = "key >= ? AND key < ?", (key, key + "\U0010ffff")
        else:
            where, args = "key = ?", (key, key)
        rows = db.execute(
            f"SELECT l.key, l.value, l.create_rev, l.rev, l.type FROM log l "
            f"JOIN (SELECT key, MAX(rev) AS rev FROM log WHERE {where} GROUP BY key) m "
            f"ON l.key = m.key AND l.rev = m.rev ORDER BY l.key", args[: 2 if prefix else 1])
        for k, value, create_rev, rev, typ in rows:
            if typ != 2:
                yield Entry(k, value, create_rev, rev)
    finally:
        db.close()


def revision(data_dir: Path) -> int:
    db = open_db(data_dir / DB_NAME, readonly=True)
    try:
        row = db.execute("SELECT MAX(rev) FROM log").fetchone()
        return int(row[0] or 0)
    finally:
        db.close()
