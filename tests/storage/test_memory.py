"""The Storage contract (interface.py) against MemoryStorage.

test_sqlite.py re-runs every test here against SqliteStorage (it star-imports this module and overrides
the `storage` / `make` fixtures), so these tests must use only the Storage protocol.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterator

import pytest

from fakeapi import codec
from fakeapi.storage import (
    ADDED,
    DELETED,
    MODIFIED,
    CompactedError,
    Event,
    FutureRevisionError,
    KeyExistsError,
    KeyNotFoundError,
    MemoryStorage,
    RevisionMismatchError,
    Storage,
)

Make = Callable[..., Storage]

PODS = "/registry/pods/"
DEFAULT_PODS = "/registry/pods/default/"


@pytest.fixture
def make() -> Iterator[Make]:
    opened: list[Storage] = []

    def _make(**kwargs: object) -> Storage:
        s = MemoryStorage(**kwargs)  # type: ignore[arg-type]
        opened.append(s)
        return s

    yield _make
    for s in opened:
        s.close()


@pytest.fixture
def storage(make: Make) -> Storage:
    return make()


def obj(name: str, **extra: object) -> dict:
    return {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": name}, **extra}


def keys(it: Iterator) -> list[str]:
    return [kv.key for kv in it]


def drain(watcher, timeout: float = 0.05) -> list[Event]:
    """Every event the watcher has or gets within `timeout` of the last one."""

    async def run() -> list[Event]:
        out: list[Event] = []
        while True:
            ev = await watcher.next(timeout)
            if ev is None:
                return out
            out.append(ev)

    return asyncio.run(run())


# ---- create / get ----------------------------------------------------------------------------------

def test_create_stamps_the_revision_into_the_object_and_the_bytes(storage: Storage) -> None:
    kv = storage.create(DEFAULT_PODS + "a", obj("a"))
    assert (kv.key, kv.create_rev, kv.mod_rev) == (DEFAULT_PODS + "a", 1, 1)
    assert kv.obj["metadata"]["resourceVersion"] == "1"
    assert codec.loads(kv.value) == kv.obj
    assert storage.revision == 1
    got = storage.get(DEFAULT_PODS + "a")
    assert got is not None
    assert (got.value, got.create_rev, got.mod_rev) == (kv.value, 1, 1)


def test_create_refuses_an_existing_key_and_does_not_consume_a_revision(storage: Storage) -> None:
    storage.create(DEFAULT_PODS + "a", obj("a"))
    with pytest.raises(KeyExistsError):
        storage.create(DEFAULT_PODS + "a", obj("a", spec={"x": 1}))
    assert storage.revision == 1
    got = storage.get(DEFAULT_PODS + "a")
    assert got is not None and "spec" not in got.obj


def test_get_of_a_missing_key_is_none(storage: Storage) -> None:
    assert storage.get(DEFAULT_PODS + "nope") is None
    storage.create(DEFAULT_PODS + "a", obj("a"))
    assert storage.get(DEFAULT_PODS + "a ") is None
    assert storage.get(DEFAULT_PODS) is None


# ---- scan / count ----------------------------------------------------------------------------------

def test_scan_returns_keys_under_the_prefix_in_lexicographic_order(storage: Storage) -> None:
    names = ["m", "b", "z", "a", "b0", "aa"]
    for n in names:
        storage.create(DEFAULT_PODS + n, obj(n))
    # neighbours that share a string prefix but are not under the directory prefix
    storage.create("/registry/pods/default2/a", obj("a"))
    storage.create("/registry/podsx/default/a", obj("a"))
    storage.create("/registry/pods/defaul", obj("x"))
    assert keys(storage.scan(DEFAULT_PODS)) == [DEFAULT_PODS + n for n in sorted(names)]
    assert keys(storage.scan(PODS)) == sorted([DEFAULT_PODS + n for n in names]
                                              + ["/registry/pods/default2/a", "/registry/pods/defaul"])
    assert storage.count(DEFAULT_PODS) == len(names)
    assert keys(storage.scan("/registry/nothing/")) == []
    assert storage.count("/registry/nothing/") == 0


def test_scan_and_count_strictly_after_start_after(storage: Storage) -> None:
    for n in ["a", "b", "c", "d"]:
        storage.create(DEFAULT_PODS + n, obj(n))
    assert keys(storage.scan(DEFAULT_PODS, DEFAULT_PODS + "b")) == [DEFAULT_PODS + "c", DEFAULT_PODS + "d"]
    assert storage.count(DEFAULT_PODS, DEFAULT_PODS + "b") == 2
    # a start key that is not itself stored
    assert keys(storage.scan(DEFAULT_PODS, DEFAULT_PODS + "bb")) == [DEFAULT_PODS + "c", DEFAULT_PODS + "d"]
    assert storage.count(DEFAULT_PODS, DEFAULT_PODS + "bb") == 2
    assert keys(storage.scan(DEFAULT_PODS, DEFAULT_PODS + "d")) == []
    assert storage.count(DEFAULT_PODS, DEFAULT_PODS + "d") == 0


def test_scan_reflects_deletes_and_recreates_between_ranges(storage: Storage) -> None:
    """Randomised against a dict model: creates, updates, deletes and re-creates interleaved with ranges."""
    rng = random.Random(7)
    model: dict[str, int] = {}
    names = [f"p{i:02d}" for i in range(30)]
    for step in range(600):
        name = rng.choice(names)
        key = DEFAULT_PODS + name
        op = rng.random()
        if key in model and op < 0.4:
            kv = storage.delete(key)
            del model[key]
            assert kv.mod_rev == storage.revision
        elif key in model and op < 0.6:
            kv = storage.update(key, obj(name, step=step), expected_mod_rev=model[key])
            model[key] = kv.mod_rev
        elif key not in model:
            model[key] = storage.create(key, obj(name)).mod_rev
        if step % 7 == 0:
            assert keys(storage.scan(DEFAULT_PODS)) == sorted(model)
            assert storage.count(DEFAULT_PODS) == len(model)
            after = DEFAULT_PODS + rng.choice(names)
            assert keys(storage.scan(DEFAULT_PODS, after)) == sorted(k for k in model if k > after)
            assert storage.count(DEFAULT_PODS, after) == len([k for k in model if k > after])
    assert {kv.key: kv.mod_rev for kv in storage.scan(DEFAULT_PODS)} == model


# ---- update (compare-and-swap) ------------------------------------------------------------------------

def test_update_is_a_compare_and_swap_on_the_mod_revision(storage: Storage) -> None:
    first = storage.create(DEFAULT_PODS + "a", obj("a"))
    storage.create(DEFAULT_PODS + "b", obj("b"))
    second = storage.update(DEFAULT_PODS + "a", obj("a", spec={"v": 2}), expected_mod_rev=first.mod_rev)
    assert (second.create_rev, second.mod_rev) == (1, 3)
    assert second.obj["metadata"]["resourceVersion"] == "3"
    with pytest.raises(RevisionMismatchError) as info:
        storage.update(DEFAULT_PODS + "a", obj("a", spec={"v": 3}), expected_mod_rev=first.mod_rev)
    assert info.value.current.mod_rev == 3
    assert info.value.current.obj["spec"] == {"v": 2}
    assert storage.revision == 3
    got = storage.get(DEFAULT_PODS + "a")
    assert got is not None and got.obj["spec"] == {"v": 2}


def test_update_of_a_missing_key_is_key_not_found(storage: Storage) -> None:
    with pytest.raises(KeyNotFoundError):
        storage.update(DEFAULT_PODS + "a", obj("a"), expected_mod_rev=1)
    assert storage.revision == 0


# ---- delete ----------------------------------------------------------------------------------------

def test_delete_removes_the_key_and_returns_the_last_state_at_the_deletion_revision(storage: Storage) -> None:
    storage.create(DEFAULT_PODS + "a", obj("a", spec={"v": 1}))
    tomb = storage.delete(DEFAULT_PODS + "a")
    assert (tomb.create_rev, tomb.mod_rev) == (1, 2)
    assert tomb.obj["spec"] == {"v": 1}
    assert tomb.obj["metadata"]["resourceVersion"] == "2"
    assert storage.get(DEFAULT_PODS + "a") is None
    assert keys(storage.scan(DEFAULT_PODS)) == []
    with pytest.raises(KeyNotFoundError):
        storage.delete(DEFAULT_PODS + "a")
    # a re-created key starts a new life: a new create revision
    again = storage.create(DEFAULT_PODS + "a", obj("a"))
    assert (again.create_rev, again.mod_rev) == (3, 3)


def test_delete_with_a_stale_expected_revision_is_refused(storage: Storage) -> None:
    first = storage.create(DEFAULT_PODS + "a", obj("a"))
    storage.update(DEFAULT_PODS + "a", obj("a", spec={}), expected_mod_rev=first.mod_rev)
    with pytest.raises(RevisionMismatchError):
        storage.delete(DEFAULT_PODS + "a", expected_mod_rev=first.mod_rev)
    assert storage.get(DEFAULT_PODS + "a") is not None
    storage.delete(DEFAULT_PODS + "a", expected_mod_rev=2)
    assert storage.get(DEFAULT_PODS + "a") is None


def test_one_global_monotonic_revision_across_every_prefix(storage: Storage) -> None:
    revs = [storage.create("/registry/pods/default/a", obj("a")).mod_rev,
            storage.create("/registry/configmaps/default/a", obj("a")).mod_rev,
            storage.create("/registry/apps/deployments/default/a", obj("a")).mod_rev]
    revs.append(storage.update("/registry/pods/default/a", obj("a", x=1), expected_mod_rev=1).mod_rev)
    revs.append(storage.delete("/registry/configmaps/default/a").mod_rev)
    assert revs == [1, 2, 3, 4, 5]
    assert storage.revision == 5


# ---- watch -----------------------------------------------------------------------------------------

def test_watch_replays_events_after_the_revision_then_delivers_live_ones(storage: Storage) -> None:
    storage.create(DEFAULT_PODS + "a", obj("a"))  # 1
    storage.create(DEFAULT_PODS + "b", obj("b"))  # 2
    storage.update(DEFAULT_PODS + "a", obj("a", v=1), expected_mod_rev=1)  # 3
    w = storage.watch(DEFAULT_PODS, 1)
    storage.delete(DEFAULT_PODS + "b")  # 4, live
    events = drain(w)
    assert [(e.type, e.kv.key, e.revision) for e in events] == [
        (ADDED, DEFAULT_PODS + "b", 2), (MODIFIED, DEFAULT_PODS + "a", 3), (DELETED, DEFAULT_PODS + "b", 4)]
    modified, deleted = events[1], events[2]
    assert modified.prev is not None and modified.prev.mod_rev == 1
    assert deleted.kv.obj["metadata"]["name"] == "b"
    assert deleted.kv.obj["metadata"]["resourceVersion"] == "4"
    assert deleted.prev is not None and deleted.prev.mod_rev == 2
    w.stop()


def test_watch_from_the_current_revision_replays_nothing(storage: Storage) -> None:
    storage.create(DEFAULT_PODS + "a", obj("a"))
    w = storage.watch(DEFAULT_PODS, storage.revision)
    assert w.pending() == []
    storage.create(DEFAULT_PODS + "b", obj("b"))
    assert [e.kv.key for e in w.pending()] == [DEFAULT_PODS + "b"]
    w.stop()


def test_watch_filters_by_prefix(storage: Storage) -> None:
    w = storage.watch(DEFAULT_PODS, 0)
    storage.create("/registry/pods/default2/a", obj("a"))
    storage.create("/registry/configmaps/default/a", obj("a"))
    storage.create(DEFAULT_PODS + "a", obj("a"))
    assert [(e.kv.key, e.revision) for e in drain(w)] == [(DEFAULT_PODS + "a", 3)]
    w.stop()


def test_watch_from_zero_replays_the_whole_window(storage: Storage) -> None:
    for n in "abc":
        storage.create(DEFAULT_PODS + n, obj(n))
    w = storage.watch(DEFAULT_PODS, 0)
    assert [e.revision for e in w.pending()] == [1, 2, 3]
    w.stop()


def test_watch_of_a_future_revision_is_refused(storage: Storage) -> None:
    storage.create(DEFAULT_PODS + "a", obj("a"))
    with pytest.raises(FutureRevisionError) as info:
        storage.watch(DEFAULT_PODS, 5)
    assert (info.value.requested, info.value.current) == (5, 1)


def test_watch_below_the_window_is_compacted(make: Make) -> None:
    s = make(window=3)
    for i in range(10):
        s.create(DEFAULT_PODS + f"p{i}", obj(f"p{i}"))
    # the window holds revisions 8, 9, 10: a watch must start at or after 7
    assert s.compacted_revision == 7
    with pytest.raises(CompactedError) as info:
        s.watch(DEFAULT_PODS, 6)
    assert (info.value.requested, info.value.compacted) == (6, 7)
    assert "required revision 6 has been compacted" in str(info.value)
    w = s.watch(DEFAULT_PODS, 7)
    assert [e.revision for e in w.pending()] == [8, 9, 10]
    w.stop()


def test_explicit_compaction_raises_the_floor_but_keeps_the_current_state(storage: Storage) -> None:
    for i in range(6):
        storage.create(DEFAULT_PODS + f"p{i}", obj(f"p{i}"))
    storage.delete(DEFAULT_PODS + "p0")  # 7
    storage.compact(5)
    assert storage.compacted_revision == 5
    with pytest.raises(CompactedError):
        storage.watch(DEFAULT_PODS, 4)
    assert [e.revision for e in storage.watch(DEFAULT_PODS, 5).pending()] == [6, 7]
    assert keys(storage.scan(DEFAULT_PODS)) == [DEFAULT_PODS + f"p{i}" for i in range(1, 6)]
    storage.compact(1000)  # never beyond the current revision
    assert storage.compacted_revision == storage.revision == 7


def test_watcher_next_times_out_with_none_and_stop_ends_it(storage: Storage) -> None:
    w = storage.watch(DEFAULT_PODS, 0)

    async def run() -> tuple:
        first = await w.next(0.01)
        w.stop()
        return first, await w.next(5)

    assert asyncio.run(run()) == (None, None)
    assert w.stopped
    storage.create(DEFAULT_PODS + "a", obj("a"))
    assert w.pending() == []


def test_stop_watches_ends_every_open_watch(storage: Storage) -> None:
    ws = [storage.watch(DEFAULT_PODS, 0), storage.watch("/registry/", 0)]

    async def run() -> list:
        async def one(w):
            return await w.next(5)

        tasks = [asyncio.create_task(one(w)) for w in ws]
        await asyncio.sleep(0.01)
        storage.stop_watches()
        return await asyncio.wait_for(asyncio.gather(*tasks), 2)

    assert asyncio.run(run()) == [None, None]
    assert all(w.stopped for w in ws)


def test_a_live_event_wakes_a_waiting_watcher(storage: Storage) -> None:
    w = storage.watch(DEFAULT_PODS, 0)

    async def run() -> Event | None:
        async def later() -> None:
            await asyncio.sleep(0.02)
            storage.create(DEFAULT_PODS + "a", obj("a"))

        task = asyncio.create_task(later())
        ev = await w.next(5)
        await task
        return ev

    ev = asyncio.run(run())
    assert ev is not None and (ev.type, ev.revision) == (ADDED, 1)
    w.stop()


# ---- scan_at (historical state) ----------------------------------------------------------------------

def test_scan_at_rebuilds_the_keyspace_as_of_an_earlier_revision(storage: Storage) -> None:
    snapshots: dict[int, list[tuple[str, dict]]] = {0: []}
    rng = random.Random(3)
    live: dict[str, int] = {}
    for step in range(80):
        name = f"p{rng.randrange(8)}"
        key = DEFAULT_PODS + name
        if key in live and rng.random() < 0.3:
            storage.delete(key)
            del live[key]
        elif key in live:
            live[key] = storage.update(key, obj(name, step=step), expected_mod_rev=live[key]).mod_rev
        else:
            live[key] = storage.create(key, obj(name, step=step)).mod_rev
        storage.create(f"/registry/other/{step}", obj("x"))  # writes elsewhere share the revision
        snapshots[storage.revision] = [(kv.key, kv.obj) for kv in storage.scan(DEFAULT_PODS)]
    for rev, snap in snapshots.items():
        assert [(kv.key, kv.obj) for kv in storage.scan_at(DEFAULT_PODS, rev)] == snap, rev
    # start_after applies to the historical view too
    rev = max(snapshots) - 20
    snap = snapshots[rev]
    assert len(snap) >= 2
    after = snap[0][0]
    assert [kv.key for kv in storage.scan_at(DEFAULT_PODS, rev, after)] == [k for k, _ in snap[1:]]


def test_scan_at_sees_a_deleted_object_with_its_own_revisions(storage: Storage) -> None:
    storage.create(DEFAULT_PODS + "a", obj("a", v=1))  # 1
    storage.update(DEFAULT_PODS + "a", obj("a", v=2), expected_mod_rev=1)  # 2
    storage.delete(DEFAULT_PODS + "a")  # 3
    (kv,) = list(storage.scan_at(DEFAULT_PODS, 2))
    assert (kv.obj["v"], kv.mod_rev, kv.create_rev, kv.obj["metadata"]["resourceVersion"]) == (2, 2, 1, "2")
    (kv,) = list(storage.scan_at(DEFAULT_PODS, 1))
    assert (kv.obj["v"], kv.mod_rev) == (1, 1)
    assert list(storage.scan_at(DEFAULT_PODS, 3)) == []


def test_scan_at_below_the_window_is_compacted(make: Make) -> None:
    s = make(window=2)
    for i in range(5):
        s.create(DEFAULT_PODS + f"p{i}", obj(f"p{i}"))
    assert s.compacted_revision == 3
    assert [kv.key for kv in s.scan_at(DEFAULT_PODS, 3)] == [DEFAULT_PODS + f"p{i}" for i in range(3)]
    with pytest.raises(CompactedError):
        list(s.scan_at(DEFAULT_PODS, 2))
