"""The watch cache (storage/watch.py): the bounded window, replay + live fan-out, slow watchers."""

from __future__ import annotations

import asyncio

import pytest

from fakeapi.storage import ADDED, DELETED, MODIFIED, CompactedError, Event, FutureRevisionError, KeyValue
from fakeapi.storage.memory import MemoryStorage
from fakeapi.storage.watch import WatchHub


def event(rev: int, key: str = "/registry/pods/default/a", kind: str = ADDED) -> Event:
    kv = KeyValue(key, b"{}", {}, rev, rev)
    return Event(kind, kv, None)


def test_the_window_keeps_the_newest_events_and_records_the_compacted_revision() -> None:
    hub = WatchHub(window=3)
    for rev in range(1, 7):
        hub.record(event(rev))
    assert [e.revision for e in hub.since(0)] == [4, 5, 6]
    assert hub.compacted_revision == 3
    assert [e.revision for e in hub.since(4)] == [5, 6]
    assert hub.since(6) == []


def test_watch_below_the_window_raises_compacted_and_above_the_head_raises_future() -> None:
    hub = WatchHub(window=2)
    for rev in range(1, 5):
        hub.record(event(rev))
    with pytest.raises(CompactedError) as info:
        hub.watch("/registry/", 1, 4)
    assert (info.value.requested, info.value.compacted) == (1, 2)
    with pytest.raises(FutureRevisionError):
        hub.watch("/registry/", 5, 4)
    w = hub.watch("/registry/", 2, 4)
    assert [e.revision for e in w.pending()] == [3, 4]


def test_replay_and_live_delivery_leave_no_gap_and_no_duplicate() -> None:
    hub = WatchHub()
    for rev in range(1, 4):
        hub.record(event(rev))
    w = hub.watch("/registry/pods/", 1, 3)
    hub.record(event(4))
    hub.record(event(5, "/registry/configmaps/default/a"))
    hub.record(event(6, kind=MODIFIED))
    assert [e.revision for e in w.pending()] == [2, 3, 4, 6]
    assert w.pending() == []


def test_fan_out_reaches_every_watcher_of_a_matching_prefix() -> None:
    hub = WatchHub()
    everything = hub.watch("/registry/", 0, 0)
    pods = hub.watch("/registry/pods/", 0, 0)
    one = hub.watch("/registry/pods/default/b", 0, 0)
    hub.record(event(1, "/registry/pods/default/a"))
    hub.record(event(2, "/registry/pods/default/b", DELETED))
    hub.record(event(3, "/registry/secrets/default/b"))
    assert [e.revision for e in everything.pending()] == [1, 2, 3]
    assert [e.revision for e in pods.pending()] == [1, 2]
    assert [e.revision for e in one.pending()] == [2]
    assert hub.watcher_count == 3
    one.stop()
    assert hub.watcher_count == 2
    hub.stop_all()
    assert hub.watcher_count == 0


def test_a_watcher_that_falls_too_far_behind_is_stopped() -> None:
    hub = WatchHub(max_queue=3)
    w = hub.watch("/registry/", 0, 0)
    for rev in range(1, 5):
        hub.record(event(rev))
    assert w.stopped
    assert hub.watcher_count == 0

    async def rest() -> list:
        out = []
        while (ev := await w.next(1)) is not None:
            out.append(ev.revision)
        return out

    # what was queued before the overflow can still be read; then the stream ends
    assert asyncio.run(rest()) == [1, 2, 3]


def test_seed_restores_a_window_after_restart() -> None:
    hub = WatchHub(window=3)
    hub.seed([event(r) for r in range(11, 16)], compacted_revision=10)
    assert [e.revision for e in hub.since(0)] == [13, 14, 15]
    assert hub.compacted_revision == 12
    hub2 = WatchHub(window=10)
    hub2.seed([event(r) for r in range(11, 16)], compacted_revision=10)
    assert hub2.compacted_revision == 10
    assert [e.revision for e in hub2.watch("/registry/", 10, 15).pending()] == [11, 12, 13, 14, 15]


def test_compaction_of_the_hub_drops_history_up_to_the_revision() -> None:
    hub = WatchHub()
    for rev in range(1, 6):
        hub.record(event(rev))
    hub.compact(3)
    assert [e.revision for e in hub.since(0)] == [4, 5]
    assert hub.compacted_revision == 3
    hub.compact(2)  # never lowers the floor
    assert hub.compacted_revision == 3


def test_storage_watchers_are_removed_when_stopped() -> None:
    s = MemoryStorage()
    w1 = s.watch("/registry/", 0)
    s.watch("/registry/pods/", 0)
    assert s.watcher_count == 2
    w1.stop()
    assert s.watcher_count == 1
    s.close()
    assert s.watcher_count == 0
