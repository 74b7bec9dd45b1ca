"""HorizontalPodAutoscalers (autoscaling/v2): SetDefaults_HorizontalPodAutoscaler, validation and
printHorizontalPodAutoscaler.

- Defaults: minReplicas 1; no metrics means one Resource metric, cpu at 80% average utilization;
  a `behavior` that is present gets its missing scale-up/scale-down rules filled in (scale-up:
  window 0, Max of 4 Pods and 100 Percent per 15s; scale-down: window 300, Max of 100 Percent per 15s).
  Target quantities are stored in canonical form, as the apiserver writes them back.
- Validation: scaleTargetRef kind/name required, minReplicas >= 1, maxReplicas > 0 and >= minReplicas;
  metrics are only checked when the reference is valid, as in Go. Behaviour rules are not validated.
- Status starts as `{desiredReplicas: 0}` (the one non-omitempty status field).
- The Targets cell follows formatHPAMetrics (two metrics, then `+ N more...`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.quantity import canonicalize_quantity, parse_quantity
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import name_errors
from fakeapi.resources.apps_v1.workload import child, int_cell, set_default
from fakeapi.resources.core_v1.podspec import dicts, mapping, semantic, text

Obj = dict[str, Any]

#: metric type -> the field carrying its source (validMetricSourceTypesList order)
SOURCE_FIELDS = {"Object": "object", "Pods": "pods", "Resource": "resource", "External": "external",
                 "ContainerResource": "containerResource"}
TARGET_TYPES = ("Utilization", "Value", "AverageValue")
QUANTITY_FIELDS = ("value", "averageValue")
SCALE_UP = {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
            "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                         {"type": "Percent", "value": 100, "periodSeconds": 15}]}
SCALE_DOWN = {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
              "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}
DEFAULT_METRIC = {"type": "Resource",
                  "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}


def _fill_rules(rules: Any, template: Obj) -> Obj:
    rules = dict(rules) if isinstance(rules, dict) else {}
    for key, value in template.items():
        set_default(rules, key, [dict(p) for p in value] if isinstance(value, list) else value)
    return rules


def _targets(metric: Obj) -> list[Obj]:
    return [t for src in SOURCE_FIELDS.values() if isinstance(t := mapping(metric.get(src)).get("target"), dict)]


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    set_default(spec, "minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {"name": "cpu", "target": dict(
            DEFAULT_METRIC["resource"]["target"])}}]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        behavior["scaleUp"] = _fill_rules(behavior.get("scaleUp"), SCALE_UP)
        behavior["scaleDown"] = _fill_rules(behavior.get("scaleDown"), SCALE_DOWN)
    for metric in dicts(spec.get("metrics")):
        for target in _targets(metric):
            for key in QUANTITY_FIELDS:
                try:
                    if target.get(key) is not None:
                        target[key] = canonicalize_quantity(target[key])
                except ValueError:
                    pass


def _reference_errors(ref: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("kind", "name"):
        value = text(ref.get(key))
        if not value:
            errs.append(required(f"{path}.{key}"))
        else:
            errs += [invalid_value(f"{path}.{key}", value, m) for m in name_errors(value, "path")]
    return errs


def _positive(value: Any) -> bool:
    try:
        return parse_quantity(value) > 0
    except (ValueError, TypeError):
        return False


def _target_errors(target: Obj, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    kind = target.get("type")
    if not kind:
        errs.append(required(f"{path}.type", "must specify a metric target type"))
    if kind not in TARGET_TYPES:
        errs.append(invalid_value(f"{path}.type", kind or "", "must be either Utilization, Value, or AverageValue"))
    for key in QUANTITY_FIELDS:
        if target.get(key) is not None and not _positive(target[key]):
            errs.append(invalid_value(f"{path}.{key}", target[key], "must be positive"))
    utilization = target.get("averageUtilization")
    if isinstance(utilization, int) and utilization < 1:
        errs.append(invalid_value(f"{path}.averageUtilization", utilization, "must be greater than 0"))
    return errs


def _metric_errors(metric: Obj, path: str) -> list[FieldError]:
    kind = metric.get("type")
    errs: list[FieldError] = []
    if not kind:
        errs.append(required(f"{path}.type", "must specify a metric source type"))
    if kind not in SOURCE_FIELDS:
        errs.append(not_supported(f"{path}.type", kind or "", tuple(SOURCE_FIELDS)))
    expected = SOURCE_FIELDS.get(kind, str(kind).lower())
    present = [f for f in SOURCE_FIELDS.values() if metric.get(f) is not None]
    if expected not in present:
        errs.append(required(f"{path}.{expected}", "must populate information for the given metric source"))
    errs += [forbidden(f"{path}.{f}", "must populate the given metric source only") for f in present if f != expected]
    source = mapping(metric.get(expected))
    if expected in ("resource", "containerResource") and expected in present:
        if not source.get("name"):
            errs.append(required(f"{path}.{expected}.name", "must specify a resource name"))
        target = mapping(source.get("target"))
        errs += _target_errors(target, f"{path}.{expected}.target")
        if target.get("averageUtilization") is None and target.get("averageValue") is None:
            errs.append(required(f"{path}.{expected}.target.averageUtilization",
                                 "must set either a target raw value or a target utilization"))
        if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
            errs.append(forbidden(f"{path}.{expected}.target.averageValue",
                                  "may not set both a target raw value and a target utilization"))
    elif expected in present:
        errs += _target_errors(mapping(source.get("target")), f"{path}.{expected}.target")
    return errs


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    errs: list[FieldError] = []
    low, high = spec.get("minReplicas"), int_cell(spec.get("maxReplicas"))
    if isinstance(low, int) and low < 1:
        errs.append(invalid_value(f"{path}.minReplicas", low, "must be greater than or equal to 1"))
    if high < 1:
        errs.append(invalid_value(f"{path}.maxReplicas", high, "must be greater than 0"))
    if isinstance(low, int) and high < low:
        errs.append(invalid_value(f"{path}.maxReplicas", high, "must be greater than or equal to `minReplicas`"))
    ref_errs = _reference_errors(mapping(spec.get("scaleTargetRef")), f"{path}.scaleTargetRef")
    if ref_errs:
        return errs + ref_errs
    for i, metric in enumerate(dicts(spec.get("metrics"))):
        errs += _metric_errors(metric, f"{path}.metrics[{i}]")
    return errs


class HorizontalPodAutoscalerStrategy(GenericStrategy):
    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"desiredReplicas": 0}

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return semantic(new.get("spec")) != semantic(old.get("spec"))

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_spec(mapping(new.get("spec")))


def _quantity(value: Any) -> str:
    try:
        return canonicalize_quantity(value)
    except ValueError:
        return str(value)


def _current(status: Any, source: str, key: str) -> str | None:
    value = mapping(mapping(mapping(status).get(source)).get("current")).get(key)
    return None if value is None else _quantity(value)


def _metric_text(spec: Obj, status: Any) -> str:
    """One entry of formatHPAMetrics; `status` is the matching currentMetrics entry (or None)."""
    kind = spec.get("type")
    source = SOURCE_FIELDS.get(kind)
    if source is None:
        return "<unknown type>"
    target = mapping(mapping(spec.get(source)).get("target"))
    average = target.get("averageValue")
    if kind == "Pods":
        return f"{_current(status, source, 'averageValue') or '<unknown>'}/{_quantity(average)}"
    if kind in ("Object", "External"):
        if average is not None:
            return f"{_current(status, source, 'averageValue') or '<unknown>'}/{_quantity(average)} (avg)"
        return f"{_current(status, source, 'value') or '<unknown>'}/{_quantity(target.get('value'))}"
    name = text(mapping(spec.get(source)).get("name"))
    if average is not None:
        return f"{name}: {_current(status, source, 'averageValue') or '<unknown>'}/{_quantity(average)}"
    utilization = mapping(mapping(mapping(status).get(source)).get("current")).get("averageUtilization")
    current = "<unknown>" if utilization is None else f"{utilization}%"
    wanted = target.get("averageUtilization")
    return f"{name}: {current}/{'<auto>' if wanted is None else f'{wanted}%'}"


def targets_cell(spec: Obj, status: Obj) -> str:
    metrics, current = dicts(spec.get("metrics")), dicts(status.get("currentMetrics"))
    if not metrics:
        return "<none>"
    texts = [_metric_text(m, current[i] if i < len(current) else None) for i, m in enumerate(metrics)]
    if len(texts) > 2:
        return f"{', '.join(texts[:2])} + {len(texts) - 2} more..."
    return ", ".join(texts)


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    ref = mapping(spec.get("scaleTargetRef"))
    return [
        obj["metadata"].get("name", ""),
        f"{text(ref.get('kind'))}/{text(ref.get('name'))}",
        targets_cell(spec, status),
        "<unset>" if spec.get("minReplicas") is None else str(spec["minReplicas"]),
        int_cell(spec.get("maxReplicas")),
        int_cell(status.get("currentReplicas")),
        age(obj["metadata"].get("creationTimestamp"), now),
    ]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Reference", description="scaleTargetRef points to the target resource to scale, and is used to the "
               "pods for which metrics should be collected, as well as to actually change the replica count."),
        Column("Targets", description="metrics contains the specifications for which to use to calculate the "
               "desired replica count (the maximum replica count across all metrics will be used).  The desired "
               "replica count is calculated multiplying the ratio between the target value and the current value "
               "by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, "
               "and vice-versa.  See the individual metric source types for more information about how each type "
               "of metric must respond."),
        Column("MinPods", description="minReplicas is the lower limit for the number of replicas to which the "
               "autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha "
               "feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  "
               "Scaling is active as long as at least one metric value is available."),
        Column("MaxPods", description="maxReplicas is the upper limit for the number of replicas to which the "
               "autoscaler can scale up. It cannot be less that minReplicas."),
        Column("Replicas", description="currentReplicas is current number of replicas of pods managed by this "
               "autoscaler, as last seen by the autoscaler."),
        AGE_COLUMN,
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="autoscaling", version="v2", kind="HorizontalPodAutoscaler", plural="horizontalpodautoscalers",
    singular="horizontalpodautoscaler", namespaced=True, short_names=("hpa",), categories=("all",),
    subresources={"status": STATUS},
)
RESOURCE.strategy = HorizontalPodAutoscalerStrategy(RESOURCE)
RESOURCE.table = TABLE
