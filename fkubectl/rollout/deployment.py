"""Deployment history and rollback, computed client-side from the ReplicaSets the Deployment controls
(kubectl polymorphichelpers/history.go and rollback.go)."""

from __future__ import annotations

import copy

from fkubectl.client import request as rq
from fkubectl.describe.common import meta
from fkubectl.describe.workloads import _equal_ignore_hash
from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.mapping import Mapping
    from fkubectl.factory import Factory

REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"
ANNOTATIONS_TO_SKIP = {"kubectl.kubernetes.io/last-applied-configuration", REVISION,
                       "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                       "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to"}


def _revision(rs: dict[str, Any]) -> int | None:
    try:
        return int((meta(rs).get("annotations") or {}).get(REVISION, ""))
    except ValueError:
        return None


def _all_replica_sets(f: Factory, deployment: dict[str, Any]) -> list[dict[str, Any]]:
    from fkubectl.describe.common import format_selector
    from fkubectl.describe.workloads import _controlled_by, _list

    selector = format_selector((deployment.get("spec") or {}).get("selector"))
    items = _list(f, "apps", "replicasets", "ReplicaSet", meta(deployment).get("namespace", ""),
                  "" if selector == "<none>" else selector)
    return _controlled_by(items, deployment)


def history(f: Factory, deployment: dict[str, Any], revision: int = 0) -> str:
    from fkubectl.describe.workloads import describe_pod_template
    from fkubectl.describe.writer import PrefixWriter
    from fkubectl.printers.tabwriter import format_text

    templates: dict[int, dict[str, Any]] = {}
    for rs in _all_replica_sets(f, deployment):
        number = _revision(rs)
        if number is None:
            continue
        template = copy.deepcopy((rs.get("spec") or {}).get("template") or {})
        cause = (meta(rs).get("annotations") or {}).get(CHANGE_CAUSE, "")
        annotations = template.setdefault("metadata", {}).setdefault("annotations", {})
        if cause:
            annotations[CHANGE_CAUSE] = cause
        templates[number] = template
    if not templates:
        return "No rollout history found."
    if revision > 0:
        if revision not in templates:
            raise CommandError("unable to find the specified revision")
        w = PrefixWriter()
        template = templates[revision]
        if not template["metadata"]["annotations"]:
            del template["metadata"]["annotations"]
        describe_pod_template(w, template)
        return w.raw()
    lines = "REVISION\tCHANGE-CAUSE\n" + "".join(
        f"{n}\t{templates[n]['metadata']['annotations'].get(CHANGE_CAUSE) or '<none>'}\n" for n in sorted(templates))
    return format_text(lines, min_width=0, padding=2)


def rollback(f: Factory, mapping: Mapping, deployment: dict[str, Any], to_revision: int, *,
             dry_run: bool = False) -> str:
    name = meta(deployment).get("name", "")
    target = _revision_replica_set(f, deployment, to_revision)
    if (deployment.get("spec") or {}).get("paused"):
        raise CommandError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' "
                           "and try again")
    template = copy.deepcopy((target.get("spec") or {}).get("template") or {})
    if _equal_ignore_hash(template, (deployment.get("spec") or {}).get("template") or {}):
        number = to_revision or _revision(target)
        return f"skipped rollback (current template already matches revision {number})"
    ((template.get("metadata") or {}).get("labels") or {}).pop("pod-template-hash", None)
    live = meta(deployment).get("annotations") or {}
    annotations = {k: v for k, v in live.items() if k in ANNOTATIONS_TO_SKIP}
    annotations.update({k: v for k, v in (meta(target).get("annotations") or {}).items()
                        if k not in ANNOTATIONS_TO_SKIP})
    patch = [{"op": "replace", "path": "/spec/template", "value": template},
             {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
    if not dry_run:
        from fkubectl.client.errors import ApiError

        try:
            f.client().json(rq.patch_request(mapping, meta(deployment).get("namespace", ""), name, patch,
                                             patch_type="json", field_manager="kubectl-rollout"))
        except ApiError as exc:
            raise CommandError(f"failed restoring revision {to_revision}: {exc.message}") from None
    return "rolled back"


def _revision_replica_set(f: Factory, deployment: dict[str, Any], to_revision: int) -> dict[str, Any]:
    every = _all_replica_sets(f, deployment)
    latest: tuple[int, dict[str, Any] | None] = (-1, None)
    previous: tuple[int, dict[str, Any] | None] = (-1, None)
    for rs in every:
        number = _revision(rs)
        if number is None:
            continue
        if to_revision == 0:
            if latest[0] < number:
                previous, latest = latest, (number, rs)
            elif previous[0] < number:
                previous = (number, rs)
        elif number == to_revision:
            return rs
    if to_revision > 0:
        raise CommandError(f"unable to find specified revision {to_revision} in history")
    if previous[1] is None:
        raise CommandError(f'no rollout history found for deployment "{meta(deployment).get("name", "")}"')
    return previous[1]
