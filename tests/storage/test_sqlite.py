"""SqliteStorage: the whole Storage contract (re-run from test_memory.py) plus durability, restart,
log compaction and the data-directory lock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.storage import CompactedError, SqliteStorage, Storage, StorageError
from fakeapi.storage.inspect import current_keyspace, revision as inspect_revision
from tests.storage.test_memory import *  # noqa: F403 - the contract tests, collected again for sqlite
from tests.storage.test_memory import DEFAULT_PODS, Make, obj


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Make]:
    opened: list[SqliteStorage] = []
    counter = iter(range(1000))

    def _make(**kwargs: object) -> Storage:
        s = SqliteStorage(tmp_path / f"d{next(counter)}", **kwargs)  # type: ignore[arg-type]
        opened.append(s)
        return s

    yield _make
    for s in opened:
        s.close()


@pytest.fixture
def storage(make: Make) -> Storage:
    return make()


def state(s: Storage, prefix: str = "/registry/") -> list[tuple[str, bytes, int, int]]:
    return [(kv.key, kv.value, kv.create_rev, kv.mod_rev) for kv in s.scan(prefix)]


def log_rows(data_dir: Path) -> int:
    db = sqlite3.connect(data_dir / "state.db")
    try:
        return int(db.execute("SELECT COUNT(*) FROM log").fetchone()[0])
    finally:
        db.close()


def test_restart_restores_every_object_and_continues_the_revision(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path)
    for i in range(20):
        s.create(DEFAULT_PODS + f"p{i:02d}", obj(f"p{i:02d}", spec={"i": i}))
    s.create("/registry/apps/deployments/default/web", obj("web"))
    for i in range(0, 20, 3):
        s.update(DEFAULT_PODS + f"p{i:02d}", obj(f"p{i:02d}", spec={"i": -i}), expected_mod_rev=i + 1)
    for i in range(1, 20, 5):
        s.delete(DEFAULT_PODS + f"p{i:02d}")
    before, rev = state(s), s.revision
    s.close()

    again = SqliteStorage(tmp_path)
    try:
        assert again.revision == rev
        assert state(again) == before
        kv = again.create(DEFAULT_PODS + "new", obj("new"))
        assert kv.mod_rev == rev + 1
        assert kv.obj["metadata"]["resourceVersion"] == str(rev + 1)
        # objects decoded from disk are the same objects
        p03 = again.get(DEFAULT_PODS + "p03")
        assert p03 is not None and p03.obj["spec"] == {"i": -3}
        assert again.get(DEFAULT_PODS + "p01") is None
    finally:
        again.close()


def test_restart_restores_the_watch_window(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path)
    s.create(DEFAULT_PODS + "a", obj("a"))  # 1
    s.update(DEFAULT_PODS + "a", obj("a", v=2), expected_mod_rev=1)  # 2
    s.delete(DEFAULT_PODS + "a")  # 3
    s.close()
    again = SqliteStorage(tmp_path)
    try:
        events = again.watch(DEFAULT_PODS, 1).pending()
        assert [(e.type, e.revision) for e in events] == [("MODIFIED", 2), ("DELETED", 3)]
        assert events[0].prev is not None and events[0].prev.mod_rev == 1
        assert events[1].prev is not None and events[1].prev.obj["v"] == 2
        (kv,) = list(again.scan_at(DEFAULT_PODS, 2))
        assert kv.obj["v"] == 2
    finally:
        again.close()


def test_the_revision_continues_after_restart_even_when_the_last_write_was_compacted(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path)
    s.create(DEFAULT_PODS + "a", obj("a"))  # 1
    s.create(DEFAULT_PODS + "b", obj("b"))  # 2
    s.delete(DEFAULT_PODS + "b")  # 3
    s.compact(3)
    s.close()
    again = SqliteStorage(tmp_path)
    try:
        assert again.revision == 3
        assert again.compacted_revision == 3
        assert [kv.key for kv in again.scan(DEFAULT_PODS)] == [DEFAULT_PODS + "a"]
        assert again.create(DEFAULT_PODS + "c", obj("c")).mod_rev == 4
        with pytest.raises(CompactedError):
            again.watch(DEFAULT_PODS, 2)
    finally:
        again.close()


def test_log_compaction_drops_superseded_rows_and_keeps_the_current_state(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path, window=10, compact_every=25)
    for i in range(10):
        s.create(DEFAULT_PODS + f"p{i}", obj(f"p{i}", v=0))
    mod = {i: i + 1 for i in range(10)}
    for round_ in range(1, 20):
        for i in range(10):
            mod[i] = s.update(DEFAULT_PODS + f"p{i}", obj(f"p{i}", v=round_), expected_mod_rev=mod[i]).mod_rev
    for i in range(5):
        s.delete(DEFAULT_PODS + f"p{i}")
    s.create(DEFAULT_PODS + "p0", obj("p0", v="again"))
    before, rev, floor = state(s), s.revision, s.compacted_revision
    assert rev == 206
    # automatic log compaction ran: far fewer rows than writes
    assert log_rows(tmp_path) < 60
    s.close()
    again = SqliteStorage(tmp_path, window=10, compact_every=25)
    try:
        assert state(again) == before
        assert again.revision == rev
        assert again.compacted_revision >= floor - 25  # at most one compaction period behind
        assert again.create(DEFAULT_PODS + "z", obj("z")).mod_rev == rev + 1
        # the window after restart still answers watches inside it with their previous states
        events = again.watch(DEFAULT_PODS, rev - 3).pending()
        assert [e.revision for e in events] == [rev - 2, rev - 1, rev, rev + 1]
    finally:
        again.close()


def test_explicit_compaction_keeps_every_live_object_on_disk(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path)
    for i in range(5):
        s.create(DEFAULT_PODS + f"p{i}", obj(f"p{i}"))
        s.update(DEFAULT_PODS + f"p{i}", obj(f"p{i}", v=1), expected_mod_rev=s.revision)
    s.delete(DEFAULT_PODS + "p4")
    before = state(s)
    s.compact(s.revision)
    assert log_rows(tmp_path) == 4  # exactly one row per live object
    s.close()
    again = SqliteStorage(tmp_path)
    try:
        assert state(again) == before
    finally:
        again.close()


def test_the_data_dir_lock_refuses_a_second_opener(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path)
    try:
        with pytest.raises(StorageError, match="is in use by another fakeapi server"):
            SqliteStorage(tmp_path)
        s.create(DEFAULT_PODS + "a", obj("a"))  # the first opener is unaffected
    finally:
        s.close()
    again = SqliteStorage(tmp_path)  # released on close
    try:
        assert again.get(DEFAULT_PODS + "a") is not None
    finally:
        again.close()


def test_a_write_is_on_disk_when_it_returns(tmp_path: Path) -> None:
    """What `fakeapi etcdctl` reads (a separate read-only connection) sees every acknowledged write."""
    s = SqliteStorage(tmp_path)
    try:
        s.create("/registry/configmaps/default/a", obj("a"))
        s.create("/registry/configmaps/default/b", obj("b"))
        s.delete("/registry/configmaps/default/a")
        entries = list(current_keyspace(tmp_path, "/registry/configmaps/", prefix=True))
        assert [(e.key, e.create_rev, e.mod_rev) for e in entries] == [("/registry/configmaps/default/b", 2, 2)]
        assert inspect_revision(tmp_path) == 3
    finally:
        s.close()


def test_the_contract_tests_here_run_against_sqlite(storage: Storage, make: Make) -> None:
    assert isinstance(storage, SqliteStorage)
    assert isinstance(make(window=3), SqliteStorage)
