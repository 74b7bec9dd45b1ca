from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.apps_v1.replicasets import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def rs(name: str = "web-abc", **spec: object) -> dict:
    body = {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}, **spec}
    return {"metadata": {"name": name, "namespace": "default"}, "spec": body}


def test_defaults_and_initial_status() -> None:
    obj = store().create(RESOURCE, "default", rs()).obj
    assert obj["spec"]["replicas"] == 1
    assert obj["spec"]["template"]["spec"]["restartPolicy"] == "Always"
    assert obj["status"] == {"replicas": 0}
    assert obj["metadata"]["generation"] == 1


def test_empty_selector_says_deployment() -> None:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", rs(selector={"matchLabels": {}}))
    assert exc.value.message == ('ReplicaSet.apps "web-abc" is invalid: spec.selector: Invalid value: '
                                 '{"matchLabels":{}}: empty selector is invalid for deployment')


def test_bad_selector_operator_skips_template_checks() -> None:
    sel = {"matchExpressions": [{"key": "app", "operator": "Near", "values": ["web"]}]}
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", rs(selector=sel))
    assert exc.value.message == (
        'ReplicaSet.apps "web-abc" is invalid: [spec.selector.matchExpressions[0].operator: Invalid value: "Near": '
        'not a valid selector operator, spec.selector: Invalid value: {"matchExpressions":[{"key":"app",'
        '"operator":"Near","values":["web"]}]}: invalid label selector]')


def test_generation_and_selector_immutability() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", rs()).obj
    scaled = copy.deepcopy(obj)
    scaled["spec"]["replicas"] = 0
    assert s.update(RESOURCE, "default", "web-abc", scaled).obj["metadata"]["generation"] == 2
    moved = copy.deepcopy(s.get(RESOURCE, "default", "web-abc").obj)
    moved["spec"]["selector"] = {"matchExpressions": [{"key": "app", "operator": "Exists"}]}
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web-abc", moved)
    assert exc.value.message.endswith("spec.selector: Invalid value: "
                                      '{"matchExpressions":[{"key":"app","operator":"Exists"}]}: field is immutable')


def test_status_replicas_is_selectable() -> None:
    obj = rs()
    obj["status"] = {"replicas": 3}
    assert RESOURCE.strategy is not None
    assert RESOURCE.strategy.selectable_fields(obj)["status.replicas"] == "3"
    assert RESOURCE.selectable_fields == ("status.replicas",)


def test_table() -> None:
    obj = rs(replicas=3, selector={"matchLabels": {"app": "web", "pod-template-hash": "abc"},
                                   "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]})
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["status"] = {"replicas": 3, "readyReplicas": 1}
    cells = TABLE.cells(obj, datetime(2025, 1, 1, 1, tzinfo=timezone.utc))
    assert cells == ["web-abc", 3, 3, 1, "60m", "nginx", "nginx", "app=web,pod-template-hash=abc,tier in (a,b)"]
    assert [c.name for c in TABLE.columns] == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                                               "Selector"]
    assert [c.type for c in TABLE.columns[1:4]] == ["integer"] * 3
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == (
        ("rs",), ("all",), {"status", "scale"})
