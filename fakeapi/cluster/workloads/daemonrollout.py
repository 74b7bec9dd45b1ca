"""DaemonSet rolling updates (pkg/controller/daemon/update.go).

Without surge, out-of-date pods are deleted while at most maxUnavailable nodes (of the desired count,
rounded up) are without an available up-to-date pod; the manage loop then creates the replacements.
Out-of-date pods that are not available anyway go first and do not count. With maxSurge, a new pod
starts beside the old one (at once where the old one is unavailable, otherwise on at most maxSurge
nodes at a time) and the old one is deleted when the new one is available.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakeapi.cluster.workloads.daemonpods import should_run
from fakeapi.cluster.workloads.hashing import scaled_value

if TYPE_CHECKING:
    from fakeapi.cluster.workloads.daemonset import DaemonSetController

Obj = dict[str, Any]


def rolling_update(dsc: DaemonSetController, ds: Obj, nodes: list[Obj], pod_hash: str) -> None:
    rolling = ((ds.get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate") or {}
    desired = dsc.desired(ds, nodes)
    max_unavailable = scaled_value(rolling.get("maxUnavailable", 1), desired, round_up=True)
    max_surge = scaled_value(rolling.get("maxSurge", 0), desired, round_up=True)
    if desired > 0 and max_unavailable == 0 and max_surge == 0:
        max_unavailable = 1
    min_ready = dsc.min_ready(ds)
    by_node = dsc.pods_by_node(ds)
    if max_surge == 0:
        unavailable = 0
        must_replace: list[Obj] = []
        candidates: list[Obj] = []
        for pods in by_node.values():
            live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
            new = [p for p in live if dsc.updated(p, pod_hash, ds)]
            old = [p for p in live if not dsc.updated(p, pod_hash, ds)]
            if len(new) > 1 or len(old) > 1 or (new and old) or not (new or old):
                unavailable += 1
            elif new:
                unavailable += not dsc.availability.available(new[0], min_ready)
            elif not dsc.availability.available(old[0], min_ready):
                must_replace.append(old[0])
            elif unavailable < max_unavailable:
                candidates.append(old[0])
        room = min(max(max_unavailable - unavailable, 0), len(candidates))
        dsc.sync_nodes(ds, must_replace + candidates[:room], [], pod_hash)
        return
    surge_update(dsc, ds, nodes, by_node, pod_hash, max_surge, min_ready)

def surge_update(dsc: DaemonSetController, ds: Obj, nodes: list[Obj], by_node: dict[str, list[Obj]],
             pod_hash: str, max_surge: int, min_ready: int) -> None:
    """The maxSurge path: a new pod beside each old one (at once where the old one is unavailable,
    otherwise at most maxSurge at a time), the old one deleted once the new one is available."""
    node_objs = {n["metadata"]["name"]: n for n in nodes}
    delete: list[Obj] = []
    stranded: list[Obj] = []
    allowed: list[str] = []
    candidates: list[str] = []
    surging = available = 0
    for name, pods in by_node.items():
        live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
        new = [p for p in live if dsc.updated(p, pod_hash, ds)]
        old = [p for p in live if not dsc.updated(p, pod_hash, ds)]
        if len(new) > 1 or len(old) > 1:
            surging += 1
            continue
        shown = old[0] if old else (new[0] if new else None)
        if shown is not None and dsc.availability.available(shown, min_ready):
            available += 1
        node = node_objs.get(name)
        fits = node is not None and should_run(ds, node)[0]
        if not old:
            continue
        if not new:
            if not dsc.availability.available(old[0], min_ready):
                if fits:
                    allowed.append(name)
                else:
                    delete.append(old[0])
            elif not fits:
                stranded.append(old[0])
            elif surging < max_surge:
                candidates.append(name)
        elif not dsc.availability.available(new[0], min_ready):
            surging += 1
        else:
            delete.extend(old)
    deletable = min(available - dsc.desired(ds, nodes), len(stranded))
    delete.extend(stranded[:max(deletable, 0)])
    room = min(max(max_surge - surging, 0), len(candidates))
    dsc.sync_nodes(ds, delete, allowed + candidates[:room], pod_hash)
