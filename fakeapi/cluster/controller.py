"""The controller runtime every simulated controller shares: a work queue of keys fed by store watches.

This is kube-controller-manager's informer + rate-limited work queue pattern reduced to one process:
watches (`fakeapi.cluster.informer.events`) turn ADDED/MODIFIED/DELETED into keys on a deduplicating
queue, and one worker calls `sync(key)`. A sync is plain synchronous code: it reads the current state
from the ResourceStore (so there is no informer cache to lag behind and no need for upstream's
"expectations"), writes what must change, and may return a delay in simulated seconds after which it
wants to run again (minReadySeconds, progress deadlines, back-offs, schedules). Because the store is
synchronous and the whole server shares one event loop, nothing else writes while a sync runs.

A watch that ends (the watch cache drops a slow watcher) is started again, which re-lists. API errors
(409 conflicts above all) requeue the key with a short, doubling back-off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from fakeapi import codec
from fakeapi.cluster.informer import events
from fakeapi.errors import StatusError
from fakeapi.registry.options import DeleteOptions, ListOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.watch import WatchEvent

if TYPE_CHECKING:
    from fakeapi.cluster.clock import SimClock
    from fakeapi.server import Server

Obj = dict[str, Any]
log = logging.getLogger("fakeapi.cluster")

RETRY_SECONDS = 0.05
RETRY_MAX = 2.0
MAX_RETRIES = 20
REWATCH_SECONDS = 0.2


class WorkQueue:
    """Deduplicating keys; delayed adds (simulated seconds) keep only the earliest pending timer per key."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self._queue: asyncio.Queue[Hashable] = asyncio.Queue()
        self._queued: set[Hashable] = set()
        self._failures: dict[Hashable, int] = {}
        self._timers: dict[Hashable, tuple[float, asyncio.TimerHandle]] = {}

    def add(self, key: Hashable) -> None:
        if key in self._queued:
            return
        self._queued.add(key)
        self._queue.put_nowait(key)

    def add_after(self, key: Hashable, sim_seconds: float) -> None:
        self._add_later(key, self.clock.real_seconds(sim_seconds))

    def _add_later(self, key: Hashable, real_seconds: float) -> None:
        if real_seconds <= 0:
            self.add(key)
            return
        loop = asyncio.get_running_loop()
        due = loop.time() + real_seconds
        pending = self._timers.get(key)
        if pending is not None:
            if pending[0] <= due:
                return
            pending[1].cancel()

        def fire() -> None:
            self._timers.pop(key, None)
            self.add(key)

        self._timers[key] = (due, loop.call_later(real_seconds, fire))

    async def run(self, sync: Callable[[Any], float | None]) -> None:
        try:
            while True:
                key = await self._queue.get()
                self._queued.discard(key)
                try:
                    again = sync(key)
                except StatusError as exc:
                    self._retry(key, exc)
                    continue
                except Exception:
                    log.exception("sync of %r failed", key)
                    self._retry(key, None)
                    continue
                self._failures.pop(key, None)
                if again is not None:
                    self.add_after(key, again)
                await asyncio.sleep(0)
        finally:
            for _, handle in self._timers.values():
                handle.cancel()
            self._timers.clear()

    def _retry(self, key: Hashable, exc: StatusError | None) -> None:
        count = self._failures.get(key, 0) + 1
        if count > MAX_RETRIES:
            self._failures.pop(key, None)
            log.warning("dropping %r after %d failed syncs: %s", key, MAX_RETRIES, exc)
            return
        self._failures[key] = count
        self._add_later(key, min(RETRY_SECONDS * 2 ** (count - 1), RETRY_MAX))


async def watch(server: Server, info: ResourceInfo, handler: Callable[[WatchEvent], None],
                label_selector: str = "") -> None:
    """Feed every event of `info` to `handler`, forever; restart (and re-list) when the watch ends."""
    while True:
        async for event in events(server, info, label_selector=label_selector):
            try:
                handler(event)
            except Exception:
                log.exception("watch handler for %s failed", info.plural)
        await asyncio.sleep(REWATCH_SECONDS)


# ---- store helpers -------------------------------------------------------------------------------

def get(server: Server, info: ResourceInfo, namespace: str | None, name: str) -> Obj | None:
    """The stored object (shared: never mutate it), or None."""
    kv = server.storage.get(info.key(namespace, name))
    return None if kv is None else kv.obj


def thaw(obj: Obj) -> Obj:
    """A private, mutable copy. Objects read from the store, and those handed to it, are shared: once
    written, a dict belongs to storage and must not change."""
    copied: Obj = codec.loads(codec.dumps(obj))
    return copied


def list_objects(server: Server, info: ResourceInfo, namespace: str | None = None,
                 label_selector: str = "") -> list[Obj]:
    """Every stored object of a kind in a namespace (shared: never mutate them)."""
    return [kv.obj for kv in server.store.list(info, namespace, ListOptions(label_selector=label_selector)).items]


def delete(server: Server, info: ResourceInfo, namespace: str | None, name: str, *, uid: str | None = None,
           policy: str | None = None) -> bool:
    """Delete, ignoring an object already gone or replaced (uid precondition); False when nothing was done."""
    try:
        server.store.delete(info, namespace, name, DeleteOptions(propagation_policy=policy, precondition_uid=uid))
        return True
    except StatusError as exc:
        if exc.code in (404, 409):
            return False
        raise


def update(server: Server, info: ResourceInfo, obj: Obj, *, status: bool = False) -> Obj:
    """Write `obj` (a private copy) as it is, through the main resource or /status; the stored result."""
    meta = obj["metadata"]
    kv = server.store.guaranteed_update(info, meta.get("namespace"), meta["name"], lambda _current: obj,
                                        subresource="status" if status else "")
    return kv.obj
