"""Small helpers the platform controllers share (owner references, pod phases, times, field manager).

Their runtime, the work queue fed by store watches, is fakeapi.cluster.controller.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.controller import Obj
from fakeapi.cluster.informer import resource
from fakeapi.registry.options import WriteOptions
from fakeapi.registry.resource import ResourceInfo

if TYPE_CHECKING:
    from fakeapi.server import Server

CONTROLLER_MANAGER = "kube-controller-manager"


def write_options(manager: str = CONTROLLER_MANAGER) -> WriteOptions:
    return WriteOptions(field_manager=manager)


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
