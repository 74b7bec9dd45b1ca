from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.batch_v1.cronjobs import RESOURCE, TABLE
from fakeapi.resources.batch_v1.schedule import schedule_error
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def cronjob(name: str = "hello", schedule: str = "*/1 * * * *", restart: str = "OnFailure", **spec: object) -> dict:
    template = {"spec": {"template": {"spec": {"restartPolicy": restart,
                                               "containers": [{"name": "hello", "image": "busybox"}]}}}}
    return {"metadata": {"name": name, "namespace": "default"},
            "spec": {"schedule": schedule, "jobTemplate": template, **spec}}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message


def test_defaults() -> None:
    obj = store().create(RESOURCE, "default", cronjob()).obj
    spec = obj["spec"]
    assert {k: spec[k] for k in ("concurrencyPolicy", "suspend", "successfulJobsHistoryLimit",
                                 "failedJobsHistoryLimit")} == {
        "concurrencyPolicy": "Allow", "suspend": False, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1}
    job_spec = spec["jobTemplate"]["spec"]
    assert "backoffLimit" not in job_spec
    assert job_spec["template"]["spec"]["terminationGracePeriodSeconds"] == 30
    assert (obj["metadata"]["generation"], obj["status"]) == (1, {})


@pytest.mark.parametrize(("schedule", "detail"), [
    ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
    ("61 * * * *", "end of range (61) above maximum (59): 61"),
    ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"'),
])
def test_bad_schedules(schedule: str, detail: str) -> None:
    assert schedule_error(schedule) == detail
    assert error(cronjob(schedule=schedule)) == (
        f'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "{schedule}": {detail}')


@pytest.mark.parametrize("schedule", ["0 0 * * *", "*/5 1-3,7 1 jan-mar MON-fri", "@hourly", "@every 1h30m",
                                      "0 0 ? * sun", "0 12 1/2 * *"])
def test_good_schedules(schedule: str) -> None:
    assert schedule_error(schedule) is None


def test_schedule_required_and_tz_prefix() -> None:
    assert error(cronjob(schedule="")) == 'CronJob.batch "hello" is invalid: spec.schedule: Required value'
    assert error(cronjob(schedule="TZ=UTC 0 0 * * *")) == (
        'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 0 * * *": '
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")


def test_time_zone() -> None:
    created = store().create(RESOURCE, "default", cronjob(timeZone="Europe/Berlin")).obj
    assert created["spec"]["timeZone"] == "Europe/Berlin"
    assert error(cronjob(timeZone="Mars/Olympus")) == (
        'CronJob.batch "hello" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": '
        "unknown time zone Mars/Olympus")


def test_job_template_rules() -> None:
    assert error(cronjob(restart="Always")) == (
        'CronJob.batch "hello" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: Required value: '
        'valid values: "OnFailure", "Never"')
    obj = cronjob()
    obj["spec"]["jobTemplate"]["spec"]["selector"] = {"matchLabels": {"a": "b"}}
    assert error(obj) == ('CronJob.batch "hello" is invalid: spec.jobTemplate.spec.selector: Invalid value: '
                          '{"matchLabels":{"a":"b"}}: `selector` will be auto-generated')


def test_concurrency_policy_and_name_length() -> None:
    assert error(cronjob(concurrencyPolicy="Sometimes")) == (
        'CronJob.batch "hello" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": '
        'supported values: "Allow", "Forbid", "Replace"')
    name = "a" * 53
    assert error(cronjob(name=name)) == (
        f'CronJob.batch "{name}" is invalid: metadata.name: Invalid value: "{name}": '
        "must be no more than 52 characters")


def test_suspend_bumps_generation() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", cronjob()).obj
    new = copy.deepcopy(obj)
    new["spec"]["suspend"] = True
    assert s.update(RESOURCE, "default", "hello", new).obj["metadata"]["generation"] == 2


def test_table() -> None:
    obj = cronjob()
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    now = datetime(2025, 1, 1, 0, 3, tzinfo=timezone.utc)
    assert TABLE.cells(obj, now) == ["hello", "*/1 * * * *", "<none>", "<unset>", 0, "<none>", "3m", "hello",
                                     "busybox", "<none>"]
    obj["spec"].update(suspend=False, timeZone="UTC")
    obj["status"] = {"active": [{"name": "hello-1"}], "lastScheduleTime": "2025-01-01T00:02:00Z"}
    assert TABLE.cells(obj, now)[2:6] == ["UTC", "False", 1, "60s"]
    assert [(c.name, c.type) for c in TABLE.columns[:7]] == [
        ("Name", "string"), ("Schedule", "string"), ("Timezone", "string"), ("Suspend", "boolean"),
        ("Active", "integer"), ("Last Schedule", "string"), ("Age", "string")]
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == (("cj",), ("all",), {"status"})
