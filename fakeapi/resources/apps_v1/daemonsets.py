"""DaemonSets (apps/v1): discovery data, SetDefaults_DaemonSet, ValidateDaemonSet(Update) and printDaemonSet.

- Defaults: updateStrategy RollingUpdate{maxUnavailable 1, maxSurge 0}, revisionHistoryLimit 10, plus
  the template's PodSpec defaults.
- The internal spec.templateGeneration surfaces in apps/v1 as the annotation
  `deprecated.daemonset.template.generation`: 1 on create, +1 whenever the template changes, and a
  client cannot set it on update (pkg/registry/apps/daemonset/strategy.go).
- apps/v1 does not require a selector: a missing one selects nothing, so only the template-labels
  mismatch is reported. The selector is immutable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age, map_selector_string
from fakeapi.registry.validation import validate_label_selector
from fakeapi.resources.apps_v1.workload import (
    CONTAINERS_COLUMN, IMAGES_COLUMN, WorkloadStrategy, always_restart_errors, child, container_cells,
    immutable, int_cell, int_or_percent_errors, int_or_percent_value, labels_match_errors, nonneg,
    over_100_percent_errors, parse_selector, selector_cell, set_default, set_default_str,
)
from fakeapi.resources.core_v1.podspec import default_pod_template, mapping, semantic, validate_pod_template

Obj = dict[str, Any]

TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"
STRATEGY_TYPES = ("RollingUpdate", "OnDelete")


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    update = child(spec, "updateStrategy")
    set_default_str(update, "type", "RollingUpdate")
    if update.get("type") == "RollingUpdate":
        rolling = child(update, "rollingUpdate")
        set_default(rolling, "maxUnavailable", 1)
        set_default(rolling, "maxSurge", 0)
    set_default(spec, "revisionHistoryLimit", 10)
    default_pod_template(child(spec, "template"))


def template_generation(obj: Obj) -> int:
    value = str(mapping(obj["metadata"].get("annotations")).get(TEMPLATE_GENERATION) or "0")
    return int(value) if value.isdigit() else 0


def _set_template_generation(obj: Obj, generation: int) -> None:
    obj["metadata"].setdefault("annotations", {})[TEMPLATE_GENERATION] = str(generation)


def _rolling_update_errors(rolling: Obj, path: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = int_or_percent_errors(unavailable, f"{path}.maxUnavailable")
    errs += int_or_percent_errors(surge, f"{path}.maxSurge")
    errs += over_100_percent_errors(unavailable, f"{path}.maxUnavailable")
    errs += over_100_percent_errors(surge, f"{path}.maxSurge")
    has_unavailable, has_surge = int_or_percent_value(unavailable) != 0, int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errs.append(invalid_value(f"{path}.maxSurge", surge, "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        errs.append(required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    return errs


def _update_strategy_errors(update: Obj, path: str) -> list[FieldError]:
    kind = update.get("type")
    if kind == "OnDelete":
        return []
    if kind != "RollingUpdate":
        return [not_supported(path, update, STRATEGY_TYPES)]
    rolling = update.get("rollingUpdate")
    if not isinstance(rolling, dict):
        return [required(f"{path}.rollingUpdate")]
    return _rolling_update_errors(rolling, f"{path}.rollingUpdate")


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    """ValidateDaemonSetSpec."""
    sel = spec.get("selector")
    errs = validate_label_selector(sel, f"{path}.selector")
    errs += labels_match_errors(parse_selector(sel), spec.get("template"), f"{path}.template")
    if isinstance(sel, dict) and not (sel.get("matchLabels") or sel.get("matchExpressions")):
        errs.append(invalid_value(f"{path}.selector", sel, "empty selector is invalid for daemonset"))
    errs += validate_pod_template(spec.get("template"), f"{path}.template")
    errs += always_restart_errors(spec.get("template"), f"{path}.template", "DaemonSet")
    errs += nonneg(spec, "minReadySeconds", path)
    errs += _update_strategy_errors(mapping(spec.get("updateStrategy")), f"{path}.updateStrategy")
    return errs + nonneg(spec, "revisionHistoryLimit", path)


class DaemonSetStrategy(WorkloadStrategy):
    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        _set_template_generation(obj, max(template_generation(obj), 1))

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        generation = template_generation(old)
        if semantic(mapping(new.get("spec")).get("template")) != semantic(mapping(old.get("spec")).get("template")):
            generation += 1
        _set_template_generation(new, generation)

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
        return validate_spec(spec) + immutable(spec.get("selector"), old_spec.get("selector"), "spec.selector")


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    template = mapping(spec.get("template"))
    names, images = container_cells(template)
    return [
        obj["metadata"].get("name", ""),
        *(int_cell(status.get(k)) for k in ("desiredNumberScheduled", "currentNumberScheduled", "numberReady",
                                             "updatedNumberScheduled", "numberAvailable")),
        map_selector_string(mapping(template.get("spec")).get("nodeSelector")),
        age(obj["metadata"].get("creationTimestamp"), now),
        names, images, selector_cell(spec.get("selector")),
    ]


_DAEMON_MORE_INFO = " More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"

TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Desired", "integer", description="The total number of nodes that should be running the daemon pod "
               "(including nodes correctly running the daemon pod)." + _DAEMON_MORE_INFO),
        Column("Current", "integer", description="The number of nodes that are running at least 1 daemon pod and "
               "are supposed to run the daemon pod." + _DAEMON_MORE_INFO),
        Column("Ready", "integer", description="numberReady is the number of nodes that should be running the daemon "
               "pod and have one or more of the daemon pod running with a Ready Condition."),
        Column("Up-to-date", "integer", description="The total number of nodes that are running updated daemon pod"),
        Column("Available", "integer", description="The number of nodes that should be running the daemon pod and "
               "have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        Column("Node Selector", description="NodeSelector is a selector which must be true for the pod to fit on a "
               "node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: "
               "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        AGE_COLUMN,
        CONTAINERS_COLUMN,
        IMAGES_COLUMN,
        Column("Selector", description="A label query over pods that are managed by the daemon set. Must match in "
               "order to be controlled. If empty, defaulted to labels on Pod template. More info: "
               "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
               priority=1),
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="apps", version="v1", kind="DaemonSet", plural="daemonsets", singular="daemonset",
    namespaced=True, short_names=("ds",), categories=("all",), subresources={"status": STATUS},
)
RESOURCE.strategy = DaemonSetStrategy(RESOURCE)
RESOURCE.table = TABLE
