"""StatefulSet controller: the control loop over ordinals (pkg/controller/statefulset).

- OrderedReady: ordinal n is created only when every lower ordinal is Running, Ready and available, and
  a terminating or unready pod stops everything; scale-down removes the highest ordinal first, one at a
  time. Parallel creates and deletes all at once. Failed or Succeeded pods are deleted and recreated.
- RollingUpdate (once every replica exists) replaces pods from the highest ordinal down to `partition`,
  keeping at most maxUnavailable replicas unavailable; OnDelete only gives recreated pods the new template.
- ControllerRevisions `<set>-<hash>` (labels: template labels + controller.kubernetes.io/hash) record each
  template; going back to an older template reuses its revision with the next number. Status carries
  currentRevision/updateRevision (equal again once the rollout completes), replicas, ready, current,
  updated and available counts, collisionCount and observedGeneration.
- Pod identity and claims: see `statefulpods`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.informer import resource
from fakeapi.cluster.workloads import base, revisions
from fakeapi.cluster.workloads.hashing import revision_hash, scaled_value
from fakeapi.cluster.workloads.owners import claim, controller_of, controller_ref, deleting, selector_of
from fakeapi.cluster.workloads.pods import Availability, phase, running_and_ready, terminal
from fakeapi.cluster.workloads.statefulpods import (
    REVISION_LABEL, StatefulPodControl, being_deleted, created, parent_and_ordinal, replicas, start_ordinal,
)
from fakeapi.errors import StatusError
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext

Obj = dict[str, Any]
HASH_LABEL = "controller.kubernetes.io/hash"


class StatefulSetController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server = ctx.server
        self.sets = resource(self.server, "apps", "v1", "statefulsets")
        self.pods = resource(self.server, "", "v1", "pods")
        self.claims = resource(self.server, "", "v1", "persistentvolumeclaims")
        self.history = resource(self.server, "apps", "v1", "controllerrevisions")
        self.queue = base.WorkQueue(ctx.clock)
        self.availability = Availability(ctx.clock)
        self.control = StatefulPodControl(self.server, ctx.recorder, self.pods, self.claims)

    async def run(self) -> None:
        await asyncio.gather(
            base.watch(self.server, self.sets, self.on_set),
            base.watch(self.server, self.pods, self.on_pod),
            base.watch(self.server, self.history, self.on_owned),
            self.queue.run(self.sync),
        )

    def on_set(self, event: WatchEvent) -> None:
        meta = event.obj["metadata"]
        self.queue.add((meta["namespace"], meta["name"]))

    def on_owned(self, event: WatchEvent) -> None:
        ref = controller_of(event.obj)
        if ref is not None and ref.get("kind") == "StatefulSet":
            self.queue.add((event.obj["metadata"]["namespace"], ref["name"]))

    def on_pod(self, event: WatchEvent) -> None:
        pod = event.obj
        if event.type == DELETED:
            self.availability.forget(pod)
        else:
            self.availability.observe(pod)
        ref = controller_of(pod)
        namespace = pod["metadata"]["namespace"]
        if ref is not None:
            if ref.get("kind") == "StatefulSet":
                self.queue.add((namespace, ref["name"]))
            return
        if event.type == DELETED:
            return
        parent, _ = parent_and_ordinal(pod["metadata"]["name"])
        sts = base.get(self.server, self.sets, namespace, parent) if parent else None
        if sts is not None and selector_of(sts).matches(pod["metadata"].get("labels")):
            self.queue.add((namespace, parent))

    # ---- sync --------------------------------------------------------------------------------------

    def sync(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        sts = base.get(self.server, self.sets, namespace, name)
        if sts is None:
            return None
        pods = claim(self.server, self.pods, sts, base.list_objects(self.server, self.pods, namespace),
                     selector_of(sts), accept=lambda p: parent_and_ordinal(p["metadata"]["name"])[0] == name)
        history = revisions.owned(self.server, self.history, sts)
        current, update, collisions = self.revisions(sts, history)
        status = self.reconcile(sts, current, update, collisions, pods)
        self.write_status(sts, status)
        self.truncate_history(sts, pods, revisions.owned(self.server, self.history, sts), current, update)
        min_ready = int((sts.get("spec") or {}).get("minReadySeconds") or 0)
        if min_ready > 0 and status.get("availableReplicas", 0) != replicas(sts):
            waits = [self.availability.remaining(p, min_ready) for p in pods]
            pending = [w for w in waits if w is not None and w > 0]
            return min(pending) if pending else None
        return None

    # ---- revisions ---------------------------------------------------------------------------------

    def revisions(self, sts: Obj, history: list[Obj]) -> tuple[Obj, Obj, int]:
        collisions = int((sts.get("status") or {}).get("collisionCount") or 0)
        data = revisions.template_data(sts)
        next_number = revisions.number(history[-1]) + 1 if history else 1
        equal = [r for r in history if r.get("data") == data]
        if equal and history and revisions.same_data(history[-1], equal[-1]):
            update = history[-1]
        elif equal:
            update = revisions.renumber(self.server, self.history, equal[-1], next_number)
        else:
            update, collisions = self.create_revision(sts, data, next_number, collisions)
        wanted = (sts.get("status") or {}).get("currentRevision")
        current = next((r for r in history if r["metadata"]["name"] == wanted), update)
        return current, update, collisions

    def create_revision(self, sts: Obj, data: Obj, number: int, collisions: int) -> tuple[Obj, int]:
        meta = sts["metadata"]
        labels = dict((((sts.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {})
        first_hash = revision_hash(data, collisions)
        labels[HASH_LABEL] = first_hash
        while True:
            name = f"{meta['name'][:223]}-{revision_hash(data, collisions)}"
            revision = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                        "metadata": {"name": name, "namespace": meta["namespace"], "labels": dict(labels),
                                     "ownerReferences": [controller_ref(sts)]},
                        "data": base.thaw(data), "revision": number}
            try:
                return self.server.store.create(self.history, meta["namespace"], revision).obj, collisions
            except StatusError as exc:
                if exc.reason != "AlreadyExists":
                    raise
            existing = base.get(self.server, self.history, meta["namespace"], name)
            if existing is not None and existing.get("data") == data:
                return existing, collisions
            collisions += 1

    def truncate_history(self, sts: Obj, pods: list[Obj], history: list[Obj], current: Obj, update: Obj) -> None:
        live = {current["metadata"]["name"], update["metadata"]["name"]}
        live |= {(p["metadata"].get("labels") or {}).get(REVISION_LABEL, "") for p in pods}
        old = [r for r in history if r["metadata"]["name"] not in live]
        limit = (sts.get("spec") or {}).get("revisionHistoryLimit")
        revisions.prune(self.server, self.history, old, limit if isinstance(limit, int) else 10)

    # ---- pods --------------------------------------------------------------------------------------

    # ---- the control loop --------------------------------------------------------------------------

    def healthy(self, pod: Obj) -> bool:
        return running_and_ready(pod) and not being_deleted(pod)

    def unavailable(self, pod: Obj, min_ready: int) -> bool:
        return not self.healthy(pod) or not self.availability.available(pod, min_ready)

    def reconcile(self, sts: Obj, current: Obj, update: Obj, collisions: int, pods: list[Obj]) -> Obj:
        spec = sts.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        first, count = start_ordinal(sts), replicas(sts)
        slots: list[Obj | None] = [None] * count
        condemned: list[Obj] = []
        for pod in pods:
            ordinal = parent_and_ordinal(pod["metadata"]["name"])[1]
            if first <= ordinal < first + count:
                slots[ordinal - first] = pod
            elif ordinal >= 0:
                condemned.append(pod)
        replicas_: list[Obj] = [pod if pod is not None else self.control.new_pod(sts, first + i, current, update)
                                for i, pod in enumerate(slots)]
        condemned.sort(key=lambda p: parent_and_ordinal(p["metadata"]["name"])[1], reverse=True)
        unhealthy = [p for p in replicas_ + condemned if self.unavailable(p, min_ready)]
        first_unhealthy = min(unhealthy, key=lambda p: parent_and_ordinal(p["metadata"]["name"])[1], default=None)
        status: Obj = {"observedGeneration": sts["metadata"].get("generation"),
                       "currentRevision": current["metadata"]["name"], "updateRevision": update["metadata"]["name"],
                       "collisionCount": collisions}
        monotonic = spec.get("podManagementPolicy") != "Parallel"
        if deleting(sts) or self.process_replicas(sts, replicas_, monotonic) or \
                self.process_condemned(sts, condemned, first_unhealthy, monotonic, min_ready):
            return self.count(status, min_ready, current, update, replicas_, condemned)
        self.count(status, min_ready, current, update, replicas_, condemned)
        if (spec.get("updateStrategy") or {}).get("type") == "OnDelete":
            return status
        return self.rolling_update(sts, replicas_, update, status, min_ready)

    def process_replicas(self, sts: Obj, replicas_: list[Obj], monotonic: bool) -> bool:
        """True when a monotonic (OrderedReady) set must wait before going further."""
        min_ready = int((sts.get("spec") or {}).get("minReadySeconds") or 0)
        for pod in replicas_:
            if terminal(pod):
                if not being_deleted(pod):
                    self.control.delete_pod(sts, pod)
                if monotonic:
                    return True
                continue
            if not created(pod):
                self.control.create_pod(sts, pod)
                if monotonic:
                    return True
                continue
            if being_deleted(pod) and monotonic:
                return True
            if phase(pod) == "Pending":
                self.control.ensure_claims(sts, pod)
            if monotonic and (not running_and_ready(pod) or not self.availability.available(pod, min_ready)):
                return True
            self.control.apply_retention(sts, pod)
        return False

    def process_condemned(self, sts: Obj, condemned: list[Obj], first_unhealthy: Obj | None, monotonic: bool,
                          min_ready: int) -> bool:
        for pod in condemned:
            self.control.apply_retention(sts, pod)
        for pod in condemned:
            if being_deleted(pod):
                if monotonic:
                    return True
                continue
            if monotonic and pod is not first_unhealthy and \
                    (not running_and_ready(pod) or not self.availability.available(pod, min_ready)):
                return True
            self.control.delete_pod(sts, pod)
            if monotonic:
                return True
        return False

    def rolling_update(self, sts: Obj, replicas_: list[Obj], update: Obj, status: Obj, min_ready: int) -> Obj:
        rolling = ((sts.get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate") or {}
        partition = int(rolling.get("partition") or 0)
        max_unavailable = max(1, scaled_value(rolling.get("maxUnavailable", 1), replicas(sts), round_up=False))
        unavailable = sum(1 for p in replicas_ if self.unavailable(p, min_ready))
        if unavailable >= max_unavailable:
            return status
        budget = max_unavailable - unavailable
        target = update["metadata"]["name"]
        for index in range(len(replicas_) - 1, partition - 1, -1):
            if budget <= 0:
                break
            pod = replicas_[index]
            if (pod["metadata"].get("labels") or {}).get(REVISION_LABEL) != target and not being_deleted(pod):
                self.control.delete_pod(sts, pod)
                budget -= 1
                status["currentReplicas"] = status.get("currentReplicas", 0) - 1
        return status

    def count(self, status: Obj, min_ready: int, current: Obj, update: Obj, *lists: list[Obj]) -> Obj:
        totals = {"replicas": 0, "readyReplicas": 0, "currentReplicas": 0, "updatedReplicas": 0,
                  "availableReplicas": 0}
        for pod in (p for pods in lists for p in pods):
            if created(pod):
                totals["replicas"] += 1
            if running_and_ready(pod):
                totals["readyReplicas"] += 1
                if self.availability.available(pod, min_ready):
                    totals["availableReplicas"] += 1
            if created(pod) and not being_deleted(pod):
                revision = (pod["metadata"].get("labels") or {}).get(REVISION_LABEL)
                totals["currentReplicas"] += revision == current["metadata"]["name"]
                totals["updatedReplicas"] += revision == update["metadata"]["name"]
        status.update(totals)
        return status

    def write_status(self, sts: Obj, status: Obj) -> None:
        strategy = ((sts.get("spec") or {}).get("updateStrategy") or {}).get("type", "RollingUpdate")
        if strategy == "RollingUpdate" and status["updatedReplicas"] == status["replicas"] and \
                status["readyReplicas"] == status["replicas"]:
            status["currentReplicas"] = status["updatedReplicas"]
            status["currentRevision"] = status["updateRevision"]
        old = sts.get("status") or {}
        out: Obj = {}
        for key in ("observedGeneration", "replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
                    "currentRevision", "updateRevision", "collisionCount"):
            value = status.get(key)
            if value or key in ("replicas", "collisionCount"):
                out[key] = value
        if old.get("conditions"):
            out["conditions"] = old["conditions"]
        out["availableReplicas"] = status["availableReplicas"]
        if out == old:
            return
        uid = sts["metadata"]["uid"]

        def mutate(current: Obj) -> Obj:
            if current["metadata"].get("uid") != uid:
                raise StatusError(409, "Conflict", "statefulset was replaced")
            current["status"] = out
            return current

        self.server.store.guaranteed_update(self.sets, sts["metadata"]["namespace"], sts["metadata"]["name"], mutate,
                                            subresource="status")


async def statefulset_controller(ctx: ClusterContext) -> None:
    await StatefulSetController(ctx).run()
