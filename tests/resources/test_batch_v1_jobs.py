from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.batch_v1.jobs import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 1, 0, 10, tzinfo=timezone.utc)


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def job(name: str = "pi", restart: str | None = "Never", **spec: object) -> dict:
    pod: dict = {"containers": [{"name": "pi", "image": "perl"}]}
    if restart is not None:
        pod["restartPolicy"] = restart
    return {"metadata": {"name": name, "namespace": "default"}, "spec": {"template": {"spec": pod}, **spec}}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message


def test_defaults_and_generated_selector() -> None:
    obj = store().create(RESOURCE, "default", job()).obj
    uid = obj["metadata"]["uid"]
    spec = obj["spec"]
    assert {k: spec[k] for k in ("completions", "parallelism", "backoffLimit", "completionMode", "suspend",
                                 "podReplacementPolicy", "manualSelector")} == {
        "completions": 1, "parallelism": 1, "backoffLimit": 6, "completionMode": "NonIndexed", "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed", "manualSelector": False}
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    generated = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi",
                 "controller-uid": uid, "job-name": "pi"}
    assert spec["template"]["metadata"]["labels"] == generated
    assert obj["metadata"]["labels"] == generated
    assert (obj["metadata"]["generation"], obj["status"]) == (1, {})


def test_own_labels_are_kept() -> None:
    obj = job()
    obj["spec"]["template"]["metadata"] = {"labels": {"app": "pi"}}
    out = store().create(RESOURCE, "default", obj).obj
    assert out["metadata"]["labels"] == {"app": "pi"}
    assert out["spec"]["template"]["metadata"]["labels"]["app"] == "pi"


def test_parallelism_alone_leaves_completions_unset() -> None:
    spec = store().create(RESOURCE, "default", job(parallelism=3)).obj["spec"]
    assert "completions" not in spec and spec["parallelism"] == 3


def test_pod_failure_policy_defaults() -> None:
    policy = {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}
    spec = store().create(RESOURCE, "default", job(podFailurePolicy=policy)).obj["spec"]
    assert spec["podReplacementPolicy"] == "Failed"
    assert spec["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"] == "True"


def test_default_restart_policy_is_rejected() -> None:
    assert error(job(restart=None)) == ('Job.batch "pi" is invalid: spec.template.spec.restartPolicy: '
                                        'Required value: valid values: "OnFailure", "Never"')


def test_on_failure_is_accepted() -> None:
    assert store().create(RESOURCE, "default", job(restart="OnFailure")).obj["spec"]["backoffLimit"] == 6


def test_manual_selector_must_match_template() -> None:
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "x"}})
    assert error(obj) == ('Job.batch "pi" is invalid: spec.template.metadata.labels: Invalid value: null: '
                          '`selector` does not match template `labels`')


def test_negative_fields() -> None:
    assert error(job(backoffLimit=-1, parallelism=-2)) == (
        'Job.batch "pi" is invalid: [spec.parallelism: Invalid value: -2: must be greater than or equal to 0, '
        'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0]')


def test_indexed_needs_completions() -> None:
    assert error(job(completionMode="Indexed", parallelism=2)) == (
        'Job.batch "pi" is invalid: spec.completions: Required value: when completion mode is Indexed')


def test_immutable_fields() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", job()).obj
    new = copy.deepcopy(obj)
    new["spec"]["completions"] = 3
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:2"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "pi", new)
    assert exc.value.message.startswith('Job.batch "pi" is invalid: [spec.completions: Invalid value: 3: '
                                        'field is immutable, spec.template: Invalid value: {')
    assert exc.value.message.endswith(": field is immutable]")


def test_suspend_and_parallelism_change_bumps_generation() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", job(suspend=True)).obj
    new = copy.deepcopy(obj)
    new["spec"]["suspend"] = False
    new["spec"]["parallelism"] = 2
    assert s.update(RESOURCE, "default", "pi", new).obj["metadata"]["generation"] == 2


def test_suspended_job_may_change_scheduling_directives() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", job(suspend=True)).obj
    new = copy.deepcopy(obj)
    new["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}
    assert s.update(RESOURCE, "default", "pi", new).obj["spec"]["template"]["spec"]["nodeSelector"] == {"disk": "ssd"}


def test_status_successful_is_selectable() -> None:
    obj = job()
    obj["status"] = {"succeeded": 2}
    assert RESOURCE.strategy is not None
    assert RESOURCE.strategy.selectable_fields(obj)["status.successful"] == "2"


@pytest.mark.parametrize(("status", "meta", "expected"), [
    ({}, {}, "Running"),
    ({"conditions": [{"type": "Complete", "status": "True"}]}, {}, "Complete"),
    ({"conditions": [{"type": "Failed", "status": "True"}]}, {"deletionTimestamp": "2025-01-01T00:00:00Z"}, "Failed"),
    ({}, {"deletionTimestamp": "2025-01-01T00:00:00Z"}, "Terminating"),
    ({"conditions": [{"type": "Suspended", "status": "True"}]}, {}, "Suspended"),
    ({"conditions": [{"type": "Suspended", "status": "False"}]}, {}, "Running"),
    ({"conditions": [{"type": "FailureTarget", "status": "True"}]}, {}, "FailureTarget"),
])
def test_status_cell(status: dict, meta: dict, expected: str) -> None:
    obj = job()
    obj["metadata"].update(meta)
    obj["status"] = status
    assert TABLE.cells(obj, NOW)[1] == expected


def test_table_cells() -> None:
    obj = job(completions=3, parallelism=1, selector={"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}})
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["status"] = {"succeeded": 1, "startTime": "2025-01-01T00:00:05Z"}
    assert TABLE.cells(obj, NOW) == ["pi", "Running", "1/3", "9m55s", "10m", "pi", "perl",
                                     "batch.kubernetes.io/controller-uid=u"]
    obj["status"]["completionTime"] = "2025-01-01T00:00:35Z"
    assert TABLE.cells(obj, NOW)[3] == "30s"
    del obj["status"]["startTime"]
    assert TABLE.cells(obj, NOW)[3] == ""
    obj["spec"] = {"parallelism": 4, "template": obj["spec"]["template"]}
    assert TABLE.cells(obj, NOW)[2] == "1/1 of 4"
    assert [c.name for c in TABLE.columns] == ["Name", "Status", "Completions", "Duration", "Age", "Containers",
                                               "Images", "Selector"]
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == ((), ("all",), {"status"})
