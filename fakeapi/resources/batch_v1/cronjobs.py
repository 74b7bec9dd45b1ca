"""CronJobs (batch/v1): discovery data, SetDefaults_CronJob, ValidateCronJobCreate/Update and printCronJob.

- Defaults: concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1.
  The jobTemplate only gets PodSpec defaults: SetDefaults_Job applies to Jobs, not to JobTemplateSpecs,
  which is why `kubectl get cj -o yaml` shows no backoffLimit in the template.
- The schedule must parse as robfig/cron ParseStandard does (schedule.py); TZ=/CRON_TZ= prefixes are
  refused in favour of spec.timeZone (kept on update when the old schedule already had one); timeZone
  must be a real IANA name. Names are limited to 52 characters on create (the controller appends an
  11-character suffix for its Jobs). The jobTemplate follows validateJobSpec and may not carry a selector.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fakeapi.registry.fielderrors import FieldError, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.resources.apps_v1.workload import (
    CONTAINERS_COLUMN, IMAGES_COLUMN, WorkloadStrategy, child, container_cells, nonneg, selector_cell,
    set_default, set_default_str,
)
from fakeapi.resources.batch_v1.jobs import validate_job_spec
from fakeapi.resources.batch_v1.schedule import schedule_error
from fakeapi.resources.core_v1.podspec import default_pod_template, dicts, mapping, text

Obj = dict[str, Any]

CONCURRENCY_POLICIES = ("Allow", "Forbid", "Replace")
MAX_NAME = 52
TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def defaults(obj: Obj) -> None:
    spec = child(obj, "spec")
    set_default_str(spec, "concurrencyPolicy", "Allow")
    set_default(spec, "suspend", False)
    set_default(spec, "successfulJobsHistoryLimit", 3)
    set_default(spec, "failedJobsHistoryLimit", 1)
    default_pod_template(child(child(child(spec, "jobTemplate"), "spec"), "template"))


def _schedule_errors(spec: Obj, old_spec: Obj | None, path: str) -> list[FieldError]:
    schedule = text(spec.get("schedule"))
    if not schedule:
        return [required(path)]
    errs = []
    if err := schedule_error(schedule):
        errs.append(invalid_value(path, schedule, err))
    allow_tz = old_spec is not None and "TZ" in text(old_spec.get("schedule"))
    if allow_tz and "TZ" in schedule and spec.get("timeZone") is not None:
        errs.append(invalid_value(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
    elif not allow_tz and "TZ" in schedule:
        errs.append(invalid_value(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    return errs


def _time_zone_errors(zone: Any, path: str) -> list[FieldError]:
    if zone is None:
        return []
    zone = str(zone)
    if not zone:
        return [invalid_value(path, zone, "timeZone must be nil or non-empty string")]
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not TIME_ZONE_PART.fullmatch(part):
            return [invalid_value(path, zone, f"unknown time zone {zone}")]
    if zone.lower() == "local":
        return [invalid_value(path, zone, "timeZone must be an explicit time zone as defined in "
                                          "https://www.iana.org/time-zones")]
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return [invalid_value(path, zone, f"unknown time zone {zone}")]
    return []


def _job_template_errors(template: Obj, path: str) -> list[FieldError]:
    """ValidateJobTemplateSpec."""
    spec = mapping(template.get("spec"))
    errs = validate_job_spec(spec, f"{path}.spec")
    if spec.get("selector") is not None:
        errs.append(invalid_value(f"{path}.spec.selector", spec["selector"], "`selector` will be auto-generated"))
    if spec.get("manualSelector") is True:
        errs.append(not_supported(f"{path}.spec.manualSelector", True, ("nil", "false")))
    return errs


def validate_spec(spec: Obj, old_spec: Obj | None = None, path: str = "spec") -> list[FieldError]:
    """validateCronJobSpec."""
    errs = _schedule_errors(spec, old_spec, f"{path}.schedule")
    errs += nonneg(spec, "startingDeadlineSeconds", path)
    if old_spec is None or old_spec.get("timeZone") != spec.get("timeZone"):
        errs += _time_zone_errors(spec.get("timeZone"), f"{path}.timeZone")
    policy = spec.get("concurrencyPolicy")
    if not policy:
        errs.append(required(f"{path}.concurrencyPolicy"))
    elif policy not in CONCURRENCY_POLICIES:
        errs.append(not_supported(f"{path}.concurrencyPolicy", policy, CONCURRENCY_POLICIES))
    errs += _job_template_errors(mapping(spec.get("jobTemplate")), f"{path}.jobTemplate")
    return errs + nonneg(spec, "successfulJobsHistoryLimit", path) + nonneg(spec, "failedJobsHistoryLimit", path)


class CronJobStrategy(WorkloadStrategy):
    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def validate(self, obj: Obj) -> list[FieldError]:
        errs = validate_spec(mapping(obj.get("spec")))
        name = str(obj["metadata"].get("name") or "")
        if len(name) > MAX_NAME:
            errs.append(invalid_value("metadata.name", name, f"must be no more than {MAX_NAME} characters"))
        return errs

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_spec(mapping(new.get("spec")), mapping(old.get("spec")))


def print_bool(value: Any) -> str:
    """printBoolPtr."""
    return "<unset>" if value is None else ("True" if value else "False")


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
    job_spec = mapping(mapping(spec.get("jobTemplate")).get("spec"))
    names, images = container_cells(job_spec.get("template"))
    last = status.get("lastScheduleTime")
    return [
        obj["metadata"].get("name", ""),
        text(spec.get("schedule")),
        "<none>" if spec.get("timeZone") is None else str(spec["timeZone"]),
        print_bool(spec.get("suspend")),
        len(dicts(status.get("active"))),
        age(last, now) if last else "<none>",
        age(obj["metadata"].get("creationTimestamp"), now),
        names, images, selector_cell(job_spec.get("selector")),
    ]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Schedule", description="The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        Column("Timezone", description=(
            "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_"
            "zones. If not specified, this will default to the time zone of the kube-controller-manager process. "
            "The set of valid time zone names and the time zone offset is loaded from the system-wide time zone "
            "database by the API server during CronJob validation and the controller manager during execution. "
            "If no system-wide time zone database can be found a bundled version of the database is used instead. "
            "If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host "
            "configuration, the controller will stop creating new new Jobs and will create a system event with "
            "the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/"
            "workloads/controllers/cron-jobs/#time-zones")),
        Column("Suspend", "boolean", description="This flag tells the controller to suspend subsequent executions, "
               "it does not apply to already started executions.  Defaults to false."),
        Column("Active", "integer", description="A list of pointers to currently running jobs."),
        Column("Last Schedule",
               description="Information when was the last time the job was successfully scheduled."),
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
    group="batch", version="v1", kind="CronJob", plural="cronjobs", singular="cronjob",
    namespaced=True, short_names=("cj",), categories=("all",), subresources={"status": STATUS},
)
RESOURCE.strategy = CronJobStrategy(RESOURCE)
RESOURCE.table = TABLE
