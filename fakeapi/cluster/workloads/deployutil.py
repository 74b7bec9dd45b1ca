"""Deployment arithmetic and bookkeeping (pkg/controller/deployment/util), free of any I/O.

Revisions live in the `deployment.kubernetes.io/revision` annotation of each ReplicaSet; the new
ReplicaSet is the oldest one whose template equals the Deployment's, ignoring `pod-template-hash`
(kubectl's `rollout history/undo` find it the same way). maxSurge rounds up and maxUnavailable down;
when both resolve to 0, maxUnavailable becomes 1. Conditions keep lastTransitionTime while their status
holds and are re-appended when their reason changes, which gives the condition order kubectl shows.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from fakeapi.cluster.workloads.hashing import round_half_away, scaled_value
from fakeapi.cluster.workloads.pods import now, parse_time
from fakeapi.registry.objectmeta import rfc3339
from fakeapi.resources.core_v1.common import semantic

Obj = dict[str, Any]

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
NOT_COPIED = (LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO)
MAX_REVISION_HISTORY_CHARS = 2000

AVAILABLE, PROGRESSING, REPLICA_FAILURE = "Available", "Progressing", "ReplicaFailure"
NEW_RS_CREATED, FOUND_NEW_RS, RS_UPDATED = "NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated"
NEW_RS_AVAILABLE, TIMED_OUT = "NewReplicaSetAvailable", "ProgressDeadlineExceeded"
PAUSED, RESUMED = "DeploymentPaused", "DeploymentResumed"
MIN_AVAILABLE, MIN_UNAVAILABLE = "MinimumReplicasAvailable", "MinimumReplicasUnavailable"


# ---- fields --------------------------------------------------------------------------------------

def spec(obj: Obj) -> Obj:
    return obj.get("spec") or {}


def status(obj: Obj) -> Obj:
    return obj.get("status") or {}


def annotations_of(obj: Obj) -> dict[str, str]:
    return obj["metadata"].get("annotations") or {}


def replicas(obj: Obj) -> int:
    value = spec(obj).get("replicas")
    return value if isinstance(value, int) else 1


def rs_replicas(rs: Obj | None) -> int:
    return 0 if rs is None else replicas(rs)


def created(obj: Obj) -> tuple[str, str]:
    return (str(obj["metadata"].get("creationTimestamp") or ""), obj["metadata"]["name"])


def revision(rs: Obj) -> int:
    try:
        return int(annotations_of(rs).get(REVISION, "0"))
    except ValueError:
        return 0


def max_revision(rss: list[Obj]) -> int:
    return max((revision(rs) for rs in rss), default=0)


def int_annotation(rs: Obj, key: str) -> int | None:
    try:
        return int(annotations_of(rs)[key])
    except (KeyError, ValueError):
        return None


# ---- strategy arithmetic -------------------------------------------------------------------------

def rolling(d: Obj) -> bool:
    return bool((spec(d).get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate")


def fenceposts(d: Obj) -> tuple[int, int]:
    """ResolveFenceposts: (maxSurge rounded up, maxUnavailable rounded down), never both 0."""
    params = (spec(d).get("strategy") or {}).get("rollingUpdate") or {}
    desired = replicas(d)
    surge = scaled_value(params.get("maxSurge", 0), desired, round_up=True)
    unavailable = scaled_value(params.get("maxUnavailable", 0), desired, round_up=False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_surge(d: Obj) -> int:
    return fenceposts(d)[0] if rolling(d) else 0


def max_unavailable(d: Obj) -> int:
    if not rolling(d) or replicas(d) == 0:
        return 0
    return min(fenceposts(d)[1], replicas(d))


def new_rs_replicas(d: Obj, all_rss: list[Obj], new_rs: Obj) -> int:
    """NewRSNewReplicas: how far the new ReplicaSet may grow now."""
    if not rolling(d):
        return replicas(d)
    current = sum(rs_replicas(rs) for rs in all_rss)
    ceiling = replicas(d) + max_surge(d)
    if current >= ceiling:
        return rs_replicas(new_rs)
    return rs_replicas(new_rs) + min(ceiling - current, replicas(d) - rs_replicas(new_rs))


def proportion(rs: Obj, d: Obj, to_add: int, added: int) -> int:
    """GetReplicaSetProportion: this ReplicaSet's share of a scaling event, within what is left."""
    if rs_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _fraction(rs: Obj, d: Obj) -> int:
    if replicas(d) == 0:
        return -rs_replicas(rs)
    target = replicas(d) + max_surge(d)
    before = int_annotation(rs, MAX_REPLICAS)
    if not before:
        before = int(status(d).get("replicas") or 0)
        if before == 0:
            return 0
    return round_half_away(rs_replicas(rs) * target / before) - rs_replicas(rs)


