"""What the workload kinds (apps/v1 and batch/v1) share: defaulting helpers, selector/template
validation, int-or-percent checks, the /status write rule and the table cell helpers.

Contract, mirroring pkg/apis/apps/validation and pkg/registry/apps/*/strategy.go:
- `WorkloadStrategy` compares specs the way apiequality.Semantic does (nil == empty), so a PUT that
  only spells out defaults does not bump `metadata.generation`.
- A /status write keeps the stored spec and generation but, as in the real status strategies, lets
  labels, annotations, finalizers and ownerReferences through (the deployment controller records the
  revision annotation with UpdateStatus); `status_kept_meta` names metadata a kind still protects.
- `selector_and_template_errors` reproduces the quirks of LabelSelectorAsSelector: a missing selector
  selects nothing, so it is reported both as Required and as a template-labels mismatch.
"""

from __future__ import annotations

import re
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.selectors import LabelSelector, SelectorError, label_selector_from_dict
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import Column
from fakeapi.registry.validation import IMMUTABLE, regex_error, validate_label_selector, validate_nonnegative
from fakeapi.resources.core_v1.podspec import dicts, mapping, semantic, text, validate_pod_template

Obj = dict[str, Any]

PERCENT_RE = re.compile(r"[0-9]+%")
PERCENT_MSG = regex_error("a valid percent string must be a numeric string followed by an ending '%'",
                          "[0-9]+%", "1%", "93%")
MISMATCH = "`selector` does not match template `labels`"
MAX_INT32 = 2**31 - 1


# ---- defaulting ----------------------------------------------------------------------------------

def child(obj: Obj, key: str) -> Obj:
    """obj[key] as a dict, created when unset; a wrongly-typed value is left for validation to report."""
    value = obj.get(key)
    if value is None:
        value = obj[key] = {}
    return value if isinstance(value, dict) else {}


def set_default(obj: Obj, key: str, value: Any) -> None:
    """Pointer fields: only a missing (nil) value is defaulted."""
    if obj.get(key) is None:
        obj[key] = value


def set_default_str(obj: Obj, key: str, value: str) -> None:
    """String fields: Go defaults when len() == 0."""
    if not obj.get(key):
        obj[key] = value


# ---- strategy ------------------------------------------------------------------------------------

class WorkloadStrategy(GenericStrategy):
    status_kept_meta: tuple[str, ...] = ()

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return semantic(new.get("spec")) != semantic(old.get("spec"))

    def prepare_for_status_update(self, new: Obj, old: Obj) -> None:
        status = new.get(self.status_field)
        for key in [k for k in new if k not in ("metadata", "apiVersion", "kind", self.status_field)]:
            del new[key]
        new.update({k: v for k, v in old.items() if k not in ("metadata", "apiVersion", "kind", self.status_field)})
        if status is None:
            new.pop(self.status_field, None)
        meta, old_meta = new["metadata"], old["metadata"]
        for key in ("generation", *self.status_kept_meta):
            if key in old_meta:
                meta[key] = old_meta[key]
            else:
                meta.pop(key, None)


# ---- validation helpers --------------------------------------------------------------------------

def nonneg(spec: Obj, key: str, path: str) -> list[FieldError]:
    return validate_nonnegative(spec.get(key), f"{path}.{key}")


def immutable(new: Any, old: Any, path: str) -> list[FieldError]:
    return [] if semantic(new) == semantic(old) else [invalid_value(path, new, IMMUTABLE)]


def unique(errs: list[FieldError]) -> list[FieldError]:
    """ErrorList.ToAggregate drops repeated messages (ValidateUpdate re-runs the create checks)."""
    seen: set[str] = set()
    out = []
    for err in errs:
        if str(err) not in seen:
            seen.add(str(err))
            out.append(err)
    return out


def parse_selector(sel: Any) -> LabelSelector | None:
    """metav1.LabelSelectorAsSelector; None when it fails to convert."""
    try:
        return label_selector_from_dict(sel if isinstance(sel, dict) else None)
    except SelectorError:
        return None


def template_labels(template: Any) -> Any:
    labels = mapping(template).get("metadata")
    value = mapping(labels).get("labels")
    return dict(sorted(value.items())) if isinstance(value, dict) else value


