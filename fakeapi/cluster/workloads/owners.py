"""Controller references and claiming, as pkg/controller's ControllerRefManager does them.

A controller owns what carries its controllerRef (controller: true, the owner's *uid*). Claiming the
objects a selector matches adopts orphans (no controllerRef) unless either side is being deleted, and
releases owned objects whose labels stopped matching, unless the owner itself is being deleted. Both are
writes of metadata.ownerReferences only; kubectl and the garbage collector rely on exactly these refs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fakeapi.errors import StatusError
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.selectors import LabelSelector, SelectorError, label_selector_from_dict

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]


def controller_of(obj: Obj) -> Obj | None:
    for ref in obj["metadata"].get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller") is True:
            return ref
    return None


def controller_ref(owner: Obj) -> Obj:
    """metav1.NewControllerRef: what a controller stamps on what it creates."""
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"], "uid": meta["uid"],
            "controller": True, "blockOwnerDeletion": True}


def is_controlled_by(obj: Obj, owner: Obj) -> bool:
    ref = controller_of(obj)
    return ref is not None and ref.get("uid") == owner["metadata"]["uid"]


def selector_of(obj: Obj) -> LabelSelector:
    """spec.selector as a selector; an invalid or missing one selects nothing."""
    try:
        return label_selector_from_dict((obj.get("spec") or {}).get("selector"))
    except SelectorError:
        return LabelSelector(nothing=True)


def deleting(obj: Obj) -> bool:
    return bool(obj["metadata"].get("deletionTimestamp"))


def claim(server: Server, info: ResourceInfo, owner: Obj, candidates: list[Obj], selector: LabelSelector, *,
          accept: Callable[[Obj], bool] | None = None) -> list[Obj]:
    """The candidates `owner` controls once orphans are adopted and strays released (ClaimObjects)."""
    uid = owner["metadata"]["uid"]
    owner_deleting = deleting(owner)
    claimed: list[Obj] = []
    for obj in candidates:
        ref = controller_of(obj)
        labels = obj["metadata"].get("labels")
        matches = selector.matches(labels) and (accept is None or accept(obj))
        if ref is not None:
            if ref.get("uid") != uid:
                continue
            if matches:
                claimed.append(obj)
            elif not owner_deleting:
                release(server, info, obj, uid)
            continue
        if not matches or owner_deleting or deleting(obj):
            continue
        adopted = adopt(server, info, obj, owner)
        if adopted is not None:
            claimed.append(adopted)
    return claimed


def adopt(server: Server, info: ResourceInfo, obj: Obj, owner: Obj) -> Obj | None:
    ref = controller_ref(owner)

    def add_ref(current: Obj) -> Obj:
        refs = current["metadata"].get("ownerReferences") or []
        if any(isinstance(r, dict) and r.get("controller") is True for r in refs):
            raise StatusError(409, "Conflict", "object already has a controller")
        current["metadata"]["ownerReferences"] = [r for r in refs if r.get("uid") != ref["uid"]] + [ref]
        return current

    return _write(server, info, obj, add_ref)


def release(server: Server, info: ResourceInfo, obj: Obj, owner_uid: str) -> Obj | None:
    def drop_ref(current: Obj) -> Obj:
        return without_owner(current, owner_uid)

    return _write(server, info, obj, drop_ref)


def without_owner(obj: Obj, owner_uid: str) -> Obj:
    refs = [r for r in obj["metadata"].get("ownerReferences") or [] if r.get("uid") != owner_uid]
    if refs:
        obj["metadata"]["ownerReferences"] = refs
    else:
        obj["metadata"].pop("ownerReferences", None)
    return obj


def _write(server: Server, info: ResourceInfo, obj: Obj, mutate: Callable[[Obj], Obj]) -> Obj | None:
    meta = obj["metadata"]
    uid = meta.get("uid")

    def guarded(current: Obj) -> Obj:
        if current["metadata"].get("uid") != uid:
            raise StatusError(409, "Conflict", "object was replaced")
        return mutate(current)

    try:
        return server.store.guaranteed_update(info, meta.get("namespace"), meta["name"], guarded).obj
    except StatusError as exc:
        if exc.code in (404, 409, 422):
            return None
        raise
