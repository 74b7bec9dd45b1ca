"""ReplicaSet controller: keeps spec.replicas active pods that match the selector.

Contract (pkg/controller/replicaset):
- Pods are created from the template with generateName `<rs>-` and the controllerRef; missing, deleted,
  Failed or Succeeded pods are replaced (terminal pods stay until something else removes them); surplus
  pods are deleted unscheduled/pending/not-ready/newest first. Events `SuccessfulCreate`
  (`Created pod: web-7d4b9c8f5-abcde`) and `SuccessfulDelete` (`Deleted pod: ...`).
- Orphans matching the selector are adopted and owned pods that stopped matching are released, unless
  the ReplicaSet is being deleted, in which case it neither adopts nor creates nor deletes.
- Status: replicas (active pods), fullyLabeledReplicas, readyReplicas, availableReplicas (ready for
  minReadySeconds of simulated time), terminatingReplicas, observedGeneration; zeros are omitted as the
  Go types' omitempty does, except replicas and terminatingReplicas.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.informer import resource
from fakeapi.cluster.workloads import base
from fakeapi.cluster.workloads.owners import claim, controller_of, controller_ref, deleting, selector_of
from fakeapi.cluster.workloads.pods import Availability, active, deletion_order, pod_from_template, ready, terminating
from fakeapi.errors import StatusError
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext

Obj = dict[str, Any]
COMPONENT = "replicaset-controller"
BURST = 500


class ReplicaSetController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server = ctx.server
        self.replicasets = resource(self.server, "apps", "v1", "replicasets")
        self.pods = resource(self.server, "", "v1", "pods")
        self.queue = base.WorkQueue(ctx.clock)
        self.availability = Availability(ctx.clock)

    async def run(self) -> None:
        await asyncio.gather(
            base.watch(self.server, self.replicasets, self.on_replicaset),
            base.watch(self.server, self.pods, self.on_pod),
            self.queue.run(self.sync),
        )

    def on_replicaset(self, event: WatchEvent) -> None:
        meta = event.obj["metadata"]
        self.queue.add((meta["namespace"], meta["name"]))

    def on_pod(self, event: WatchEvent) -> None:
        pod = event.obj
        namespace = pod["metadata"]["namespace"]
        if event.type == DELETED:
            self.availability.forget(pod)
        else:
            self.availability.observe(pod)
        ref = controller_of(pod)
        if ref is not None:
            if ref.get("kind") == "ReplicaSet":
                self.queue.add((namespace, ref["name"]))
            return
        if event.type == DELETED:
            return
        labels = pod["metadata"].get("labels")
        for rs in base.list_objects(self.server, self.replicasets, namespace):
            if selector_of(rs).matches(labels):
                self.queue.add((namespace, rs["metadata"]["name"]))

    def sync(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        rs = base.get(self.server, self.replicasets, namespace, name)
        if rs is None:
            return None
        pods = claim(self.server, self.pods, rs, base.list_objects(self.server, self.pods, namespace), selector_of(rs))
        live = [p for p in pods if active(p)]
        ending = [p for p in pods if terminating(p)]
        if not deleting(rs):
            self.manage(rs, live)
        return self.update_status(rs, live, ending)

    def manage(self, rs: Obj, live: list[Obj]) -> None:
        want = (rs.get("spec") or {}).get("replicas")
        want = want if isinstance(want, int) else 1
        diff = len(live) - want
        if diff < 0:
            self.create_pods(rs, min(-diff, BURST))
        elif diff > 0:
            related = self.related_pods(rs, live)
            for pod in deletion_order(live, related, self.availability)[:diff]:
                meta = pod["metadata"]
                if base.delete(self.server, self.pods, meta["namespace"], meta["name"], uid=meta["uid"]):
                    self.ctx.recorder.record(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {meta['name']}",
                                             component=COMPONENT)

    def create_pods(self, rs: Obj, count: int) -> None:
        meta = rs["metadata"]
        template = (rs.get("spec") or {}).get("template") or {}
        for _ in range(count):
            pod = pod_from_template(template, controller_ref(rs), namespace=meta["namespace"],
                                    generate_name=f"{meta['name']}-")
            try:
                created = self.server.store.create(self.pods, meta["namespace"], pod).obj
            except StatusError as exc:
                self.ctx.recorder.record(rs, "Warning", "FailedCreate", f"Error creating: {exc.message}",
                                         component=COMPONENT)
                return
            self.ctx.recorder.record(rs, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                                     component=COMPONENT)

    def related_pods(self, rs: Obj, live: list[Obj]) -> list[Obj]:
        """Pods of the ReplicaSets that share this one's controller (a Deployment's other ReplicaSets)."""
        owner = controller_of(rs)
        if owner is None:
            return live
        namespace = rs["metadata"]["namespace"]
        sibling_uids = {r["metadata"]["uid"] for r in base.list_objects(self.server, self.replicasets, namespace)
                        if (controller_of(r) or {}).get("uid") == owner.get("uid")}
        return [p for p in base.list_objects(self.server, self.pods, namespace)
                if (controller_of(p) or {}).get("uid") in sibling_uids]

    def update_status(self, rs: Obj, live: list[Obj], ending: list[Obj]) -> float | None:
        spec = rs.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        fully_labeled = sum(1 for p in live
                            if all((p["metadata"].get("labels") or {}).get(k) == v for k, v in template_labels.items()))
        ready_pods = [p for p in live if ready(p)]
        waits = [self.availability.remaining(p, min_ready) for p in ready_pods]
        available = sum(1 for w in waits if w == 0.0)
        old = rs.get("status") or {}
        status: Obj = {"replicas": len(live)}
        for field, value in (("fullyLabeledReplicas", fully_labeled), ("readyReplicas", len(ready_pods)),
                             ("availableReplicas", available)):
            if value:
                status[field] = value
        status["terminatingReplicas"] = len(ending)
        if rs["metadata"].get("generation"):
            status["observedGeneration"] = rs["metadata"]["generation"]
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        if status != old:
            self.write_status(rs, status)
        pending = [w for w in waits if w is not None and w > 0]
        return min(pending) if pending else None

    def write_status(self, rs: Obj, status: Obj) -> None:
        uid = rs["metadata"]["uid"]

        def mutate(current: Obj) -> Obj:
            if current["metadata"].get("uid") != uid:
                raise StatusError(409, "Conflict", "replicaset was replaced")
            current["status"] = status
            return current

        self.server.store.guaranteed_update(self.replicasets, rs["metadata"]["namespace"], rs["metadata"]["name"],
                                            mutate, subresource="status")


async def replicaset_controller(ctx: ClusterContext) -> None:
    await ReplicaSetController(ctx).run()
