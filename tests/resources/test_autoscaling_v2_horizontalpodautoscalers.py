from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.autoscaling_v2.horizontalpodautoscalers import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage

REF = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def hpa(**spec: object) -> dict:
    return {"metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": dict(REF), "maxReplicas": 5, **spec}}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message.removeprefix('HorizontalPodAutoscaler.autoscaling "web" is invalid: ')


def test_defaults() -> None:
    obj = store().create(RESOURCE, "default", hpa()).obj
    assert obj["spec"]["minReplicas"] == 1
    assert obj["spec"]["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    assert "behavior" not in obj["spec"]
    assert obj["status"] == {"desiredReplicas": 0}
    assert obj["metadata"]["generation"] == 1


def test_behavior_is_filled_in_when_present() -> None:
    obj = hpa(behavior={"scaleDown": {"stabilizationWindowSeconds": 60}})
    spec = store().create(RESOURCE, "default", obj).obj["spec"]
    assert spec["behavior"] == {
        "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max",
                      "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]},
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                    "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                 {"type": "Percent", "value": 100, "periodSeconds": 15}]},
    }


def test_replica_bounds() -> None:
    assert error(hpa(minReplicas=0, maxReplicas=0)) == (
        "[spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, "
        "spec.maxReplicas: Invalid value: 0: must be greater than 0]")
    assert error(hpa(minReplicas=3, maxReplicas=2)) == (
        "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`")


def test_scale_target_ref_required() -> None:
    assert error(hpa(scaleTargetRef={})) == (
        "[spec.scaleTargetRef.kind: Required value, spec.scaleTargetRef.name: Required value]")


def test_metric_errors() -> None:
    metric = {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization"}}}
    assert error(hpa(metrics=[metric])) == ("spec.metrics[0].resource.target.averageUtilization: Required value: "
                                            "must set either a target raw value or a target utilization")
    assert error(hpa(metrics=[{"type": "Pods"}])) == (
        "spec.metrics[0].pods: Required value: must populate information for the given metric source")


def test_spec_change_bumps_generation() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", hpa()).obj
    new = copy.deepcopy(obj)
    new["spec"]["maxReplicas"] = 10
    assert s.update(RESOURCE, "default", "web", new).obj["metadata"]["generation"] == 2


def test_table() -> None:
    obj = hpa(minReplicas=2, metrics=[
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}},
        {"type": "Resource",
         "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "500Mi"}}},
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}},
    ])
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["status"] = {"currentReplicas": 2,
                     "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                         "averageUtilization": 12, "averageValue": "3m"}}}]}
    assert TABLE.cells(obj, datetime(2025, 1, 1, 0, 0, 20, tzinfo=timezone.utc)) == [
        "web", "Deployment/web", "cpu: 12%/50%, memory: <unknown>/500Mi + 1 more...", "2", 5, 2, "20s"]
    obj["spec"]["metrics"] = obj["spec"]["metrics"][2:]
    del obj["spec"]["minReplicas"]
    assert TABLE.cells(obj, datetime(2025, 1, 1, tzinfo=timezone.utc))[2:4] == ["<unknown>/1k", "<unset>"]
    assert [c.name for c in TABLE.columns] == ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"]
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == (("hpa",), ("all",), {"status"})
