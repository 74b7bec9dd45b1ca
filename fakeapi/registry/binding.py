"""pods/<name>/binding: assign a pod to a node, as the scheduler does (POST of a v1 Binding)."""

from __future__ import annotations

from typing import Any

from fakeapi.errors import bad_request, conflict
from fakeapi.registry.objectmeta import now_rfc3339
from fakeapi.registry.options import WriteOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.store import ResourceStore
from fakeapi.storage import KeyValue

Obj = dict[str, Any]


def set_condition(status: Obj, cond_type: str, value: str, reason: str = "", message: str = "") -> None:
    """Set a pod condition, keeping lastTransitionTime when the status does not change."""
    conds = status.setdefault("conditions", [])
    for cond in conds:
        if cond.get("type") == cond_type:
            if cond.get("status") != value:
                cond["lastTransitionTime"] = now_rfc3339()
            cond["status"] = value
            for key, val in (("reason", reason), ("message", message)):
                if val:
                    cond[key] = val
                else:
                    cond.pop(key, None)
            return
    cond = {"type": cond_type, "status": value, "lastProbeTime": None, "lastTransitionTime": now_rfc3339()}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    conds.append(cond)


def bind(store: ResourceStore, info: ResourceInfo, namespace: str, name: str, node: str,
         opts: WriteOptions | None = None) -> KeyValue:
    if not node:
        raise bad_request("target.name: Required value")

    def mutate(pod: Obj) -> Obj:
        spec = pod.setdefault("spec", {})
        current = spec.get("nodeName")
        if current:
            raise conflict(info.plural, info.group, name, f"pod {name} is already assigned to node \"{current}\"")
        if pod["metadata"].get("deletionTimestamp"):
            raise conflict(info.plural, info.group, name, f"pod {name} is being deleted, cannot be assigned to a host")
        spec["nodeName"] = node
        set_condition(pod.setdefault("status", {}), "PodScheduled", "True")
        return pod

    return store.guaranteed_update(info, namespace, name, mutate, subresource="binding", opts=opts)
