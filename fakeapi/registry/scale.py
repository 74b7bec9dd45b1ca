"""The /scale subresource: an autoscaling/v1 Scale view of deployments, replicasets and statefulsets.

Reads project the parent into a Scale (spec.replicas, status.replicas, string status.selector); writes
change only the parent's spec.replicas, with the Scale's resourceVersion as the precondition.
"""

from __future__ import annotations

from typing import Any

from fakeapi import codec
from fakeapi.errors import bad_request
from fakeapi.registry import patch as patching
from fakeapi.registry.fielderrors import invalid, invalid_value
from fakeapi.registry.options import WriteOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.store import ResourceStore
from fakeapi.registry.tables import label_selector_string
from fakeapi.storage import KeyValue

Obj = dict[str, Any]


def to_scale(obj: Obj) -> Obj:
    meta = obj["metadata"]
    selector = label_selector_string((obj.get("spec") or {}).get("selector"))
    status: Obj = {"replicas": int((obj.get("status") or {}).get("replicas") or 0)}
    if selector != "<none>":
        status["selector"] = selector
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                     if k in meta},
        "spec": {"replicas": int((obj.get("spec") or {}).get("replicas") or 0)},
        "status": status,
    }


def _replicas(info: ResourceInfo, scale: Any) -> int:
    if not isinstance(scale, dict):
        raise bad_request("the body must be an autoscaling/v1 Scale object")
    replicas = (scale.get("spec") or {}).get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        name = str((scale.get("metadata") or {}).get("name") or "")
        raise invalid("Scale", "autoscaling", name,
                      [invalid_value("spec.replicas", replicas, "must be greater than or equal to 0")])
    return replicas


def update_scale(store: ResourceStore, info: ResourceInfo, namespace: str | None, name: str, scale: Any,
                 opts: WriteOptions) -> KeyValue:
    replicas = _replicas(info, scale)
    rv = str(((scale or {}).get("metadata") or {}).get("resourceVersion") or "")

    def mutate(obj: Obj) -> Obj:
        obj.setdefault("spec", {})["replicas"] = replicas
        return obj

    return store.guaranteed_update(info, namespace, name, mutate, subresource="scale", opts=opts, precondition_rv=rv)


def patch_scale(store: ResourceStore, info: ResourceInfo, namespace: str | None, name: str, patch_type: str,
                body: bytes, opts: WriteOptions) -> KeyValue:
    try:
        patch_obj = codec.loads(body)
    except codec.JSONDecodeError as exc:
        raise bad_request(f"error decoding patch: {exc}") from None
    current = to_scale(store.get(info, namespace, name).obj)
    if patch_type == patching.JSON_PATCH:
        patched = patching.json_patch(current, patch_obj)
    else:
        patched = patching.merge_patch(current, patch_obj)
    return update_scale(store, info, namespace, name, patched, opts)
