"""LogStore: one list of lines per container instance; the current and the previous instance; follow."""

from __future__ import annotations

import asyncio

from fakeapi.cluster.logs import MAX_LINES, LogStore

NS, POD, UID, C = "default", "web", "uid-1", "nginx"


def texts(store: LogStore, previous: bool = False, container: str = C) -> list[str]:
    return [line.text for line in store.lines(NS, POD, UID, container, previous)]


def test_nothing_logged_yet() -> None:
    store = LogStore()
    assert texts(store) == [] and texts(store, previous=True) == []


def test_lines_of_the_current_instance() -> None:
    store = LogStore()
    store.start(NS, POD, C)
    store.write(NS, POD, C, "SUCCESS")
    store.write(NS, POD, C, "line 2\nline 3")
    assert texts(store) == ["SUCCESS", "line 2", "line 3"]


def test_lines_carry_a_utc_timestamp_in_order() -> None:
    store = LogStore()
    store.start(NS, POD, C)
    store.write(NS, POD, C, "a")
    store.write(NS, POD, C, "b")
    a, b = store.lines(NS, POD, UID, C, False)
    assert a.time.tzinfo is not None and a.time <= b.time


def test_write_before_start_creates_an_instance() -> None:
    store = LogStore()
    store.write(NS, POD, C, "early")
    assert texts(store) == ["early"]


def test_previous_is_the_instance_before_the_current_one() -> None:
    store = LogStore()
    store.start(NS, POD, C)
    store.write(NS, POD, C, "first run")
    store.end(NS, POD, C)
    store.start(NS, POD, C)
    store.write(NS, POD, C, "second run")
    assert texts(store) == ["second run"]
    assert texts(store, previous=True) == ["first run"]


def test_only_two_instances_are_kept() -> None:
    store = LogStore()
    for i in range(5):
        store.start(NS, POD, C)
        store.write(NS, POD, C, f"run {i}")
    assert texts(store) == ["run 4"] and texts(store, previous=True) == ["run 3"]


def test_containers_are_separate() -> None:
    store = LogStore()
    store.start(NS, POD, "init-myservice")
    store.write(NS, POD, "init-myservice", "waiting for myservice")
    store.start(NS, POD, C)
    assert texts(store, container="init-myservice") == ["waiting for myservice"]
    assert texts(store) == []


def test_line_cap() -> None:
    store = LogStore()
    store.start(NS, POD, C)
    for i in range(MAX_LINES + 10):
        store.write(NS, POD, C, str(i))
    lines = texts(store)
    assert len(lines) == MAX_LINES and lines[0] == "10" and lines[-1] == str(MAX_LINES + 9)


def test_reset_forgets_a_pod() -> None:
    store = LogStore()
    store.start(NS, POD, C)
    store.write(NS, POD, C, "old pod")
    store.start(NS, "other", C)
    store.write(NS, "other", C, "keep")
    store.reset(NS, POD)
    assert texts(store) == []
    assert [ln.text for ln in store.lines(NS, "other", UID, C, False)] == ["keep"]


# ---- follow ------------------------------------------------------------------------------------------

def test_follow_yields_new_lines_until_the_instance_ends() -> None:
    async def scenario() -> list[str]:
        store = LogStore()
        store.start(NS, POD, C)
        store.write(NS, POD, C, "already there")
        got: list[str] = []

        async def reader() -> None:
            async for line in store.follow(NS, POD, UID, C):
                got.append(line.text)

        task = asyncio.create_task(reader())
        await asyncio.sleep(0)
        store.write(NS, POD, C, "one")
        await asyncio.sleep(0.01)
        store.write(NS, POD, C, "two\nthree")
        await asyncio.sleep(0.01)
        assert not task.done()
        store.end(NS, POD, C)
        await asyncio.wait_for(task, 1)
        return got

    # the web layer sends the existing lines itself; follow only streams what comes after subscribing
    assert asyncio.run(scenario()) == ["one", "two", "three"]


def test_follow_ends_when_the_container_restarts() -> None:
    async def scenario() -> bool:
        store = LogStore()
        store.start(NS, POD, C)

        async def reader() -> None:
            async for _ in store.follow(NS, POD, UID, C):
                pass

        task = asyncio.create_task(reader())
        await asyncio.sleep(0)
        store.start(NS, POD, C)
        await asyncio.wait_for(task, 1)
        return True

    assert asyncio.run(scenario())


def test_follow_ends_when_the_pod_is_reset() -> None:
    async def scenario() -> bool:
        store = LogStore()
        store.start(NS, POD, C)

        async def reader() -> None:
            async for _ in store.follow(NS, POD, UID, C):
                pass

        task = asyncio.create_task(reader())
        await asyncio.sleep(0)
        store.reset(NS, POD)
        await asyncio.wait_for(task, 1)
        return True

    assert asyncio.run(scenario())


def test_follow_of_an_unknown_container_is_empty() -> None:
    async def scenario() -> list[str]:
        return [line.text async for line in LogStore().follow(NS, POD, UID, C)]

    assert asyncio.run(scenario()) == []


def test_follow_of_an_ended_instance_returns_at_once() -> None:
    async def scenario() -> list[str]:
        store = LogStore()
        store.start(NS, POD, C)
        store.write(NS, POD, C, "SUCCESS")
        store.end(NS, POD, C)
        return [line.text async for line in store.follow(NS, POD, UID, C)]

    assert asyncio.run(asyncio.wait_for(scenario(), 1)) == []
