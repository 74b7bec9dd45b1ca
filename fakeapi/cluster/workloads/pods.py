"""Pod facts the workload controllers share (pkg/api/v1/pod and pkg/controller helpers).

- active: not Succeeded/Failed and not being deleted (FilterActivePods); terminating: being deleted but
  not yet terminal.
- available: Ready for at least minReadySeconds of *simulated* time. Timestamps in the API have whole
  seconds, which at a high simulation speed would be far too coarse, so `Availability` also remembers
  when this process first saw each Ready transition and measures from the later of the two.
- `pod_from_template` is GetPodFromTemplate: labels, annotations and finalizers of the template,
  generateName `<owner>-`, the controllerRef, and the template's spec.
- `deletion_order` sorts the pods a ReplicaSet should delete first (ActivePodsWithRanks).
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

from fakeapi.cluster.clock import SimClock

Obj = dict[str, Any]
PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


def phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def terminal(pod: Obj) -> bool:
    return phase(pod) in ("Succeeded", "Failed")


def being_deleted(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def active(pod: Obj) -> bool:
    return not terminal(pod) and not being_deleted(pod)


def terminating(pod: Obj) -> bool:
    return being_deleted(pod) and not terminal(pod)


def ready_condition(pod: Obj) -> Obj | None:
    found: Obj | None = next((c for c in (pod.get("status") or {}).get("conditions") or []
                              if c.get("type") == "Ready"), None)
    return found


def ready(pod: Obj) -> bool:
    cond = ready_condition(pod)
    return cond is not None and cond.get("status") == "True"


def running_and_ready(pod: Obj) -> bool:
    return phase(pod) == "Running" and ready(pod)


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def now() -> datetime:
    return datetime.now(timezone.utc)


class Availability:
    """IsPodAvailable in simulated time, with Ready transitions timed as this process observed them."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self._seen: dict[str, dict[str, datetime]] = {}  # pod uid -> lastTransitionTime -> first seen

    def observe(self, pod: Obj) -> None:
        cond = ready_condition(pod)
        if cond is None or cond.get("status") != "True":
            return
        seen = self._seen.setdefault(str(pod["metadata"].get("uid")), {})
        seen.setdefault(str(cond.get("lastTransitionTime")), now())

    def forget(self, pod: Obj) -> None:
        self._seen.pop(str(pod["metadata"].get("uid")), None)

    def ready_since(self, pod: Obj) -> datetime | None:
        cond = ready_condition(pod)
        if cond is None or cond.get("status") != "True":
            return None
        stamped = parse_time(cond.get("lastTransitionTime"))
        seen = self._seen.get(str(pod["metadata"].get("uid")), {}).get(str(cond.get("lastTransitionTime")))
        candidates = [t for t in (stamped, seen) if t is not None]
        return max(candidates) if candidates else None

    def remaining(self, pod: Obj, min_ready_seconds: int) -> float | None:
        """Simulated seconds until the pod counts as available: 0 if it is, None if it is not ready."""
        since = self.ready_since(pod)
        if since is None:
            return None
        if min_ready_seconds <= 0:
            return 0.0
        elapsed = (now() - since).total_seconds() * self.clock.speed
        return max(0.0, min_ready_seconds - elapsed)

    def available(self, pod: Obj, min_ready_seconds: int) -> bool:
        return self.remaining(pod, min_ready_seconds) == 0.0


def pod_from_template(template: Obj, owner_ref: Obj, *, namespace: str, generate_name: str) -> Obj:
    meta = template.get("metadata") or {}
    pod_meta: Obj = {"generateName": generate_name, "namespace": namespace}
    for key in ("labels", "annotations", "finalizers"):
        if meta.get(key):
            pod_meta[key] = copy.deepcopy(meta[key])
    pod_meta["ownerReferences"] = [dict(owner_ref)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta,
            "spec": copy.deepcopy(template.get("spec") or {})}


def _restarts(pod: Obj) -> int:
    return sum(int(c.get("restartCount") or 0) for c in (pod.get("status") or {}).get("containerStatuses") or [])


def _cost(pod: Obj) -> int:
    try:
        return int(str((pod["metadata"].get("annotations") or {}).get(DELETION_COST, "0")))
    except ValueError:
        return 0


def _epoch(value: datetime | None) -> float:
    return value.timestamp() if value is not None else 0.0


def deletion_order(pods: list[Obj], related: list[Obj], availability: Availability) -> list[Obj]:
    """Pods in the order a ReplicaSet deletes them: unscheduled, pending, not ready, cheap, doubled-up on
    a node (by the owner's related pods), most recently ready, most restarted, newest."""
    per_node: dict[str, int] = {}
    for pod in related:
        node = (pod.get("spec") or {}).get("nodeName")
        if node and active(pod):
            per_node[node] = per_node.get(node, 0) + 1

    def rank(pod: Obj) -> tuple[Any, ...]:
        node = (pod.get("spec") or {}).get("nodeName") or ""
        is_ready = ready(pod)
        return (1 if node else 0, PHASE_RANK.get(phase(pod), 3), 1 if is_ready else 0, _cost(pod),
                -per_node.get(node, 0) if node else 0,
                -_epoch(availability.ready_since(pod)) if is_ready else 0.0,
                -_restarts(pod), -_epoch(parse_time(pod["metadata"].get("creationTimestamp"))))

    return sorted(pods, key=rank)
