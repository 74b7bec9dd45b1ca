"""Jobs (batch/v1): discovery data, SetDefaults_Job, the generated selector, ValidateJob(Update) and printJob.

- Defaults: parallelism 1 and completions 1 (completions only when both are unset), backoffLimit 6
  (MaxInt32 with backoffLimitPerIndex), completionMode NonIndexed, suspend false, manualSelector false,
  podReplacementPolicy TerminatingOrFailed (Failed with a podFailurePolicy), template PodSpec defaults.
- The uid is only known at create: prepare_for_create adds the template labels `controller-uid`,
  `batch.kubernetes.io/controller-uid`, `job-name`, `batch.kubernetes.io/job-name` and the selector
  `batch.kubernetes.io/controller-uid=<uid>` (unless manualSelector). Defaulting also copies the template
  labels to an unlabelled Job; the apiserver does it again when it decodes the stored object, which is
  why a label-less Job ends up carrying the four generated labels: we do that copy here at once.
- restartPolicy must be OnFailure or Never; the defaulted Always reads `Required value: valid values:
  "OnFailure", "Never"`. Selector, template (except scheduling directives of a suspended Job that never
  started), completionMode and the policies are immutable; completions too except for Indexed Jobs
  scaled in tandem with parallelism.
- `status.successful` is a selectable field (pkg/apis/batch/selection.go).

`validate_job_spec` is validateJobSpec, reused by CronJob's jobTemplate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age, human_duration, parse_time
from fakeapi.registry.validation import is_dns1123_label, validate_label_selector
from fakeapi.resources.apps_v1.workload import (
    CONTAINERS_COLUMN, IMAGES_COLUMN, MAX_INT32, WorkloadStrategy, child, container_cells, immutable,
    int_cell, labels_match_errors, nonneg, parse_selector, selector_cell, set_default, unique,
)
from fakeapi.resources.core_v1.podspec import default_pod_template, dicts, mapping, validate_pod_template

Obj = dict[str, Any]

JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
CONTROLLER_UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
SELECTOR_LABEL = "batch.kubernetes.io/controller-uid"
COMPLETION_MODES = ("NonIndexed", "Indexed")
REPLACEMENT_POLICIES = ("Failed", "TerminatingOrFailed")
MAX_INDEXED_PARALLELISM = 100_000
MAX_FAILED_INDEXES = 100_000
#: fields a suspended Job that never started may still change in its template (JobMutableNodeSchedulingDirectives)
SCHEDULING_DIRECTIVES = (("metadata", "labels"), ("metadata", "annotations"), ("spec", "nodeSelector"),
                         ("spec", "tolerations"), ("spec", "affinity"), ("spec", "schedulingGates"))
NEGATIVE_FIELDS = ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
                   "backoffLimitPerIndex")
IMMUTABLE_FIELDS = ("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy")


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    set_default(spec, "parallelism", 1)
    set_default(spec, "backoffLimit", MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6)
    copy_template_labels(obj)
    set_default(spec, "completionMode", "NonIndexed")
    set_default(spec, "suspend", False)
    set_default(spec, "podReplacementPolicy",
                "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed")
    set_default(spec, "manualSelector", False)
    for rule in dicts(mapping(spec.get("podFailurePolicy")).get("rules")):
        for pattern in dicts(rule.get("onPodConditions")):
            if not pattern.get("status"):
                pattern["status"] = "True"
    default_pod_template(child(spec, "template"))


def copy_template_labels(obj: Obj) -> None:
    labels = mapping(mapping(mapping(obj.get("spec")).get("template")).get("metadata")).get("labels")
    if isinstance(labels, dict) and not obj["metadata"].get("labels"):
        obj["metadata"]["labels"] = dict(labels)


def generate_selector(obj: Obj) -> None:
    meta = obj["metadata"]
    spec = child(obj, "spec")
    labels = child(child(child(spec, "template"), "metadata"), "labels")
    for key in JOB_NAME_LABELS:
        labels.setdefault(key, meta.get("name", ""))
    for key in CONTROLLER_UID_LABELS:
        labels.setdefault(key, meta.get("uid", ""))
    child(child(spec, "selector"), "matchLabels").setdefault(SELECTOR_LABEL, meta.get("uid", ""))


def _has_label(labels: Any, key: str, expected: str) -> list[FieldError]:
    """ValidateHasLabel at spec.template.metadata.labels[<key>]."""
    path = f"spec.template.metadata.labels[{key}]"
    labels = labels if isinstance(labels, dict) else {}
    if key not in labels:
        return [required(path, f"must be '{expected}'")]
    if labels[key] != expected:
        return [invalid_value(path, dict(sorted(labels.items())), f"must be '{expected}'")]
    return []


def generated_selector_errors(obj: Obj, *, prefixed: bool) -> list[FieldError]:
    spec = mapping(obj.get("spec"))
    if spec.get("manualSelector") is True or spec.get("selector") is None:
        return []
    meta = obj["metadata"]
    uid, name = str(meta.get("uid") or ""), str(meta.get("name") or "")
    errs = [] if uid else [required("metadata.uid")]
    labels = mapping(mapping(spec.get("template")).get("metadata")).get("labels")
    keys = (CONTROLLER_UID_LABELS if prefixed else CONTROLLER_UID_LABELS[:1],
            JOB_NAME_LABELS if prefixed else JOB_NAME_LABELS[:1])
    expected: dict[str, str] = {}
    for group, value in zip(keys, (uid, name)):
        for key in group:
            errs += _has_label(labels, key, value)
            expected[key] = value
    selector = parse_selector(spec.get("selector"))
    if selector is not None and not selector.matches(expected):
        errs.append(invalid_value("spec.selector", spec.get("selector"), "`selector` not auto-generated"))
    return errs


def _completion_mode_errors(spec: Obj, path: str) -> list[FieldError]:
    mode = spec.get("completionMode")
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    per_index, max_failed = spec.get("backoffLimitPerIndex"), spec.get("maxFailedIndexes")
    errs: list[FieldError] = []
    if mode is not None and mode not in COMPLETION_MODES:
        errs.append(not_supported(f"{path}.completionMode", mode, COMPLETION_MODES))
    if mode == "Indexed":
        if completions is None:
            errs.append(required(f"{path}.completions", "when completion mode is Indexed"))
        if isinstance(parallelism, int) and parallelism > MAX_INDEXED_PARALLELISM:
            errs.append(invalid_value(f"{path}.parallelism", parallelism,
                                      f"must be less than or equal to {MAX_INDEXED_PARALLELISM} when completion "
                                      "mode is Indexed"))
        if isinstance(completions, int) and isinstance(max_failed, int) and max_failed > completions:
            errs.append(invalid_value(f"{path}.maxFailedIndexes", max_failed,
                                      "must be less than or equal to completions"))
        if isinstance(max_failed, int) and max_failed > MAX_FAILED_INDEXES:
            errs.append(invalid_value(f"{path}.maxFailedIndexes", max_failed,
                                      f"must be less than or equal to {MAX_FAILED_INDEXES}"))
    elif mode in (None, "NonIndexed"):
        for key, value in (("backoffLimitPerIndex", per_index), ("maxFailedIndexes", max_failed)):
            if value is not None:
                errs.append(invalid_value(f"{path}.{key}", value, "requires indexed completion mode"))
    if spec.get("successPolicy") is not None and mode != "Indexed":
        errs.append(invalid_value(f"{path}.successPolicy", spec["successPolicy"], "requires indexed completion mode"))
    return errs


def _replacement_policy_errors(spec: Obj, path: str) -> list[FieldError]:
    policy = spec.get("podReplacementPolicy")
    if policy is None:
        return []
    if spec.get("podFailurePolicy") is not None:
        return [] if policy == "Failed" else [not_supported(path, policy, ("Failed",))]
    return [] if policy in REPLACEMENT_POLICIES else [not_supported(path, policy, REPLACEMENT_POLICIES)]


def _restart_policy_errors(spec: Obj, path: str) -> list[FieldError]:
    policy = mapping(mapping(spec.get("template")).get("spec")).get("restartPolicy")
    field = f"{path}.template.spec.restartPolicy"
    if policy in ("Always", "", None):
        return [required(field, 'valid values: "OnFailure", "Never"')]
    if policy not in ("OnFailure", "Never"):
        return [not_supported(field, policy, ("OnFailure", "Never"))]
    if spec.get("podFailurePolicy") is not None and policy != "Never":
        return [invalid_value(field, policy, 'only "Never" is supported when podFailurePolicy is specified')]
    return []


def validate_job_spec(spec: Obj, path: str) -> list[FieldError]:
    """validateJobSpec: everything but the selector (a CronJob's jobTemplate has none)."""
    errs: list[FieldError] = []
    for key in NEGATIVE_FIELDS:
        errs += nonneg(spec, key, path)
    if spec.get("maxFailedIndexes") is not None:
        errs += nonneg(spec, "maxFailedIndexes", path)
        if spec.get("backoffLimitPerIndex") is None:
            errs.append(required(f"{path}.backoffLimitPerIndex", "when maxFailedIndexes is specified"))
    errs += _completion_mode_errors(spec, path)
    errs += _replacement_policy_errors(spec, f"{path}.podReplacementPolicy")
    errs += validate_pod_template(spec.get("template"), f"{path}.template")
    return errs + _restart_policy_errors(spec, path)


def _spec_errors(spec: Obj) -> list[FieldError]:
    """ValidateJobSpec: validateJobSpec plus the selector rules."""
    errs = validate_job_spec(spec, "spec")
    if spec.get("selector") is None:
        errs.append(required("spec.selector"))
    else:
        errs += validate_label_selector(spec["selector"], "spec.selector")
    return errs + labels_match_errors(parse_selector(spec.get("selector")), spec.get("template"), "spec.template")


def validate(obj: Obj, *, prefixed: bool = True) -> list[FieldError]:
    """ValidateJob (metadata is the store's)."""
    spec = mapping(obj.get("spec"))
    errs = generated_selector_errors(obj, prefixed=prefixed) + _spec_errors(spec)
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and isinstance(completions, int) and completions > 0:
        hostname = f"{obj['metadata'].get('name', '')}-{completions - 1}"
        if is_dns1123_label(hostname):
            errs.append(invalid_value("metadata.name", obj["metadata"].get("name", ""),
                                      f"will not able to create pod with invalid DNS label: {hostname}"))
    return errs


def _comparable_template(new_spec: Obj, old_spec: Obj, old_status: Obj) -> Any:
    """The old template, with the scheduling directives a suspended, never-started Job may change taken from new."""
    template = old_spec.get("template")
    if not (old_spec.get("suspend") is True and old_status.get("startTime") is None):
        return template
    old_t, new_t = mapping(template), mapping(new_spec.get("template"))
    merged = {**old_t, "metadata": dict(mapping(old_t.get("metadata"))), "spec": dict(mapping(old_t.get("spec")))}
    for part, key in SCHEDULING_DIRECTIVES:
        value = mapping(new_t.get(part)).get(key)
        if value is None:
            merged[part].pop(key, None)
        else:
            merged[part][key] = value
    return merged


def _completions_errors(spec: Obj, old_spec: Obj) -> list[FieldError]:
    new, old = spec.get("completions"), old_spec.get("completions")
    if spec.get("completionMode") != "Indexed":
        return immutable(new, old, "spec.completions")
    if new == old or new is None:
        return []
    if new != spec.get("parallelism"):
        return [invalid_value("spec.completions", new, "can only be modified in tandem with spec.parallelism")]
    return []


def validate_update(new: Obj, old: Obj) -> list[FieldError]:
    spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
    old_labels = mapping(mapping(mapping(old_spec.get("template")).get("metadata")).get("labels"))
    prefixed = all(key in old_labels for key in (JOB_NAME_LABELS[1], CONTROLLER_UID_LABELS[1]))
    errs = validate(new, prefixed=prefixed) + _spec_errors(spec)
    errs += _completions_errors(spec, old_spec)
    errs += immutable(spec.get("selector"), old_spec.get("selector"), "spec.selector")
    old_template = _comparable_template(spec, old_spec, mapping(old.get("status")))
    errs += immutable(spec.get("template"), old_template, "spec.template")
    for key in IMMUTABLE_FIELDS:
        errs += immutable(spec.get(key), old_spec.get(key), f"spec.{key}")
    return unique(errs)


class JobStrategy(WorkloadStrategy):
    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        if mapping(obj.get("spec")).get("manualSelector") is not True:
            generate_selector(obj)
        copy_template_labels(obj)

    def validate(self, obj: Obj) -> list[FieldError]:
        return unique(validate(obj))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_update(new, old)

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        fields = super().selectable_fields(obj)
        fields["status.successful"] = str(int_cell(mapping(obj.get("status")).get("succeeded")))
        return fields


def has_condition(status: Obj, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in dicts(status.get("conditions")))


#: printJob's precedence; Terminating (deletionTimestamp) sits between Failed and Suspended
STATUS_CONDITIONS = (("Complete", "Complete"), ("Failed", "Failed"), ("", "Terminating"),
                     ("Suspended", "Suspended"), ("FailureTarget", "FailureTarget"))


def job_status(obj: Obj) -> str:
    status = mapping(obj.get("status"))
    for condition, word in STATUS_CONDITIONS:
        if (has_condition(status, condition) if condition else bool(obj["metadata"].get("deletionTimestamp"))):
            return word
    return "Running"


def completions_cell(spec: Obj, status: Obj) -> str:
    succeeded = int_cell(status.get("succeeded"))
    if spec.get("completions") is not None:
        return f"{succeeded}/{int_cell(spec['completions'])}"
    parallelism = int_cell(spec.get("parallelism"))
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def duration_cell(status: Obj, now: datetime) -> str:
    start = parse_time(status.get("startTime"))
    if start is None:
        return ""
    end = parse_time(status.get("completionTime")) or now
    return human_duration((end - start).total_seconds())


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    names, images = container_cells(spec.get("template"))
    return [
        obj["metadata"].get("name", ""), job_status(obj), completions_cell(spec, status), duration_cell(status, now),
        age(obj["metadata"].get("creationTimestamp"), now), names, images, selector_cell(spec.get("selector")),
    ]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Status", description="Status of the job."),
        Column("Completions", description="The number of pods which reached phase Succeeded. The value increases "
               "monotonically for a given spec. However, it may decrease in reaction to scale down of elastic "
               "indexed jobs."),
        Column("Duration", description="Time required to complete the job."),
        AGE_COLUMN,
        CONTAINERS_COLUMN,
        IMAGES_COLUMN,
        Column("Selector", description="A label query over pods that should match the pod count. Normally, the "
               "system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/"
               "working-with-objects/labels/#label-selectors", priority=1),
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="batch", version="v1", kind="Job", plural="jobs", singular="job",
    namespaced=True, categories=("all",), subresources={"status": STATUS},
    selectable_fields=("status.successful",),
)
RESOURCE.strategy = JobStrategy(RESOURCE)
RESOURCE.table = TABLE
