"""The default scheduler: binds pending pods to nodes and explains the ones it cannot place.

It keeps informer caches (nodes; requests of the pods bound to each node), filters nodes with the
predicates in `scheduling`, scores by least requested CPU then pod count, and binds through the
pods/binding path. An unschedulable pod gets PodScheduled=False (reason Unschedulable) with the
scheduler's `0/3 nodes are available: ...` message and a FailedScheduling event; it is retried when
nodes or bound pods change (see Scheduler's queues).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from fakeapi.cluster import scheduling
from fakeapi.cluster.events import EventRecorder
from fakeapi.cluster.informer import events, resource
from fakeapi.errors import StatusError
from fakeapi.registry.binding import bind, set_condition
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]
SCHEDULER_NAME = "default-scheduler"
UNSCHEDULABLE_FLUSH = 30.0
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class Scheduler:
    """Queues as kube-scheduler keeps them: new pods are tried at once; a pod that did not fit waits in
    the unschedulable set until something that could change the answer happens (a node changes, a
    bound pod goes away, the pod's own spec changes) or UNSCHEDULABLE_FLUSH seconds pass. Each pod is
    therefore tried a bounded number of times, however many pods are pending."""

    def __init__(self, server: Server, recorder: EventRecorder) -> None:
        self.server = server
        self.recorder = recorder
        self.pods = resource(server, "", "v1", "pods")
        self.nodes: dict[str, Obj] = {}
        self.bound: dict[str, dict[str, dict[str, Fraction]]] = {}  # node -> pod uid -> requests
        self.active: dict[str, tuple[str, str]] = {}  # pod uid -> (namespace, name): try now
        self.unschedulable: dict[str, tuple[str, str, int]] = {}  # + the generation that did not fit
        self.wakeup = asyncio.Event()

    async def run(self) -> None:
        await asyncio.gather(self._watch_nodes(), self._watch_pods(), self._loop())

    def _retry_unschedulable(self) -> None:
        for uid, (namespace, name, _gen) in self.unschedulable.items():
            self.active[uid] = (namespace, name)
        self.unschedulable.clear()
        if self.active:
            self.wakeup.set()

    async def _watch_nodes(self) -> None:
        async for ev in events(self.server, resource(self.server, "", "v1", "nodes")):
            name = ev.obj["metadata"]["name"]
            if ev.type == DELETED:
                self.nodes.pop(name, None)
            else:
                old = self.nodes.get(name)
                self.nodes[name] = ev.obj
                if old is not None and old.get("spec") == ev.obj.get("spec") and \
                        scheduling.node_ready(old) == scheduling.node_ready(ev.obj):
                    continue
            self._retry_unschedulable()

    async def _watch_pods(self) -> None:
        async for ev in events(self.server, self.pods):
            pod = ev.obj
            meta = pod["metadata"]
            uid = meta.get("uid", "")
            node = (pod.get("spec") or {}).get("nodeName")
            phase = (pod.get("status") or {}).get("phase")
            if ev.type == DELETED or phase in ("Succeeded", "Failed"):
                self.active.pop(uid, None)
                self.unschedulable.pop(uid, None)
                if node and uid in self.bound.get(node, {}):
                    del self.bound[node][uid]
                    self._retry_unschedulable()
                continue
            if node:
                self.active.pop(uid, None)
                self.unschedulable.pop(uid, None)
                self.bound.setdefault(node, {})[uid] = scheduling.pod_requests(pod)
            elif (pod.get("spec") or {}).get("schedulerName", SCHEDULER_NAME) == SCHEDULER_NAME \
                    and not meta.get("deletionTimestamp"):
                waiting = self.unschedulable.get(uid)
                if waiting is not None:
                    if waiting[2] != meta.get("generation"):
                        del self.unschedulable[uid]
                        self.active[uid] = (meta["namespace"], meta["name"])
                        self.wakeup.set()
                elif uid not in self.active:
                    self.active[uid] = (meta["namespace"], meta["name"])
                    self.wakeup.set()

    async def _loop(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self.wakeup.wait(), UNSCHEDULABLE_FLUSH)
            except TimeoutError:
                self._retry_unschedulable()
            self.wakeup.clear()
            batch, self.active = self.active, {}
            for uid, (namespace, name) in batch.items():
                kv = self.server.storage.get(self.pods.key(namespace, name))
                if kv is None or kv.obj["metadata"].get("uid") != uid or (kv.obj.get("spec") or {}).get("nodeName"):
                    continue
                if not self.schedule(kv.obj):
                    self.unschedulable[uid] = (namespace, name, kv.obj["metadata"].get("generation", 0))
            await asyncio.sleep(0)

    def schedule(self, pod: Obj) -> bool:
        """Bind the pod, or record why it cannot be placed; whether it was bound."""
        meta = pod["metadata"]
        namespace, name = meta["namespace"], meta["name"]
        feasible, failures = self.filter(pod)
        if feasible:
            node = min(feasible, key=self.score)
            try:
                bind(self.server.store, self.pods, namespace, name, node)
            except StatusError:
                return True
            self.bound.setdefault(node, {})[meta.get("uid", "")] = scheduling.pod_requests(pod)
            self.recorder.record(pod, "Normal", "Scheduled", f"Successfully assigned {namespace}/{name} to {node}",
                                 component=SCHEDULER_NAME)
            return True
        message = self.unschedulable_message(failures)
        status = pod.get("status") or {}
        already = any(c.get("type") == "PodScheduled" and c.get("message") == message
                      for c in status.get("conditions") or [])
        if not already:
            def mark(obj: Obj) -> Obj:
                set_condition(obj.setdefault("status", {}), "PodScheduled", "False", "Unschedulable", message)
                return obj

            try:
                self.server.store.guaranteed_update(self.pods, namespace, name, mark, subresource="status")
            except StatusError:
                return False
        self.recorder.record(pod, "Warning", "FailedScheduling", message, component=SCHEDULER_NAME)
        return False

    def filter(self, pod: Obj) -> tuple[list[str], list[list[str]]]:
        """Feasible node names, and for each other node the reasons it does not fit."""
        feasible: list[str] = []
        failures: list[list[str]] = []
        requests = scheduling.pod_requests(pod)
        for name, node in sorted(self.nodes.items()):
            reasons = self.unfit(pod, node, requests)
            if reasons:
                failures.append(reasons)
            else:
                feasible.append(name)
        return feasible, failures

    def unfit(self, pod: Obj, node: Obj, requests: dict[str, Fraction]) -> list[str]:
        if (node.get("spec") or {}).get("unschedulable") and not scheduling.tolerates(
                (pod.get("spec") or {}).get("tolerations") or [], UNSCHEDULABLE_TAINT):
            return ["node(s) were unschedulable"]
        if not scheduling.node_ready(node):
            return ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"]
        taint = scheduling.untolerated_taint(node, pod)
        if taint is not None:
            return [f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value', '')}}}"]
        if not scheduling.matches_node_selector(pod, node):
            return ["node(s) didn't match Pod's node affinity/selector"]
        alloc = scheduling.allocatable(node)
        used = self.bound.get(node["metadata"]["name"], {})
        reasons = []
        if len(used) + 1 > alloc.get("pods", Fraction(110)):
            reasons.append("Too many pods")
        for res in scheduling.RESOURCES:
            want = requests.get(res, Fraction(0))
            if want and sum((r.get(res, Fraction(0)) for r in used.values()), Fraction(0)) + want > alloc.get(res, Fraction(0)):
                reasons.append(f"Insufficient {res}")
        return reasons

    def score(self, node_name: str) -> tuple[Fraction, int, str]:
        used = self.bound.get(node_name, {})
        alloc = scheduling.allocatable(self.nodes[node_name])
        cpu = sum((r.get("cpu", Fraction(0)) for r in used.values()), Fraction(0))
        share = cpu / alloc["cpu"] if alloc.get("cpu") else Fraction(0)
        return share, len(used), node_name

    def unschedulable_message(self, failures: list[list[str]]) -> str:
        """FitError.Error(): `0/N nodes are available: <count reason, ...>. preemption: ...`, each list
        sorted as strings, as the scheduler's histogram printer does."""
        total = len(self.nodes)
        if total == 0:
            return "no nodes available to schedule pods"
        histogram = Counter(reason for reasons in failures for reason in reasons)
        parts = sorted(f"{count} {reason}" for reason, count in histogram.items())
        resource_only = Counter(
            "No preemption victims found for incoming pod"
            if all(r.startswith("Insufficient") or r == "Too many pods" for r in reasons)
            else "Preemption is not helpful for scheduling" for reasons in failures)
        preemption = sorted(f"{count} {why}" for why, count in resource_only.items())
        return (f"0/{total} nodes are available: {', '.join(parts)}. preemption: 0/{total} nodes are available: "
                f"{', '.join(preemption)}.")


async def scheduler(server: Server, recorder: EventRecorder) -> None:
    await Scheduler(server, recorder).run()
