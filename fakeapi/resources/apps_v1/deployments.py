"""Deployments (apps/v1): discovery data, SetDefaults_Deployment, ValidateDeployment(Update) and printDeployment.

- Defaults: replicas 1, RollingUpdate with maxSurge/maxUnavailable "25%", revisionHistoryLimit 10,
  progressDeadlineSeconds 600, and the PodSpec defaults of the template.
- Generation bumps when the spec *or the annotations* change (pkg/registry/apps/deployment/strategy.go):
  annotations are copied to the ReplicaSets, so `rollout undo` and `rollout status` rely on it.
- A /status write may change annotations (the controller records `deployment.kubernetes.io/revision`
  that way) but not labels.
- The selector is immutable in apps/v1; the Selector column is selector.String(), so an empty one is "".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import SCALE, STATUS, ResourceInfo
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.resources.apps_v1.workload import (
    CONTAINERS_COLUMN, IMAGES_COLUMN, WorkloadStrategy, child, container_cells, immutable, int_cell,
    int_or_percent_errors, int_or_percent_value, nonneg, over_100_percent_errors,
    replica_set_template_errors, selector_and_template_errors, selector_cell, set_default, set_default_str,
)
from fakeapi.resources.core_v1.podspec import default_pod_template, mapping, semantic

Obj = dict[str, Any]

STRATEGY_TYPES = ("Recreate", "RollingUpdate")


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    set_default(spec, "replicas", 1)
    strategy = child(spec, "strategy")
    set_default_str(strategy, "type", "RollingUpdate")
    if strategy.get("type") == "RollingUpdate":
        rolling = child(strategy, "rollingUpdate")
        set_default(rolling, "maxUnavailable", "25%")
        set_default(rolling, "maxSurge", "25%")
    set_default(spec, "revisionHistoryLimit", 10)
    set_default(spec, "progressDeadlineSeconds", 600)
    default_pod_template(child(spec, "template"))


def _strategy_errors(strategy: Any, path: str) -> list[FieldError]:
    strategy = mapping(strategy)
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden(f"{path}.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind != "RollingUpdate":
        return [not_supported(path, strategy, STRATEGY_TYPES)]
    if not isinstance(rolling, dict):
        return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
    rpath = f"{path}.rollingUpdate"
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = int_or_percent_errors(unavailable, f"{rpath}.maxUnavailable")
    errs += int_or_percent_errors(surge, f"{rpath}.maxSurge")
    if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
        errs.append(invalid_value(f"{rpath}.maxUnavailable", 0 if unavailable is None else unavailable,
                                  "may not be 0 when `maxSurge` is 0"))
    errs += over_100_percent_errors(unavailable, f"{rpath}.maxUnavailable")
    return errs


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    """ValidateDeploymentSpec."""
    errs = nonneg(spec, "replicas", path)
    selector_errs, selector = selector_and_template_errors(spec, path, kind="deployment",
                                                           bad_selector="invalid label selector")
    errs += selector_errs
    if selector is not None:
        errs += replica_set_template_errors(spec, path)
    errs += _strategy_errors(spec.get("strategy"), f"{path}.strategy")
    errs += nonneg(spec, "minReadySeconds", path)
    errs += nonneg(spec, "revisionHistoryLimit", path)
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += nonneg(spec, "progressDeadlineSeconds", path)
        if isinstance(deadline, int) and deadline <= int_cell(spec.get("minReadySeconds")):
            errs.append(invalid_value(f"{path}.progressDeadlineSeconds", deadline,
                                      "must be greater than minReadySeconds"))
    return errs


class DeploymentStrategy(WorkloadStrategy):
    status_kept_meta = ("labels",)

    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        annotations = (semantic(new["metadata"].get("annotations")), semantic(old["metadata"].get("annotations")))
        return super().spec_changed(new, old) or annotations[0] != annotations[1]

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
        return validate_spec(spec) + immutable(spec.get("selector"), old_spec.get("selector"), "spec.selector")


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    names, images = container_cells(spec.get("template"))
    return [
        obj["metadata"].get("name", ""),
        f"{int_cell(status.get('readyReplicas'))}/{int_cell(spec.get('replicas'))}",
        int_cell(status.get("updatedReplicas")),
        int_cell(status.get("availableReplicas")),
        age(obj["metadata"].get("creationTimestamp"), now),
        names, images, selector_cell(spec.get("selector"), empty="", error="<invalid>"),
    ]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Ready", description="Number of the pod with ready state"),
        Column("Up-to-date", description="Total number of non-terminated pods targeted by this deployment "
                                         "that have the desired template spec."),
        Column("Available", description="Total number of available pods (ready for at least minReadySeconds) "
                                        "targeted by this deployment."),
        AGE_COLUMN,
        CONTAINERS_COLUMN,
        IMAGES_COLUMN,
        Column("Selector", description="Label selector for pods. Existing ReplicaSets whose pods are selected "
                                       "by this will be the ones affected by this deployment.", priority=1),
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="apps", version="v1", kind="Deployment", plural="deployments", singular="deployment",
    namespaced=True, short_names=("deploy",), categories=("all",),
    subresources={"status": STATUS, "scale": SCALE},
)
RESOURCE.strategy = DeploymentStrategy(RESOURCE)
RESOURCE.table = TABLE
