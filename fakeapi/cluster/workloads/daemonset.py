"""DaemonSet controller: one pod per eligible node.

Contract (pkg/controller/daemon):
- A node is eligible when the pod would fit it by nodeName, nodeSelector / required node affinity and
  taints (NoSchedule, NoExecute) against the template's tolerations plus the ones the controller always
  adds: node.kubernetes.io/not-ready and unreachable (NoExecute), disk-pressure, memory-pressure,
  pid-pressure and unschedulable (NoSchedule), and network-unavailable for hostNetwork pods. A pod
  that no longer fits but tolerates the NoExecute taints may keep running.
- Pods (generateName `<ds>-`) carry the labels `controller-revision-hash` and `pod-template-generation`
  and a required node affinity `matchFields metadata.name In [<node>]`, so the scheduler binds each to
  its node. Nodes that join get a pod; failed pods are deleted and replaced; pods on nodes that stopped
  fitting are deleted.
- RollingUpdate deletes out-of-date pods while at most maxUnavailable (of the desired count, rounded
  up) are unavailable, then creates their replacements; with maxSurge the new pod comes first and the
  old one goes once the new one is available. OnDelete leaves pods alone.
- ControllerRevisions `<ds>-<hash>` record each template; status has desired/current/ready/available/
  updated/misscheduled counts and observedGeneration. Events: `SuccessfulCreate` `Created pod: ...`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.informer import resource
from fakeapi.cluster.workloads import base, daemonrollout, revisions
from fakeapi.cluster.workloads.daemonpods import (
    GENERATION_LABEL, HASH_LABEL, add_daemon_tolerations, bind_to_node, creation_key, is_updated, should_run,
    target_node,
)
from fakeapi.cluster.workloads.hashing import compute_hash, scaled_value
from fakeapi.cluster.workloads.owners import claim, controller_of, controller_ref, deleting, selector_of
from fakeapi.cluster.workloads.pods import Availability, phase, pod_from_template, ready, terminal
from fakeapi.errors import StatusError
from fakeapi.registry.watch import WatchEvent
from fakeapi.resources.apps_v1.daemonsets import template_generation
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext

Obj = dict[str, Any]
COMPONENT = "daemonset-controller"
FAILED_BACKOFF = 1.0
FAILED_BACKOFF_MAX = 900.0


class DaemonSetController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server = ctx.server
        self.sets = resource(self.server, "apps", "v1", "daemonsets")
        self.pods = resource(self.server, "", "v1", "pods")
        self.nodes = resource(self.server, "", "v1", "nodes")
        self.history = resource(self.server, "apps", "v1", "controllerrevisions")
        self.queue = base.WorkQueue(ctx.clock)
        self.availability = Availability(ctx.clock)
        self.failed_backoff: dict[tuple[str, str, str], tuple[float, float]] = {}

    async def run(self) -> None:
        await asyncio.gather(
            base.watch(self.server, self.sets, self.on_set),
            base.watch(self.server, self.pods, self.on_pod),
            base.watch(self.server, self.nodes, self.on_node),
            base.watch(self.server, self.history, self.on_owned),
            self.queue.run(self.sync),
        )

    def on_set(self, event: WatchEvent) -> None:
        meta = event.obj["metadata"]
        self.queue.add((meta["namespace"], meta["name"]))

    def on_owned(self, event: WatchEvent) -> None:
        ref = controller_of(event.obj)
        if ref is not None and ref.get("kind") == "DaemonSet":
            self.queue.add((event.obj["metadata"]["namespace"], ref["name"]))

    def on_node(self, event: WatchEvent) -> None:
        for ds in base.list_objects(self.server, self.sets, None):
            self.queue.add((ds["metadata"]["namespace"], ds["metadata"]["name"]))

    def on_pod(self, event: WatchEvent) -> None:
        pod = event.obj
        if event.type == DELETED:
            self.availability.forget(pod)
        else:
            self.availability.observe(pod)
        namespace = pod["metadata"]["namespace"]
        ref = controller_of(pod)
        if ref is not None:
            if ref.get("kind") == "DaemonSet":
                self.queue.add((namespace, ref["name"]))
            return
        if event.type == DELETED:
            return
        for ds in base.list_objects(self.server, self.sets, namespace):
            if selector_of(ds).matches(pod["metadata"].get("labels")):
                self.queue.add((namespace, ds["metadata"]["name"]))

    # ---- sync --------------------------------------------------------------------------------------

    def sync(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        ds = base.get(self.server, self.sets, namespace, name)
        if ds is None or deleting(ds):
            return None
        selector = (ds.get("spec") or {}).get("selector")
        if isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get("matchExpressions"):
            self.event(ds, "Warning", "SelectingAll", "This daemon set is selecting all pods. A non-empty selector "
                                                      "is required.")
            return None
        nodes = base.list_objects(self.server, self.nodes, None)
        current, old = self.construct_history(ds)
        pod_hash = str((current["metadata"].get("labels") or {}).get(HASH_LABEL, ""))
        delays = [self.manage(ds, nodes, pod_hash)]
        strategy = ((ds.get("spec") or {}).get("updateStrategy") or {}).get("type", "RollingUpdate")
        if strategy == "RollingUpdate":
            daemonrollout.rolling_update(self, ds, nodes, pod_hash)
        self.cleanup_history(ds, old)
        delays.append(self.update_status(ds, nodes, pod_hash))
        pending = [d for d in delays if d is not None]
        return min(pending) if pending else None

    def pods_by_node(self, ds: Obj) -> dict[str, list[Obj]]:
        namespace = ds["metadata"]["namespace"]
        pods = claim(self.server, self.pods, ds, base.list_objects(self.server, self.pods, namespace), selector_of(ds))
        out: dict[str, list[Obj]] = {}
        for pod in pods:
            if terminal(pod) and pod["metadata"].get("deletionTimestamp"):
                continue
            node = target_node(pod)
            if node:
                out.setdefault(node, []).append(pod)
        return out

    # ---- history -----------------------------------------------------------------------------------

    def construct_history(self, ds: Obj) -> tuple[Obj, list[Obj]]:
        data = revisions.template_data(ds)
        history = revisions.owned(self.server, self.history, ds)
        current = [r for r in history if r.get("data") == data]
        old = [r for r in history if r.get("data") != data]
        next_number = max((revisions.number(r) for r in old), default=0) + 1
        if not current:
            return self.snapshot(ds, data, next_number), old
        keep = max(current, key=revisions.order)
        for duplicate in current:
            if duplicate is not keep:
                meta = duplicate["metadata"]
                base.delete(self.server, self.history, meta["namespace"], meta["name"], uid=meta["uid"])
        if revisions.number(keep) < next_number:
            keep = revisions.renumber(self.server, self.history, keep, next_number)
        return keep, old

    def snapshot(self, ds: Obj, data: Obj, number: int) -> Obj:
        meta = ds["metadata"]
        collisions = (ds.get("status") or {}).get("collisionCount")
        template = (ds.get("spec") or {}).get("template") or {}
        pod_hash = compute_hash(template, collisions)
        labels = {**((template.get("metadata") or {}).get("labels") or {}), HASH_LABEL: pod_hash}
        revision: Obj = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                         "metadata": {"name": f"{meta['name']}-{pod_hash}", "namespace": meta["namespace"],
                                      "labels": labels, "ownerReferences": [controller_ref(ds)]},
                         "data": data, "revision": number}
        if meta.get("annotations"):
            revision["metadata"]["annotations"] = dict(meta["annotations"])
        try:
            return self.server.store.create(self.history, meta["namespace"], revision).obj
        except StatusError as exc:
            if exc.reason != "AlreadyExists":
                raise
        existing = base.get(self.server, self.history, meta["namespace"], revision["metadata"]["name"])
        if existing is not None and existing.get("data") == data:
            return existing
        self.write_status(ds, {**(ds.get("status") or {}), "collisionCount": int(collisions or 0) + 1})
        raise StatusError(409, "Conflict", f"hash collision for daemon set {meta['name']}")

    def cleanup_history(self, ds: Obj, old: list[Obj]) -> None:
        limit = (ds.get("spec") or {}).get("revisionHistoryLimit")
        live = {(p["metadata"].get("labels") or {}).get(HASH_LABEL) for pods in self.pods_by_node(ds).values()
                for p in pods}
        unused = [r for r in old if (r["metadata"].get("labels") or {}).get(HASH_LABEL) not in live]
        excess = len(old) - (limit if isinstance(limit, int) else 10)
        revisions.prune(self.server, self.history, unused, len(unused) - max(excess, 0))

    # ---- pods --------------------------------------------------------------------------------------

    def manage(self, ds: Obj, nodes: list[Obj], pod_hash: str) -> float | None:
        by_node = self.pods_by_node(ds)
        create_on: list[str] = []
        delete: list[Obj] = []
        delays: list[float] = []
        surge = self.max_surge(ds, nodes) > 0
        node_names = set()
        for node in nodes:
            name = node["metadata"]["name"]
            node_names.add(name)
            run, keep = should_run(ds, node)
            pods = by_node.get(name)
            if run and not pods:
                create_on.append(name)
            elif keep:
                running = []
                for pod in pods or []:
                    if pod["metadata"].get("deletionTimestamp"):
                        continue
                    if phase(pod) == "Failed":
                        wait = self.failed_pod_backoff(ds, name)
                        if wait > 0:
                            delays.append(wait)
                            continue
                        self.event(ds, "Warning", "FailedDaemonPod", f"Found failed daemon pod "
                                   f"{pod['metadata']['namespace']}/{pod['metadata']['name']} on node {name}, "
                                   "will try to kill it")
                        delete.append(pod)
                    elif phase(pod) == "Succeeded":
                        delete.append(pod)
                    else:
                        running.append(pod)
                if not surge and len(running) > 1:
                    delete.extend(sorted(running, key=creation_key)[1:])
                elif surge and len(running) > 1:
                    delete.extend(self.surplus(running, pod_hash, ds))
            elif pods:
                delete.extend(p for p in pods if not p["metadata"].get("deletionTimestamp"))
        for name, pods in by_node.items():
            if name not in node_names:
                delete.extend(p for p in pods if not (p.get("spec") or {}).get("nodeName")
                              and not p["metadata"].get("deletionTimestamp"))
        self.sync_nodes(ds, delete, create_on, pod_hash)
        return min(delays) if delays else None

    def surplus(self, running: list[Obj], pod_hash: str, ds: Obj) -> list[Obj]:
        """With maxSurge a node may keep two pods: the oldest updated one, and the oldest old one while it is
        ready and the updated one not yet available. Everything else goes."""
        oldest_new: Obj | None = None
        oldest_old: Obj | None = None
        extra: list[Obj] = []
        for pod in sorted(running, key=creation_key):
            if (pod["metadata"].get("labels") or {}).get(HASH_LABEL) == pod_hash:
                if oldest_new is None:
                    oldest_new = pod
                    continue
            elif oldest_old is None:
                oldest_old = pod
                continue
            extra.append(pod)
        if oldest_new is not None and oldest_old is not None and \
                (not ready(oldest_old) or self.availability.available(oldest_new, self.min_ready(ds))):
            extra.append(oldest_old)
        return extra

    def failed_pod_backoff(self, ds: Obj, node: str) -> float:
        """Simulated seconds to wait before killing another failed pod on this node (doubling back-off)."""
        key = (ds["metadata"]["namespace"], ds["metadata"]["name"], node)
        loop_now = asyncio.get_running_loop().time()
        last, step = self.failed_backoff.get(key, (0.0, 0.0))
        if step and (loop_now - last) * self.ctx.clock.speed < step:
            return step - (loop_now - last) * self.ctx.clock.speed
        self.failed_backoff[key] = (loop_now, min(step * 2, FAILED_BACKOFF_MAX) if step else FAILED_BACKOFF)
        return 0.0

    def sync_nodes(self, ds: Obj, delete: list[Obj], create_on: list[str], pod_hash: str) -> None:
        meta = ds["metadata"]
        template = base.thaw((ds.get("spec") or {}).get("template") or {})
        labels = template.setdefault("metadata", {}).setdefault("labels", {})
        labels[GENERATION_LABEL] = str(template_generation(ds))
        if pod_hash:
            labels[HASH_LABEL] = pod_hash
        add_daemon_tolerations(template.setdefault("spec", {}))
        for node in create_on:
            pod = pod_from_template(template, controller_ref(ds), namespace=meta["namespace"],
                                    generate_name=f"{meta['name']}-")
            bind_to_node(pod["spec"], node)
            try:
                created = self.server.store.create(self.pods, meta["namespace"], pod).obj
            except StatusError as exc:
                self.event(ds, "Warning", "FailedCreate", f"Error creating: {exc.message}")
                continue
            self.event(ds, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}")
        for pod in delete:
            pmeta = pod["metadata"]
            if base.delete(self.server, self.pods, pmeta["namespace"], pmeta["name"], uid=pmeta.get("uid")):
                self.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {pmeta['name']}")

    @staticmethod
    def updated(pod: Obj, pod_hash: str, ds: Obj) -> bool:
        return is_updated(pod, pod_hash, template_generation(ds))

    @staticmethod
    def min_ready(ds: Obj) -> int:
        return int((ds.get("spec") or {}).get("minReadySeconds") or 0)

    def desired(self, ds: Obj, nodes: list[Obj]) -> int:
        return sum(1 for node in nodes if should_run(ds, node)[0])

    def max_surge(self, ds: Obj, nodes: list[Obj]) -> int:
        strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return 0
        return scaled_value((strategy.get("rollingUpdate") or {}).get("maxSurge", 0), self.desired(ds, nodes),
                            round_up=True)

    # ---- status ------------------------------------------------------------------------------------

    def update_status(self, ds: Obj, nodes: list[Obj], pod_hash: str) -> float | None:
        by_node = self.pods_by_node(ds)
        min_ready = self.min_ready(ds)
        counts = {"desired": 0, "current": 0, "misscheduled": 0, "ready": 0, "available": 0, "updated": 0}
        waits: list[float] = []
        for node in nodes:
            run, _ = should_run(ds, node)
            pods = by_node.get(node["metadata"]["name"], [])
            if not run:
                counts["misscheduled"] += bool(pods)
                continue
            counts["desired"] += 1
            if not pods:
                continue
            counts["current"] += 1
            pod = sorted(pods, key=creation_key)[0]
            if ready(pod):
                counts["ready"] += 1
                left = self.availability.remaining(pod, min_ready)
                if left == 0.0:
                    counts["available"] += 1
                elif left is not None:
                    waits.append(left)
            counts["updated"] += self.updated(pod, pod_hash, ds)
        old = ds.get("status") or {}
        status: Obj = {"currentNumberScheduled": counts["current"], "numberMisscheduled": counts["misscheduled"],
                       "desiredNumberScheduled": counts["desired"], "numberReady": counts["ready"]}
        optional = (("observedGeneration", ds["metadata"].get("generation")),
                    ("updatedNumberScheduled", counts["updated"]), ("numberAvailable", counts["available"]),
                    ("numberUnavailable", counts["desired"] - counts["available"]),
                    ("collisionCount", old.get("collisionCount")), ("conditions", old.get("conditions")))
        status.update({k: v for k, v in optional if v})
        if status != old:
            self.write_status(ds, status)
        return min(waits) if waits else None

    def write_status(self, ds: Obj, status: Obj) -> None:
        uid = ds["metadata"]["uid"]

        def mutate(current: Obj) -> Obj:
            if current["metadata"].get("uid") != uid:
                raise StatusError(409, "Conflict", "daemonset was replaced")
            current["status"] = status
            return current

        self.server.store.guaranteed_update(self.sets, ds["metadata"]["namespace"], ds["metadata"]["name"], mutate,
                                            subresource="status")

    def event(self, ds: Obj, type_: str, reason: str, message: str) -> None:
        self.ctx.recorder.record(ds, type_, reason, message, component=COMPONENT)


async def daemonset_controller(ctx: ClusterContext) -> None:
    await DaemonSetController(ctx).run()
