"""How a Deployment moves its ReplicaSets (pkg/controller/deployment rolling.go, recreate.go, sync.go).

- RollingUpdate: grow the new ReplicaSet up to replicas + maxSurge pods in total, then shrink old ones
  while at least replicas - maxUnavailable pods stay available (unhealthy old pods go first).
- Recreate: scale every old ReplicaSet to 0, wait until none of their pods runs, then create and scale
  up the new one.
- A scaling event (or a paused Deployment) resizes without rolling: the only active ReplicaSet takes the
  new size; with several active, the difference is shared in proportion to their sizes.
- Old ReplicaSets beyond revisionHistoryLimit are deleted once scaled to 0, oldest revision first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakeapi.cluster.workloads import deployutil as du
from fakeapi.cluster.workloads.owners import deleting

if TYPE_CHECKING:
    from fakeapi.cluster.workloads.deployment import DeploymentController

Obj = dict[str, Any]


def available(rs: Obj) -> int:
    return int(du.status(rs).get("availableReplicas") or 0)


def rolling_update(dc: DeploymentController, d: Obj, rss: list[Obj]) -> float | None:
    new_rs, old_rss = dc.new_and_old(d, rss, create=True)
    if new_rs is None:
        return None
    all_rss = [*old_rss, new_rs]
    if _reconcile_new(dc, all_rss, new_rs, d):
        return dc.sync_rollout_status(dc.refresh(all_rss), dc.refresh_one(new_rs), d)
    current = dc.refresh_one(new_rs)
    if current is None:
        return None
    if _reconcile_old(dc, dc.refresh(all_rss), du.active(dc.refresh(old_rss)), current, d):
        return dc.sync_rollout_status(dc.refresh(all_rss), dc.refresh_one(new_rs), d)
    if du.complete(d, du.status(d)):
        cleanup(dc, dc.refresh(old_rss), d)
    return dc.sync_rollout_status(dc.refresh(all_rss), dc.refresh_one(new_rs), d)


def _reconcile_new(dc: DeploymentController, all_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
    want = du.replicas(d)
    have = du.rs_replicas(new_rs)
    if have == want:
        return False
    if have > want:
        return dc.scale(new_rs, want, d)
    return dc.scale(new_rs, du.new_rs_replicas(d, all_rss, new_rs), d)


def _reconcile_old(dc: DeploymentController, all_rss: list[Obj], old_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
    if sum(du.rs_replicas(rs) for rs in old_rss) == 0:
        return False
    all_pods = sum(du.rs_replicas(rs) for rs in all_rss)
    min_available = du.replicas(d) - du.max_unavailable(d)
    new_unavailable = du.rs_replicas(new_rs) - available(new_rs)
    budget = all_pods - min_available - new_unavailable
    if budget <= 0:
        return False
    cleaned = _cleanup_unhealthy(dc, old_rss, d, budget)
    old_rss = dc.refresh(old_rss)
    scaled = _scale_down_old(dc, dc.refresh([*old_rss, new_rs]), old_rss, d)
    return cleaned + scaled > 0


def _cleanup_unhealthy(dc: DeploymentController, old_rss: list[Obj], d: Obj, budget: int) -> int:
    """Scale down old ReplicaSets' unavailable pods first: they would otherwise block the rollout."""
    done = 0
    for rs in sorted(old_rss, key=du.created):
        if done >= budget:
            break
        size = du.rs_replicas(rs)
        if size == 0 or size == available(rs):
            continue
        step = min(budget - done, size - available(rs))
        dc.scale(rs, size - step, d)
        done += step
    return done


def _scale_down_old(dc: DeploymentController, all_rss: list[Obj], old_rss: list[Obj], d: Obj) -> int:
    min_available = du.replicas(d) - du.max_unavailable(d)
    available_now = sum(available(rs) for rs in all_rss)
    if available_now <= min_available:
        return 0
    wanted = available_now - min_available
    done = 0
    for rs in sorted(old_rss, key=du.created):
        if done >= wanted:
            break
        size = du.rs_replicas(rs)
        if size == 0:
            continue
        step = min(size, wanted - done)
        dc.scale(rs, size - step, d)
        done += step
    return done