def is_saturated(d: Obj, rs: Obj | None) -> bool:
    if rs is None:
        return False
    desired = int_annotation(rs, DESIRED_REPLICAS)
    return (desired == replicas(d) and rs_replicas(rs) == replicas(d)
            and int(status(rs).get("availableReplicas") or 0) == replicas(d))


# ---- finding ReplicaSets -------------------------------------------------------------------------

def template_without_hash(template: Any) -> Any:
    out = copy.deepcopy(template) if isinstance(template, dict) else {}
    labels = (out.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return out


def equal_ignore_hash(a: Any, b: Any) -> bool:
    return bool(semantic(template_without_hash(a)) == semantic(template_without_hash(b)))


def find_new_rs(d: Obj, rss: list[Obj]) -> Obj | None:
    template = spec(d).get("template")
    for rs in sorted(rss, key=created):
        if equal_ignore_hash(spec(rs).get("template"), template):
            return rs
    return None


def active(rss: Sequence[Obj | None]) -> list[Obj]:
    return [rs for rs in rss if rs is not None and rs_replicas(rs) > 0]


def find_active_or_latest(new_rs: Obj | None, old_rss: list[Obj]) -> Obj | None:
    if new_rs is None and not old_rss:
        return None
    newest_first = sorted(old_rss, key=created, reverse=True)
    live = active([*newest_first, new_rs])
    if not live:
        return new_rs if new_rs is not None else newest_first[0]
    return live[0] if len(live) == 1 else None


# ---- annotations ---------------------------------------------------------------------------------

def copy_annotations(d: Obj, rs: Obj) -> bool:
    """copyDeploymentAnnotationsToReplicaSet (change-cause travels this way)."""
    target = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in annotations_of(d).items():
        if key in NOT_COPIED or target.get(key) == value:
            continue
        target[key] = value
        changed = True
    return changed


def set_replicas_annotations(rs: Obj, desired: int, maximum: int) -> bool:
    target = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in ((DESIRED_REPLICAS, str(desired)), (MAX_REPLICAS, str(maximum))):
        if target.get(key) != value:
            target[key] = value
            changed = True
    return changed


def replicas_annotations_need_update(rs: Obj, desired: int, maximum: int) -> bool:
    current = annotations_of(rs)
    return current.get(DESIRED_REPLICAS) != str(desired) or current.get(MAX_REPLICAS) != str(maximum)


def set_new_rs_annotations(d: Obj, rs: Obj, new_revision: int, *, exists: bool) -> bool:
    """SetNewReplicaSetAnnotations: copied annotations, the revision (a rollback bumps an old
    ReplicaSet's revision and remembers the previous one in revision-history), replica counts."""
    changed = copy_annotations(d, rs)
    target = rs["metadata"]["annotations"]
    old_text = target.get(REVISION)
    try:
        old = int(old_text) if old_text is not None else 0
    except ValueError:
        old = 0
    if old < new_revision:
        target[REVISION] = str(new_revision)
        changed = True
        if old_text:
            history = target.get(REVISION_HISTORY, "")
            entries = [e for e in history.split(",") if e] if history else []
            entries.append(old_text)
            while len(",".join(entries)) > MAX_REVISION_HISTORY_CHARS and len(entries) > 1:
                entries.pop(0)
            target[REVISION_HISTORY] = ",".join(entries)
    if not exists and set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d)):
        changed = True
    return changed


def set_deployment_revision(d: Obj, value: str) -> bool:
    target = d["metadata"].setdefault("annotations", {})
    if target.get(REVISION) == value:
        return False
    target[REVISION] = value
    return True


# ---- conditions and status -----------------------------------------------------------------------

def new_condition(ctype: str, value: str, reason: str, message: str) -> Obj:
    stamp = rfc3339(now())
    return {"type": ctype, "status": value, "lastUpdateTime": stamp, "lastTransitionTime": stamp,
            "reason": reason, "message": message}


