"""StatefulSets (apps/v1): discovery data, SetDefaults_StatefulSet, ValidateStatefulSet(Update) and
printStatefulSet.

- Defaults: replicas 1, podManagementPolicy OrderedReady, updateStrategy RollingUpdate{partition 0,
  maxUnavailable 1 (MaxUnavailableStatefulSet is on by default since 1.35)}, revisionHistoryLimit 10,
  persistentVolumeClaimRetentionPolicy Retain/Retain; claim templates get SetDefaults_PersistentVolumeClaim
  (volumeMode Filesystem, status.phase Pending) and the apiVersion/kind the v1 conversion stamps on them.
- Names are DNS labels (pods are named `<set>-<ordinal>`).
- Since 1.34 the template's PodSpec is validated on create, with the claim templates counted as volumes;
  on update it is only re-validated when the template changed, so old objects stay updatable.
- Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
  minReadySeconds may change; anything else is the famous `spec: Forbidden: updates to statefulset spec ...`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import SCALE, STATUS, ResourceInfo
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import validate_annotations, validate_labels, validate_nonnegative
from fakeapi.resources.apps_v1.workload import (
    CONTAINERS_COLUMN, IMAGES_COLUMN, WorkloadStrategy, always_restart_errors, child, container_cells,
    int_cell, int_or_percent_errors, int_or_percent_value, nonneg, over_100_percent_errors,
    selector_and_template_errors, set_default, set_default_str,
)
from fakeapi.resources.core_v1.podspec import (
    default_pod_template, dicts, mapping, semantic, text, validate_pod_spec,
)

Obj = dict[str, Any]

POD_MANAGEMENT_POLICIES = ("OrderedReady", "Parallel")
RETENTION_POLICIES = ("Retain", "Delete")
MUTABLE_SPEC_FIELDS = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                       "minReadySeconds")
FORBIDDEN_UPDATE = ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                    "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    set_default_str(spec, "podManagementPolicy", "OrderedReady")
    update = child(spec, "updateStrategy")
    if not update.get("type"):
        update["type"] = "RollingUpdate"
        set_default(update, "rollingUpdate", {})
    rolling = update.get("rollingUpdate")
    if update["type"] == "RollingUpdate" and isinstance(rolling, dict):
        set_default(rolling, "partition", 0)
        set_default(rolling, "maxUnavailable", 1)
    retention = child(spec, "persistentVolumeClaimRetentionPolicy")
    set_default_str(retention, "whenDeleted", "Retain")
    set_default_str(retention, "whenScaled", "Retain")
    set_default(spec, "replicas", 1)
    set_default(spec, "revisionHistoryLimit", 10)
    default_pod_template(child(spec, "template"))
    for claim in dicts(spec.get("volumeClaimTemplates")):
        claim["apiVersion"], claim["kind"] = "v1", "PersistentVolumeClaim"
        set_default(child(claim, "spec"), "volumeMode", "Filesystem")
        set_default_str(child(claim, "status"), "phase", "Pending")


def _update_strategy_errors(update: Obj, path: str) -> list[FieldError]:
    kind, rolling = update.get("type"), update.get("rollingUpdate")
    if not kind:
        return [required(path)]
    if kind == "OnDelete":
        if rolling is not None:
            return [invalid_value(f"{path}.rollingUpdate", rolling, "only allowed for updateStrategy 'RollingUpdate'")]
        return []
    if kind != "RollingUpdate":
        return [invalid_value(path, update, "must be 'RollingUpdate' or 'OnDelete'")]
    if not isinstance(rolling, dict):
        return []
    rpath = f"{path}.rollingUpdate"
    errs = validate_nonnegative(rolling.get("partition"), f"{rpath}.partition")
    unavailable = rolling.get("maxUnavailable")
    if unavailable is not None:
        errs += int_or_percent_errors(unavailable, f"{rpath}.maxUnavailable")
        if int_or_percent_value(unavailable) == 0:
            errs.append(invalid_value(f"{rpath}.maxUnavailable", unavailable, "cannot be 0"))
        errs += over_100_percent_errors(unavailable, f"{rpath}.maxUnavailable")
    return errs


def _claim_errors(spec: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, claim in enumerate(dicts(spec.get("volumeClaimTemplates"))):
        cpath = f"{path}.volumeClaimTemplates[{i}].spec"
        claim_spec = mapping(claim.get("spec"))
        if not claim_spec.get("accessModes"):
            errs.append(required(f"{cpath}.accessModes", "at least 1 access mode is required"))
        if mapping(mapping(claim_spec.get("resources")).get("requests")).get("storage") is None:
            errs.append(required(f"{cpath}.resources[storage]"))
    return errs


def _with_claim_volumes(spec: Obj) -> Obj:
    """The pod spec the controller will create: claim templates become persistentVolumeClaim volumes."""
    pod_spec = dict(mapping(mapping(spec.get("template")).get("spec")))
    volumes = list(dicts(pod_spec.get("volumes")))
    named = {text(v.get("name")) for v in volumes}
    for claim in dicts(spec.get("volumeClaimTemplates")):
        name = text(mapping(claim.get("metadata")).get("name"))
        if name and name not in named:
            volumes.append({"name": name, "persistentVolumeClaim": {"claimName": name}})
    pod_spec["volumes"] = volumes
    return pod_spec


def _template_errors(spec: Obj, path: str, *, with_pod_spec: bool) -> list[FieldError]:
    """ValidatePodTemplateSpecForStatefulSet (labels land at `template.labels`, as in Go)."""
    template = spec.get("template")
    meta = mapping(mapping(template).get("metadata"))
    errs = validate_labels(meta.get("labels"), f"{path}.template.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.template.annotations")
    if with_pod_spec:
        errs += validate_pod_spec(_with_claim_volumes(spec), f"{path}.template.spec")
    return errs + always_restart_errors(template, f"{path}.template", "StatefulSet")


def validate_spec(spec: Obj, path: str = "spec", *, with_pod_spec: bool = True) -> list[FieldError]:
    """ValidateStatefulSetSpec."""
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy")
    if not policy:
        errs.append(required(f"{path}.podManagementPolicy"))
    elif policy not in POD_MANAGEMENT_POLICIES:
        errs.append(invalid_value(f"{path}.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"))
    errs += _update_strategy_errors(mapping(spec.get("updateStrategy")), f"{path}.updateStrategy")
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(retention, dict):
        for key in ("whenDeleted", "whenScaled"):
            if retention.get(key) not in RETENTION_POLICIES:
                errs.append(not_supported(f"{path}.persistentVolumeClaimRetentionPolicy.{key}",
                                          retention.get(key) or "", RETENTION_POLICIES))
    errs += nonneg(spec, "replicas", path) + nonneg(spec, "minReadySeconds", path)
    errs += validate_nonnegative(mapping(spec.get("ordinals")).get("start"), f"{path}.ordinals.start")
    selector_errs, selector = selector_and_template_errors(spec, path, kind="statefulset", bad_selector="")
    errs += selector_errs
    if selector is not None:
        errs += _template_errors(spec, path, with_pod_spec=with_pod_spec)
    else:
        errs += always_restart_errors(spec.get("template"), f"{path}.template", "StatefulSet")
    return errs + _claim_errors(spec, path)


class StatefulSetStrategy(WorkloadStrategy):
    name_rule = "label"

    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"availableReplicas": 0, "replicas": 0}

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
        changed = semantic(spec.get("template")) != semantic(old_spec.get("template"))
        errs = validate_spec(spec, with_pod_spec=changed)
        rest = {k: v for k, v in spec.items() if k not in MUTABLE_SPEC_FIELDS}
        old_rest = {k: v for k, v in old_spec.items() if k not in MUTABLE_SPEC_FIELDS}
        if semantic(rest) != semantic(old_rest):
            errs.append(forbidden("spec", FORBIDDEN_UPDATE))
        return errs


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    names, images = container_cells(spec.get("template"))
    return [
        obj["metadata"].get("name", ""),
        f"{int_cell(status.get('readyReplicas'))}/{int_cell(spec.get('replicas'))}",
        age(obj["metadata"].get("creationTimestamp"), now),
        names, images,
    ]


TABLE = TableDef(
    columns=[NAME_COLUMN, Column("Ready", description="Number of the pod with ready state"), AGE_COLUMN,
             CONTAINERS_COLUMN, IMAGES_COLUMN],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="apps", version="v1", kind="StatefulSet", plural="statefulsets", singular="statefulset",
    namespaced=True, short_names=("sts",), categories=("all",),
    subresources={"status": STATUS, "scale": SCALE},
)
RESOURCE.strategy = StatefulSetStrategy(RESOURCE)
RESOURCE.table = TABLE