def recreate(dc: DeploymentController, d: Obj, rss: list[Obj]) -> float | None:
    new_rs, old_rss = dc.new_and_old(d, rss, create=False)
    all_rss = [*old_rss, *([new_rs] if new_rs is not None else [])]
    scaled_down = False
    for rs in du.active(old_rss):
        scaled_down = dc.scale(rs, 0, d) or scaled_down
    if scaled_down:
        return dc.sync_rollout_status(dc.refresh(all_rss), dc.refresh_one(new_rs), d)
    if _old_pods_running(dc, d, new_rs, dc.refresh(old_rss)):
        return dc.sync_rollout_status(dc.refresh(all_rss), dc.refresh_one(new_rs), d)
    if new_rs is None:
        new_rs, old_rss = dc.new_and_old(d, dc.refresh(rss), create=True)
        if new_rs is None:
            return None
        all_rss = [*old_rss, new_rs]
    dc.scale(new_rs, du.replicas(d), d)
    if du.complete(d, du.status(d)):
        cleanup(dc, dc.refresh(old_rss), d)
    return dc.sync_rollout_status(dc.refresh(all_rss), dc.refresh_one(new_rs), d)


def _old_pods_running(dc: DeploymentController, d: Obj, new_rs: Obj | None, old_rss: list[Obj]) -> bool:
    if sum(int(du.status(rs).get("replicas") or 0) for rs in old_rss) > 0:
        return True
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    old_uids = {rs["metadata"]["uid"] for rs in old_rss} - {new_uid}
    for pod in dc.pods_of(d):
        owner = next((r.get("uid") for r in pod["metadata"].get("ownerReferences") or [] if r.get("controller")), None)
        if owner in old_uids and (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
            return True
    return False


def scale(dc: DeploymentController, d: Obj, new_rs: Obj | None, old_rss: list[Obj]) -> None:
    """dc.scale of sync.go: resize for a scaling event or a paused Deployment, never rolling."""
    target = du.find_active_or_latest(new_rs, old_rss)
    if target is not None:
        if du.rs_replicas(target) != du.replicas(d):
            dc.scale(target, du.replicas(d), d)
        return
    if du.is_saturated(d, new_rs):
        for rs in du.active(old_rss):
            dc.scale(rs, 0, d)
        return
    if not du.rolling(d):
        return
    live = du.active([*old_rss, new_rs])
    allowed = du.replicas(d) + du.max_surge(d) if du.replicas(d) > 0 else 0
    to_add = allowed - sum(du.rs_replicas(rs) for rs in live)
    if to_add > 0:
        live.sort(key=du.created, reverse=True)
        live.sort(key=lambda rs: -du.rs_replicas(rs))
    elif to_add < 0:
        live.sort(key=du.created)
        live.sort(key=lambda rs: -du.rs_replicas(rs))
    added = 0
    sizes: dict[str, int] = {}
    for rs in live:
        share = du.proportion(rs, d, to_add, added) if to_add else 0
        sizes[rs["metadata"]["name"]] = du.rs_replicas(rs) + share
        added += share
    for i, rs in enumerate(live):
        name = rs["metadata"]["name"]
        if i == 0 and to_add:
            sizes[name] = max(0, sizes[name] + to_add - added)
        dc.scale(rs, sizes[name], d, always=True)


def cleanup(dc: DeploymentController, old_rss: list[Obj], d: Obj) -> None:
    """cleanupDeployment: delete the oldest scaled-down ReplicaSets beyond revisionHistoryLimit."""
    limit = du.spec(d).get("revisionHistoryLimit")
    if not isinstance(limit, int):
        return
    alive = [rs for rs in old_rss if not deleting(rs)]
    excess = len(alive) - limit
    if excess <= 0:
        return
    for rs in sorted(alive, key=lambda r: (du.revision(r), du.created(r)))[:excess]:
        st = du.status(rs)
        if int(st.get("replicas") or 0) or du.rs_replicas(rs) or \
                int(rs["metadata"].get("generation") or 0) > int(st.get("observedGeneration") or 0):
            continue
        dc.delete_rs(rs)