def get_condition(st: Obj, ctype: str) -> Obj | None:
    found: Obj | None = next((c for c in st.get("conditions") or [] if c.get("type") == ctype), None)
    return found


def set_condition(st: Obj, cond: Obj) -> None:
    current = get_condition(st, cond["type"])
    if current is not None and current.get("status") == cond["status"] and current.get("reason") == cond["reason"]:
        return
    if current is not None and current.get("status") == cond["status"]:
        cond["lastTransitionTime"] = current.get("lastTransitionTime")
    st["conditions"] = [c for c in st.get("conditions") or [] if c.get("type") != cond["type"]] + [cond]


def remove_condition(st: Obj, ctype: str) -> None:
    conds = [c for c in st.get("conditions") or [] if c.get("type") != ctype]
    if conds:
        st["conditions"] = conds
    else:
        st.pop("conditions", None)


def calculate_status(all_rss: list[Obj], new_rs: Obj | None, d: Obj) -> Obj:
    """calculateStatus: counts from the ReplicaSets, the Available condition; omitempty zeros dropped."""
    def total(field: str, rss: list[Obj]) -> int:
        return sum(int(status(rs).get(field) or 0) for rs in rss)

    available = total("availableReplicas", all_rss)
    unavailable = max(0, sum(rs_replicas(rs) for rs in all_rss) - available)
    counts: Obj = {
        "observedGeneration": d["metadata"].get("generation"),
        "replicas": total("replicas", all_rss),
        "updatedReplicas": total("replicas", [new_rs] if new_rs is not None else []),
        "readyReplicas": total("readyReplicas", all_rss),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    st: Obj = {k: v for k, v in counts.items() if v}
    if all(status(rs).get("terminatingReplicas") is not None for rs in all_rss):
        st["terminatingReplicas"] = total("terminatingReplicas", all_rss)
    old = status(d)
    if old.get("conditions"):
        st["conditions"] = copy.deepcopy(old["conditions"])
    if old.get("collisionCount") is not None:
        st["collisionCount"] = old["collisionCount"]
    if available >= replicas(d) - max_unavailable(d):
        set_condition(st, new_condition(AVAILABLE, "True", MIN_AVAILABLE, "Deployment has minimum availability."))
    else:
        set_condition(st, new_condition(AVAILABLE, "False", MIN_UNAVAILABLE,
                                        "Deployment does not have minimum availability."))
    return st


def has_progress_deadline(d: Obj) -> bool:
    deadline = spec(d).get("progressDeadlineSeconds")
    return isinstance(deadline, int) and deadline < 2**31 - 1


def complete(d: Obj, st: Obj) -> bool:
    want = replicas(d)
    return (int(st.get("updatedReplicas") or 0) == want and int(st.get("replicas") or 0) == want
            and int(st.get("availableReplicas") or 0) == want
            and int(st.get("observedGeneration") or 0) >= int(d["metadata"].get("generation") or 0))


def progressing(d: Obj, st: Obj) -> bool:
    old = status(d)

    def n(s: Obj, key: str) -> int:
        return int(s.get(key) or 0)

    return (n(st, "updatedReplicas") > n(old, "updatedReplicas")
            or n(st, "replicas") - n(st, "updatedReplicas") < n(old, "replicas") - n(old, "updatedReplicas")
            or n(st, "readyReplicas") > n(old, "readyReplicas")
            or n(st, "availableReplicas") > n(old, "availableReplicas"))


def deadline_left(d: Obj, st: Obj, speed: float) -> float | None:
    """Simulated seconds before the Progressing condition's lastUpdateTime passes the deadline."""
    if not has_progress_deadline(d):
        return None
    cond = get_condition(st, PROGRESSING)
    if cond is None:
        return None
    since = parse_time(cond.get("lastUpdateTime"))
    if since is None:
        return None
    deadline = timedelta(seconds=int(spec(d)["progressDeadlineSeconds"]) / speed)
    return (since + deadline - now()).total_seconds() * speed


def timed_out(d: Obj, st: Obj, speed: float) -> bool:
    cond = get_condition(st, PROGRESSING)
    if cond is None or not has_progress_deadline(d) or cond.get("reason") == NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == TIMED_OUT:
        return True
    left = deadline_left(d, st, speed)
    return left is not None and left < 0