def labels_match_errors(selector: LabelSelector | None, template: Any, path: str) -> list[FieldError]:
    """The selector must select the pods the template creates (`path` is the template's)."""
    if selector is None or selector.empty():
        return []
    labels = template_labels(template)
    if selector.matches(labels if isinstance(labels, dict) else {}):
        return []
    return [invalid_value(f"{path}.metadata.labels", labels, MISMATCH)]


def selector_and_template_errors(spec: Obj, path: str, *, kind: str, bad_selector: str | None,
                                 required_selector: bool = True) -> tuple[list[FieldError], LabelSelector | None]:
    """spec.selector checks plus the template-labels match; `kind` words the empty-selector error and
    `bad_selector` the unconvertible one (None: the kind ignores conversion errors, as DaemonSet does)."""
    sel = spec.get("selector")
    errs: list[FieldError] = []
    if sel is None:
        if required_selector:
            errs.append(required(f"{path}.selector"))
    else:
        errs += validate_label_selector(sel, f"{path}.selector")
        if isinstance(sel, dict) and not (sel.get("matchLabels") or sel.get("matchExpressions")):
            errs.append(invalid_value(f"{path}.selector", sel, f"empty selector is invalid for {kind}"))
    selector = parse_selector(sel)
    if selector is None and bad_selector is not None:
        errs.append(invalid_value(f"{path}.selector", sel, bad_selector))
    errs += labels_match_errors(selector, spec.get("template"), f"{path}.template")
    return errs, selector


def always_restart_errors(template: Any, path: str, kind: str) -> list[FieldError]:
    """Controllers that keep pods running: restartPolicy Always, no activeDeadlineSeconds."""
    spec = mapping(mapping(template).get("spec"))
    errs: list[FieldError] = []
    policy = spec.get("restartPolicy")
    if policy != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", "" if policy is None else policy, ("Always",)))
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden(f"{path}.spec.activeDeadlineSeconds",
                              f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def replica_set_template_errors(spec: Obj, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet without the label match (callers did that already)."""
    template = spec.get("template")
    return validate_pod_template(template, f"{path}.template") + always_restart_errors(
        template, f"{path}.template", "ReplicaSet")


# ---- int-or-percent ------------------------------------------------------------------------------

def _atoi(value: str) -> int:
    return int(value) if re.fullmatch(r"[+-]?[0-9]+", value) else 0


def percent_value(value: Any) -> int | None:
    if isinstance(value, str) and PERCENT_RE.fullmatch(value):
        return int(value[:-1])
    return None


def int_or_percent_value(value: Any) -> int:
    """getIntOrPercentValue: a percent's number, an int, or IntValue() of a bad string (Atoi, else 0)."""
    pct = percent_value(value)
    if pct is not None:
        return pct
    if isinstance(value, str):
        return _atoi(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def int_or_percent_errors(value: Any, path: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent."""
    if value is None:
        return []
    if isinstance(value, str):
        return [] if PERCENT_RE.fullmatch(value) else [invalid_value(path, value, PERCENT_MSG)]
    if isinstance(value, int) and not isinstance(value, bool):
        return validate_nonnegative(value, path)
    return [invalid_value(path, value, "must be an integer or percentage (e.g '5%%')")]


def over_100_percent_errors(value: Any, path: str) -> list[FieldError]:
    pct = percent_value(value)
    return [invalid_value(path, value, "must not be greater than 100%")] if pct is not None and pct > 100 else []


# ---- table cells ---------------------------------------------------------------------------------

def container_cells(template: Any) -> tuple[str, str]:
    """layoutContainerCells: comma-joined container names and images."""
    containers = dicts(mapping(mapping(template).get("spec")).get("containers"))
    return ",".join(text(c.get("name")) for c in containers), ",".join(text(c.get("image")) for c in containers)


def selector_cell(sel: Any, *, empty: str = "<none>", error: str = "<error>") -> str:
    """metav1.FormatLabelSelector (`empty`/`error` differ for deployments, which print selector.String())."""
    selector = parse_selector(sel)
    if selector is None:
        return error
    return str(selector) or empty


def int_cell(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


CONTAINERS_COLUMN = Column("Containers", description="Names of each container in the template.", priority=1)
IMAGES_COLUMN = Column("Images", description="Images referenced by each container in the template.", priority=1)
