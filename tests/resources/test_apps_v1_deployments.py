from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.apps_v1.deployments import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage

# spec of `kubectl create deploy nginx--deploy --image=nginx:latest` as a real apiserver returns it
# (seed 003), minus the `creationTimestamp: null` that older apiservers printed in the template
SEED_SPEC = {
    "progressDeadlineSeconds": 600,
    "replicas": 1,
    "revisionHistoryLimit": 10,
    "selector": {"matchLabels": {"app": "nginx--deploy"}},
    "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
    "template": {
        "metadata": {"labels": {"app": "nginx--deploy"}},
        "spec": {
            "containers": [{"image": "nginx:latest", "imagePullPolicy": "Always", "name": "nginx", "resources": {},
                            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
            "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
            "securityContext": {}, "terminationGracePeriodSeconds": 30,
        },
    },
}


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def deploy(name: str = "nginx--deploy", **spec: object) -> dict:
    body = {
        "selector": {"matchLabels": {"app": name}},
        "template": {"metadata": {"labels": {"app": name}},
                     "spec": {"containers": [{"name": "nginx", "image": "nginx:latest"}]}},
        **spec,
    }
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": name}}, "spec": body}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    assert exc.value.code == 422
    return exc.value.message


def test_defaults_match_the_seed() -> None:
    obj = store().create(RESOURCE, "default", deploy()).obj
    assert obj["spec"] == SEED_SPEC
    assert obj["metadata"]["generation"] == 1
    assert obj["status"] == {}


def test_status_is_cleared_on_create() -> None:
    obj = store().create(RESOURCE, "default", {**deploy(), "status": {"replicas": 5}}).obj
    assert obj["status"] == {}


def test_recreate_gets_no_rolling_update() -> None:
    obj = store().create(RESOURCE, "default", deploy(strategy={"type": "Recreate"})).obj
    assert obj["spec"]["strategy"] == {"type": "Recreate"}


def test_missing_selector_is_also_a_label_mismatch() -> None:
    obj = deploy("x")
    del obj["spec"]["selector"]
    assert error(obj) == ('Deployment.apps "x" is invalid: [spec.selector: Required value, '
                          'spec.template.metadata.labels: Invalid value: {"app":"x"}: '
                          '`selector` does not match template `labels`]')


def test_selector_must_match_template_labels() -> None:
    assert error(deploy("x", selector={"matchLabels": {"app": "y"}})) == (
        'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: {"app":"x"}: '
        '`selector` does not match template `labels`')


def test_negative_replicas() -> None:
    assert error(deploy("x", replicas=-1)) == (
        'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0')


def test_restart_policy_must_be_always() -> None:
    obj = deploy("x")
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert error(obj) == ('Deployment.apps "x" is invalid: spec.template.spec.restartPolicy: '
                          'Unsupported value: "Never": supported values: "Always"')


def test_active_deadline_is_forbidden() -> None:
    obj = deploy("x")
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 10
    assert error(obj) == ('Deployment.apps "x" is invalid: spec.template.spec.activeDeadlineSeconds: '
                          'Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported')


def test_empty_selector() -> None:
    assert error(deploy("x", selector={})) == (
        'Deployment.apps "x" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for deployment')


@pytest.mark.parametrize(("rolling", "expected"), [
    ({"maxSurge": 0, "maxUnavailable": 0},
     "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"),
    ({"maxSurge": "1", "maxUnavailable": "150%"},
     "[spec.strategy.rollingUpdate.maxSurge: Invalid value: \"1\": a valid percent string must be a numeric string "
     "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%'), "
     "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%]"),
    ({"maxSurge": -1}, "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"),
])
def test_rolling_update_parameters(rolling: dict, expected: str) -> None:
    obj = deploy("x", strategy={"type": "RollingUpdate", "rollingUpdate": rolling})
    assert error(obj) == f'Deployment.apps "x" is invalid: {expected}'


def test_recreate_forbids_rolling_update() -> None:
    obj = deploy("x", strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})
    assert error(obj) == ('Deployment.apps "x" is invalid: spec.strategy.rollingUpdate: Forbidden: '
                          "may not be specified when strategy `type` is 'Recreate'")


def test_unknown_strategy_type() -> None:
    assert error(deploy("x", strategy={"type": "BlueGreen"})) == (
        'Deployment.apps "x" is invalid: spec.strategy: Unsupported value: {"type":"BlueGreen"}: '
        'supported values: "Recreate", "RollingUpdate"')


def test_progress_deadline_above_min_ready() -> None:
    assert error(deploy("x", minReadySeconds=10, progressDeadlineSeconds=5)) == (
        'Deployment.apps "x" is invalid: spec.progressDeadlineSeconds: Invalid value: 5: '
        "must be greater than minReadySeconds")


def test_invalid_container_is_reported_under_the_template() -> None:
    obj = deploy("x")
    del obj["spec"]["template"]["spec"]["containers"][0]["image"]
    assert "spec.template.spec.containers[0].image: Required value" in error(obj)


def test_selector_is_immutable() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", deploy("web")).obj
    new = copy.deepcopy(obj)
    new["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "fe"}}
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "fe"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web", new)
    assert exc.value.message == ('Deployment.apps "web" is invalid: spec.selector: Invalid value: '
                                 '{"matchLabels":{"app":"web","tier":"fe"}}: field is immutable')


def test_generation_bumps_on_spec_and_annotation_changes_only() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", deploy("web")).obj
    obj = s.update(RESOURCE, "default", "web", copy.deepcopy(obj)).obj
    assert obj["metadata"]["generation"] == 1
    labelled = copy.deepcopy(obj)
    labelled["metadata"]["labels"]["tier"] = "fe"
    obj = s.update(RESOURCE, "default", "web", labelled).obj
    assert obj["metadata"]["generation"] == 1
    annotated = copy.deepcopy(obj)
    annotated["metadata"]["annotations"] = {"kubernetes.io/change-cause": "x"}
    obj = s.update(RESOURCE, "default", "web", annotated).obj
    assert obj["metadata"]["generation"] == 2
    scaled = copy.deepcopy(obj)
    scaled["spec"]["replicas"] = 3
    obj = s.update(RESOURCE, "default", "web", scaled).obj
    assert obj["metadata"]["generation"] == 3


def test_spelling_out_defaults_is_no_spec_change() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", deploy("web")).obj
    same = copy.deepcopy(obj)
    same["spec"]["paused"] = False
    assert s.update(RESOURCE, "default", "web", same).obj["metadata"]["generation"] == 1


def test_status_update_keeps_spec_and_labels_but_takes_annotations() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", deploy("web")).obj
    new = copy.deepcopy(obj)
    new["spec"]["replicas"] = 9
    new["metadata"]["labels"] = {"changed": "yes"}
    new["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "1"}
    new["status"] = {"observedGeneration": 1, "replicas": 1}
    out = s.update(RESOURCE, "default", "web", new, subresource="status").obj
    assert out["spec"]["replicas"] == 1
    assert out["metadata"]["labels"] == {"app": "web"}
    assert out["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert out["metadata"]["generation"] == 1
    assert out["status"] == {"observedGeneration": 1, "replicas": 1}


def test_main_resource_update_keeps_status() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", deploy("web")).obj
    s.update(RESOURCE, "default", "web", {**copy.deepcopy(obj), "status": {"replicas": 1}}, subresource="status")
    new = s.get(RESOURCE, "default", "web").obj
    new = {**copy.deepcopy(new), "status": {"replicas": 7}}
    assert s.update(RESOURCE, "default", "web", new).obj["status"] == {"replicas": 1}


def test_table() -> None:
    obj = deploy("web", replicas=3)
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["spec"]["template"]["spec"]["containers"].append({"name": "side", "image": "busybox"})
    obj["status"] = {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}
    cells = TABLE.cells(obj, datetime(2025, 1, 1, 0, 5, tzinfo=timezone.utc))
    assert cells == ["web", "2/3", 3, 2, "5m", "nginx,side", "nginx:latest,busybox", "app=web"]
    assert isinstance(cells[2], int) and isinstance(cells[3], int)
    assert [(c.name, c.type, c.priority) for c in TABLE.columns] == [
        ("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "string", 0), ("Available", "string", 0),
        ("Age", "string", 0), ("Containers", "string", 1), ("Images", "string", 1), ("Selector", "string", 1)]


def test_table_without_status_or_selector() -> None:
    obj = deploy("web")
    obj["spec"]["selector"] = {}
    assert TABLE.cells(obj, datetime(2025, 1, 1, tzinfo=timezone.utc))[1:4] == ["0/0", 0, 0]
    assert TABLE.cells(obj, datetime(2025, 1, 1, tzinfo=timezone.utc))[-1] == ""


def test_discovery() -> None:
    assert (RESOURCE.short_names, RESOURCE.categories) == (("deploy",), ("all",))
    assert set(RESOURCE.subresources) == {"status", "scale"}
    assert RESOURCE.subresources["scale"].kind == "Scale"
    assert RESOURCE.strategy is not None
    fields = RESOURCE.strategy.selectable_fields(deploy("web"))
    assert fields == {"metadata.name": "web", "metadata.namespace": "default"}
