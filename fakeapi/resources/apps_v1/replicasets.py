"""ReplicaSets (apps/v1): discovery data, SetDefaults_ReplicaSet, ValidateReplicaSet(Update) and printReplicaSet.

Defaults are replicas 1 plus the template's PodSpec defaults. Generation bumps on spec changes only;
the selector is immutable in apps/v1. `status.replicas` is a selectable field (pkg/apis/apps/selection.go),
which `kubectl get rs --field-selector status.replicas=0` uses to find scaled-down sets. The empty-selector
error really says "deployment": ValidateReplicaSetSpec shares the Deployment wording.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError
from fakeapi.registry.resource import SCALE, STATUS, ResourceInfo
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.resources.apps_v1.workload import (
    CONTAINERS_COLUMN, IMAGES_COLUMN, WorkloadStrategy, child, container_cells, immutable, int_cell, nonneg,
    replica_set_template_errors, selector_and_template_errors, selector_cell, set_default,
)
from fakeapi.resources.core_v1.podspec import default_pod_template, mapping

Obj = dict[str, Any]


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    set_default(spec, "replicas", 1)
    default_pod_template(child(spec, "template"))


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    """ValidateReplicaSetSpec."""
    errs = nonneg(spec, "replicas", path) + nonneg(spec, "minReadySeconds", path)
    selector_errs, selector = selector_and_template_errors(spec, path, kind="deployment",
                                                           bad_selector="invalid label selector")
    errs += selector_errs
    if selector is not None:
        errs += replica_set_template_errors(spec, path)
    return errs


class ReplicaSetStrategy(WorkloadStrategy):
    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"replicas": 0}

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
        return validate_spec(spec) + immutable(spec.get("selector"), old_spec.get("selector"), "spec.selector")

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        fields = super().selectable_fields(obj)
        fields["status.replicas"] = str(int_cell(mapping(obj.get("status")).get("replicas")))
        return fields


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    names, images = container_cells(spec.get("template"))
    return [
        obj["metadata"].get("name", ""),
        int_cell(spec.get("replicas")),
        int_cell(status.get("replicas")),
        int_cell(status.get("readyReplicas")),
        age(obj["metadata"].get("creationTimestamp"), now),
        names, images, selector_cell(spec.get("selector")),
    ]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Desired", "integer", description=(
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit "
            "zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/"
            "controllers/replicationcontroller/#what-is-a-replicationcontroller")),
        Column("Current", "integer", description=(
            "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/"
            "concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller")),
        Column("Ready", "integer",
               description="readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition."),
        AGE_COLUMN,
        CONTAINERS_COLUMN,
        IMAGES_COLUMN,
        Column("Selector", description=(
            "Selector is a label query over pods that should match the replica count. If the selector is empty, "
            "it is defaulted to the labels present on the pod template. Label keys and values that must match "
            "in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/"
            "overview/working-with-objects/labels/#label-selectors"), priority=1),
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="apps", version="v1", kind="ReplicaSet", plural="replicasets", singular="replicaset",
    namespaced=True, short_names=("rs",), categories=("all",),
    subresources={"status": STATUS, "scale": SCALE},
    selectable_fields=("status.replicas",),
)
RESOURCE.strategy = ReplicaSetStrategy(RESOURCE)
RESOURCE.table = TABLE
