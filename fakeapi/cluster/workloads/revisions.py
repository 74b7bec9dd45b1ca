"""ControllerRevisions: the template snapshots StatefulSets and DaemonSets keep (pkg/controller/history).

A revision's data is the patch that restores the owner's template,
`{"spec":{"template":{..., "$patch":"replace"}}}`; two revisions are the same when their data is. Revisions
are ordered by their `revision` number (then age, then name); rolling back to an older template reuses
its revision object and bumps its number past the newest, which is what `rollout history` shows.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.workloads import base
from fakeapi.cluster.workloads.owners import claim, selector_of
from fakeapi.registry.resource import ResourceInfo

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]
PATCH_KEY = "$patch"


def template_data(owner: Obj) -> Obj:
    template = copy.deepcopy((owner.get("spec") or {}).get("template") or {})
    template[PATCH_KEY] = "replace"
    return {"spec": {"template": template}}


def template_of(revision: Obj) -> Obj:
    template = copy.deepcopy(((revision.get("data") or {}).get("spec") or {}).get("template") or {})
    template.pop(PATCH_KEY, None)
    return template


def number(revision: Obj) -> int:
    value = revision.get("revision")
    return value if isinstance(value, int) else 0


def order(revision: Obj) -> tuple[int, str, str]:
    meta = revision["metadata"]
    return number(revision), str(meta.get("creationTimestamp") or ""), meta["name"]


def same_data(a: Obj, b: Obj) -> bool:
    return (a.get("data") or {}) == (b.get("data") or {})


def owned(server: Server, info: ResourceInfo, owner: Obj) -> list[Obj]:
    """The owner's revisions, adopting orphans its selector matches, oldest revision first."""
    candidates = base.list_objects(server, info, owner["metadata"]["namespace"])
    return sorted(claim(server, info, owner, candidates, selector_of(owner)), key=order)


def renumber(server: Server, info: ResourceInfo, revision: Obj, value: int) -> Obj:
    updated = base.thaw(revision)
    updated["revision"] = value
    return base.update(server, info, updated)


def prune(server: Server, info: ResourceInfo, history: list[Obj], limit: int) -> None:
    """Delete the oldest of `history` (revisions no live object uses) beyond `limit`."""
    excess = len(history) - max(limit, 0)
    for revision in sorted(history, key=order)[:max(excess, 0)]:
        meta = revision["metadata"]
        base.delete(server, info, meta["namespace"], meta["name"], uid=meta["uid"])
