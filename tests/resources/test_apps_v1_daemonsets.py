from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.apps_v1.daemonsets import RESOURCE, TABLE, TEMPLATE_GENERATION
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "kube-system"}})
    return s


def ds(name: str = "fluentd", **spec: object) -> dict:
    body = {"selector": {"matchLabels": {"app": "logging"}},
            "template": {"metadata": {"labels": {"app": "logging"}},
                         "spec": {"containers": [{"name": "fluentd", "image": "fluentd:v1"}]}}, **spec}
    return {"metadata": {"name": name, "namespace": "kube-system"}, "spec": body}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "kube-system", obj)
    return exc.value.message


def test_defaults_and_template_generation() -> None:
    obj = store().create(RESOURCE, "kube-system", ds()).obj
    assert obj["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                             "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert obj["spec"]["revisionHistoryLimit"] == 10
    assert obj["metadata"]["annotations"] == {TEMPLATE_GENERATION: "1"}
    assert obj["status"] == {"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0,
                             "numberReady": 0}


def test_template_generation_follows_template_changes() -> None:
    s = store()
    obj = s.create(RESOURCE, "kube-system", ds()).obj
    relabelled = copy.deepcopy(obj)
    relabelled["metadata"]["annotations"][TEMPLATE_GENERATION] = "7"
    relabelled["spec"]["minReadySeconds"] = 5
    out = s.update(RESOURCE, "kube-system", "fluentd", relabelled).obj
    assert (out["metadata"]["annotations"][TEMPLATE_GENERATION], out["metadata"]["generation"]) == ("1", 2)
    changed = copy.deepcopy(out)
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "fluentd:v2"
    out = s.update(RESOURCE, "kube-system", "fluentd", changed).obj
    assert (out["metadata"]["annotations"][TEMPLATE_GENERATION], out["metadata"]["generation"]) == ("2", 3)


def test_missing_selector_only_reports_the_mismatch() -> None:
    obj = ds()
    del obj["spec"]["selector"]
    assert error(obj) == ('DaemonSet.apps "fluentd" is invalid: spec.template.metadata.labels: Invalid value: '
                          '{"app":"logging"}: `selector` does not match template `labels`')


@pytest.mark.parametrize(("rolling", "expected"), [
    ({"maxUnavailable": 1, "maxSurge": 1},
     "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"),
    ({"maxUnavailable": 0, "maxSurge": 0},
     "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"),
])
def test_rolling_update(rolling: dict, expected: str) -> None:
    obj = ds(updateStrategy={"type": "RollingUpdate", "rollingUpdate": rolling})
    assert error(obj) == f'DaemonSet.apps "fluentd" is invalid: {expected}'


def test_unknown_update_strategy() -> None:
    assert error(ds(updateStrategy={"type": "Replace"})) == (
        'DaemonSet.apps "fluentd" is invalid: spec.updateStrategy: Unsupported value: {"type":"Replace"}: '
        'supported values: "RollingUpdate", "OnDelete"')


def test_active_deadline_forbidden() -> None:
    obj = ds()
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 5
    assert error(obj) == ('DaemonSet.apps "fluentd" is invalid: spec.template.spec.activeDeadlineSeconds: '
                          'Forbidden: activeDeadlineSeconds in DaemonSet is not Supported')


def test_table() -> None:
    obj = ds()
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["spec"]["template"]["spec"]["nodeSelector"] = {"kubernetes.io/os": "linux"}
    obj["status"] = {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                     "updatedNumberScheduled": 3, "numberAvailable": 2}
    assert TABLE.cells(obj, datetime(2025, 1, 1, 0, 0, 9, tzinfo=timezone.utc)) == [
        "fluentd", 3, 3, 2, 3, 2, "kubernetes.io/os=linux", "9s", "fluentd", "fluentd:v1", "app=logging"]
    del obj["spec"]["template"]["spec"]["nodeSelector"]
    assert TABLE.cells(obj, datetime(2025, 1, 1, tzinfo=timezone.utc))[6] == "<none>"
    assert [c.name for c in TABLE.columns] == ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                                               "Node Selector", "Age", "Containers", "Images", "Selector"]
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == (("ds",), ("all",), {"status"})
