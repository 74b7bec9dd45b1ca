"""The garbage collector: dependents follow their owners (pkg/controller/garbagecollector).

It watches every served kind and keeps an index owner uid -> dependents, built from ownerReferences in
watch events (primed by one listing at start, so it is complete before the first decision), and the set
of uids it has seen alive. Decisions are always re-checked against the store:

- A dependent none of whose owners exists any more (absent, or present with another uid) is deleted,
  Background, Orphan or Foreground as its own finalizers say. A dependent that still has an owner only
  loses the references to the vanished ones.
- Foreground: an owner being deleted with the `foregroundDeletion` finalizer gets all its dependents
  deleted (those that have dependents of their own in the foreground too), and the finalizer is removed
  once no dependent with blockOwnerDeletion is left.
- Orphan: an owner being deleted with the `orphan` finalizer has the references to it removed from its
  dependents, then the finalizer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from fakeapi.cluster.workloads import base
from fakeapi.errors import StatusError
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext

Obj = dict[str, Any]
ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"


class Ident(NamedTuple):
    prefix: str  # the kind's storage prefix: unique per kind
    namespace: str
    name: str
    uid: str


class GarbageCollector:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server = ctx.server
        self.kinds: dict[str, ResourceInfo] = {}
        for info in self.server.registry.resources:
            if "watch" in info.verbs and "list" in info.verbs:
                self.kinds.setdefault(info.key_prefix(), info)
        self.dependents: dict[str, set[Ident]] = {}
        self.owners: dict[Ident, frozenset[str]] = {}
        self.alive: set[str] = set()
        self.deleting: dict[str, Ident] = {}
        self.queue = base.WorkQueue(ctx.clock)

    async def run(self) -> None:
        for prefix, info in self.kinds.items():
            for obj in base.list_objects(self.server, info, None):
                self.observe(prefix, obj, deleted=False)
        await asyncio.gather(self.queue.run(self.sync),
                             *(base.watch(self.server, info, self.handler(prefix))
                               for prefix, info in self.kinds.items()))

    def handler(self, prefix: str) -> Callable[[WatchEvent], None]:
        def on_event(event: WatchEvent) -> None:
            self.observe(prefix, event.obj, deleted=event.type == DELETED)
        return on_event

    # ---- the graph ---------------------------------------------------------------------------------

    def observe(self, prefix: str, obj: Obj, *, deleted: bool) -> None:
        meta = obj["metadata"]
        ident = Ident(prefix, str(meta.get("namespace") or ""), meta["name"], str(meta.get("uid") or ""))
        refs = [r for r in meta.get("ownerReferences") or [] if isinstance(r, dict) and r.get("uid")]
        if deleted:
            self.alive.discard(ident.uid)
            self.deleting.pop(ident.uid, None)
            self.index(ident, frozenset())
            for dependent in self.dependents.pop(ident.uid, set()):
                self.queue.add(("dependent", dependent))
            for ref in refs:
                waiting = self.deleting.get(str(ref["uid"]))
                if waiting is not None:
                    self.queue.add(("owner", waiting))
            return
        self.alive.add(ident.uid)
        self.index(ident, frozenset(str(r["uid"]) for r in refs))
        if any(str(r["uid"]) not in self.alive or str(r["uid"]) in self.deleting for r in refs):
            self.queue.add(("dependent", ident))
        finalizers = meta.get("finalizers") or []
        if meta.get("deletionTimestamp") and (ORPHAN in finalizers or FOREGROUND in finalizers):
            self.deleting[ident.uid] = ident
            self.queue.add(("owner", ident))
            for dependent in self.dependents.get(ident.uid, set()):
                self.queue.add(("dependent", dependent))
        else:
            self.deleting.pop(ident.uid, None)

    def index(self, ident: Ident, owner_uids: frozenset[str]) -> None:
        before = self.owners.get(ident, frozenset())
        if before == owner_uids:
            return
        for uid in before - owner_uids:
            deps = self.dependents.get(uid)
            if deps is not None:
                deps.discard(ident)
                if not deps:
                    del self.dependents[uid]
        for uid in owner_uids - before:
            self.dependents.setdefault(uid, set()).add(ident)
        if owner_uids:
            self.owners[ident] = owner_uids
        else:
            self.owners.pop(ident, None)

    # ---- decisions ---------------------------------------------------------------------------------

    def sync(self, key: tuple[str, Ident]) -> float | None:
        what, ident = key
        obj = self.live(ident)
        if obj is None:
            return None
        if what == "owner" or FOREGROUND in (obj["metadata"].get("finalizers") or []) and \
                obj["metadata"].get("deletionTimestamp"):
            self.process_owner(ident, obj)
        if what == "dependent":
            self.attempt_to_delete(ident, obj)
        return None

    def live(self, ident: Ident) -> Obj | None:
        info = self.kinds.get(ident.prefix)
        if info is None:
            return None
        obj = base.get(self.server, info, ident.namespace or None, ident.name)
        if obj is None or obj["metadata"].get("uid") != ident.uid:
            return None
        return obj

    def owner_state(self, ref: Obj, namespace: str) -> str:
        """'solid', 'dangling' or 'waiting' (being deleted in the foreground)."""
        info = self.server.registry.by_api_version_kind(str(ref.get("apiVersion") or ""), str(ref.get("kind") or ""))
        if info is None:
            return "solid"
        if info.namespaced and not namespace:
            return "dangling"
        owner = base.get(self.server, info, namespace if info.namespaced else None, str(ref.get("name") or ""))
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            return "dangling"
        meta = owner["metadata"]
        if meta.get("deletionTimestamp") and FOREGROUND in (meta.get("finalizers") or []):
            return "waiting"
        return "solid"

    def attempt_to_delete(self, ident: Ident, obj: Obj) -> None:
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            return
        refs = [r for r in meta.get("ownerReferences") or [] if isinstance(r, dict)]
        if not refs:
            return
        states = {str(r.get("uid")): self.owner_state(r, ident.namespace) for r in refs}
        if "solid" in states.values():
            gone = {uid for uid, state in states.items() if state != "solid"}
            if gone:
                self.drop_refs(ident, gone)
            return
        finalizers = meta.get("finalizers") or []
        if "waiting" in states.values() and self.dependents.get(ident.uid):
            policy = "Foreground"
        elif ORPHAN in finalizers:
            policy = "Orphan"
        elif FOREGROUND in finalizers:
            policy = "Foreground"
        else:
            policy = "Background"
        info = self.kinds[ident.prefix]
        base.delete(self.server, info, ident.namespace or None, ident.name, uid=ident.uid, policy=policy)

    def process_owner(self, ident: Ident, obj: Obj) -> None:
        meta = obj["metadata"]
        finalizers = meta.get("finalizers") or []
        if not meta.get("deletionTimestamp"):
            return
        if ORPHAN in finalizers:
            for dependent in list(self.dependents.get(ident.uid, set())):
                self.drop_refs(dependent, {ident.uid})
            self.remove_finalizer(ident, ORPHAN)
            return
        if FOREGROUND not in finalizers:
            return
        blocking = False
        for dependent in list(self.dependents.get(ident.uid, set())):
            dep = self.live(dependent)
            if dep is None:
                continue
            ref = next((r for r in dep["metadata"].get("ownerReferences") or [] if r.get("uid") == ident.uid), None)
            if ref is None:
                continue
            blocking = blocking or ref.get("blockOwnerDeletion") is True
            if not dep["metadata"].get("deletionTimestamp"):
                self.queue.add(("dependent", dependent))
        if not blocking:
            self.remove_finalizer(ident, FOREGROUND)

    # ---- writes ------------------------------------------------------------------------------------

    def drop_refs(self, ident: Ident, owner_uids: set[str]) -> None:
        def mutate(current: Obj) -> Obj:
            if current["metadata"].get("uid") != ident.uid:
                raise StatusError(409, "Conflict", "object was replaced")
            refs = [r for r in current["metadata"].get("ownerReferences") or [] if r.get("uid") not in owner_uids]
            if refs:
                current["metadata"]["ownerReferences"] = refs
            else:
                current["metadata"].pop("ownerReferences", None)
            return current

        self.write(ident, mutate)

    def remove_finalizer(self, ident: Ident, finalizer: str) -> None:
        def mutate(current: Obj) -> Obj:
            if current["metadata"].get("uid") != ident.uid:
                raise StatusError(409, "Conflict", "object was replaced")
            rest = [f for f in current["metadata"].get("finalizers") or [] if f != finalizer]
            if rest:
                current["metadata"]["finalizers"] = rest
            else:
                current["metadata"].pop("finalizers", None)
            return current

        self.write(ident, mutate)

    def write(self, ident: Ident, mutate: Callable[[Obj], Obj]) -> None:
        info = self.kinds[ident.prefix]
        try:
            self.server.store.guaranteed_update(info, ident.namespace or None, ident.name, mutate)
        except StatusError as exc:
            if exc.code != 404:
                raise


async def garbage_collector(ctx: ClusterContext) -> None:
    await GarbageCollector(ctx).run()
