"""What the platform controllers share: a work queue of keys fed by store watches, and small helpers.

A controller here is the kube-controller-manager pattern reduced to one process: informer-style watches
(`fakeapi.cluster.informer.events`) turn every ADDED/MODIFIED/DELETED into keys on a deduplicating queue;
one worker calls `sync(key)`, which reads the current state from the ResourceStore, writes what must
change and may ask to be called again after some simulated seconds (back-offs, deadlines, schedules).
A watch that ends (the watch cache drops a slow watcher) is simply started again, which re-lists.
Conflicts (409) and other API errors requeue the key with a short back-off, as a rate-limited queue does.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable, Hashable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.informer import events, resource
from fakeapi.errors import StatusError
from fakeapi.registry.options import DeleteOptions, ListOptions, WriteOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.watch import WatchEvent

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext
    from fakeapi.server import Server

Obj = dict[str, Any]
log = logging.getLogger("fakeapi.platform")

CONTROLLER_MANAGER = "kube-controller-manager"
RETRY_SECONDS = 0.05  # real seconds before a failed sync is retried (doubling, capped)
RETRY_MAX = 2.0
MAX_RETRIES = 20
REWATCH_SECONDS = 0.2


def write_options(manager: str = CONTROLLER_MANAGER) -> WriteOptions:
    return WriteOptions(field_manager=manager)


BACKGROUND = DeleteOptions(propagation_policy="Background")


class WorkQueue:
    """Deduplicating keys, delayed adds in simulated seconds, one consumer."""

    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self._queue: asyncio.Queue[Hashable] = asyncio.Queue()
        self._queued: set[Hashable] = set()
        self._failures: dict[Hashable, int] = {}
        self._timers: set[asyncio.TimerHandle] = set()
        self._due: dict[Hashable, float] = {}

    def add(self, key: Hashable) -> None:
        if key in self._queued:
            return
        self._queued.add(key)
        self._queue.put_nowait(key)

    def add_after(self, key: Hashable, sim_seconds: float) -> None:
        self._add_later(key, self.ctx.clock.real_seconds(sim_seconds))

    def _add_later(self, key: Hashable, real_seconds: float) -> None:
        """One pending timer per key: a later request is dropped, an earlier one replaces it."""
        if real_seconds <= 0:
            self.add(key)
            return
        loop = asyncio.get_running_loop()
        due = loop.time() + real_seconds
        if key in self._due and self._due[key] <= due:
            return
        self._due[key] = due

        def fire() -> None:
            self._timers.discard(handle)
            if self._due.get(key) == due:
                del self._due[key]
                self.add(key)

        handle = loop.call_later(real_seconds, fire)
        self._timers.add(handle)

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
                except Exception:  # a controller bug must not stop the controller
                    log.exception("sync of %r failed", key)
                    self._retry(key, None)
                    continue
                self._failures.pop(key, None)
                if again is not None:
                    self.add_after(key, again)
                await asyncio.sleep(0)
        finally:
            for handle in self._timers:
                handle.cancel()
            self._timers.clear()

    def _retry(self, key: Hashable, exc: StatusError | None) -> None:
        count = self._failures.get(key, 0) + 1
        if count > MAX_RETRIES:  # give up until the next event about it, as a rate-limited queue would
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
    try:
        return server.store.get(info, namespace, name).obj
    except StatusError as exc:
        if exc.code == 404:
            return None
        raise


def list_objects(server: Server, info: ResourceInfo, namespace: str | None = None, label_selector: str = "") -> list[Obj]:
    return [kv.obj for kv in server.store.list(info, namespace, ListOptions(label_selector=label_selector)).items]


def delete(server: Server, info: ResourceInfo, namespace: str | None, name: str,
           opts: DeleteOptions | None = None, uid: str | None = None) -> bool:
    """Delete, ignoring an object already gone; False when it was not there."""
    if uid is not None:
        opts = DeleteOptions(propagation_policy=(opts or BACKGROUND).propagation_policy, precondition_uid=uid)
    try:
        server.store.delete(info, namespace, name, opts or BACKGROUND)
        return True
    except StatusError as exc:
        if exc.code in (404, 409):
            return False
        raise


def deep(obj: Any) -> Any:
    return copy.deepcopy(obj)


def controller_of(obj: Obj) -> Obj | None:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller"):
            return ref
    return None


def owner_ref(owner: Obj, *, block: bool = True) -> Obj:
    ref = {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
           "uid": owner["metadata"]["uid"], "controller": True}
    if block:
        ref["blockOwnerDeletion"] = True
    return ref


def object_ref(obj: Obj) -> Obj:
    meta = obj["metadata"]
    ref = {"kind": obj["kind"], "namespace": meta.get("namespace", ""), "name": meta["name"], "uid": meta["uid"],
           "apiVersion": obj["apiVersion"], "resourceVersion": meta.get("resourceVersion", "")}
    return {k: v for k, v in ref.items() if v}


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def now() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pod_ready(pod: Obj) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def pod_terminal(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def info_of(server: Server, group: str, version: str, plural: str) -> ResourceInfo:
    return resource(server, group, version, plural)
