from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.apps_v1.statefulsets import RESOURCE, TABLE
from fakeapi.resources.core_v1 import namespaces
from fakeapi.storage import MemoryStorage


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    return s


def sts(name: str = "web", **spec: object) -> dict:
    body = {"serviceName": "nginx", "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                  "volumeMounts": [{"name": "www", "mountPath": "/data"}]}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "www"},
                                      "spec": {"accessModes": ["ReadWriteOnce"],
                                               "resources": {"requests": {"storage": "1Gi"}}}}],
            **spec}
    return {"metadata": {"name": name, "namespace": "default"}, "spec": body}


def error(obj: dict) -> str:
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", obj)
    return exc.value.message


def test_defaults() -> None:
    obj = store().create(RESOURCE, "default", sts()).obj
    spec = obj["spec"]
    assert spec["replicas"] == 1
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    claim = spec["volumeClaimTemplates"][0]
    assert (claim["apiVersion"], claim["kind"]) == ("v1", "PersistentVolumeClaim")
    assert claim["spec"]["volumeMode"] == "Filesystem"
    assert claim["status"] == {"phase": "Pending"}
    assert obj["status"] == {"availableReplicas": 0, "replicas": 0}
    assert obj["metadata"]["generation"] == 1


def test_on_delete_gets_no_rolling_update() -> None:
    obj = store().create(RESOURCE, "default", sts(updateStrategy={"type": "OnDelete"})).obj
    assert obj["spec"]["updateStrategy"] == {"type": "OnDelete"}


def test_name_must_be_a_dns_label() -> None:
    assert "metadata.name: Invalid value: \"web.v1\"" in error(sts("web.v1"))


def test_restart_policy_and_selector() -> None:
    obj = sts(selector={"matchLabels": {"app": "other"}})
    obj["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
    assert error(obj) == (
        'StatefulSet.apps "web" is invalid: [spec.template.metadata.labels: Invalid value: {"app":"nginx"}: '
        '`selector` does not match template `labels`, spec.template.spec.restartPolicy: Unsupported value: '
        '"OnFailure": supported values: "Always"]')


def test_pod_template_is_validated_with_claims_as_volumes() -> None:
    obj = sts()
    del obj["spec"]["template"]["spec"]["containers"][0]["image"]
    assert error(obj) == 'StatefulSet.apps "web" is invalid: spec.template.spec.containers[0].image: Required value'


def test_claim_template_needs_access_modes() -> None:
    obj = sts()
    del obj["spec"]["volumeClaimTemplates"][0]["spec"]["accessModes"]
    assert error(obj) == ('StatefulSet.apps "web" is invalid: spec.volumeClaimTemplates[0].spec.accessModes: '
                          'Required value: at least 1 access mode is required')


@pytest.mark.parametrize(("spec", "expected"), [
    ({"podManagementPolicy": "Random"},
     "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"),
    ({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
     "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"),
    ({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}},
     "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"),
    ({"updateStrategy": {"type": "OnDelete", "rollingUpdate": {}}},
     "spec.updateStrategy.rollingUpdate: Invalid value: {}: only allowed for updateStrategy 'RollingUpdate'"),
    ({"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep"}},
     'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: '
     '"Retain", "Delete"'),
    ({"selector": {}}, "spec.selector: Invalid value: {}: empty selector is invalid for statefulset"),
])
def test_spec_errors(spec: dict, expected: str) -> None:
    assert error(sts(**spec)) == f'StatefulSet.apps "web" is invalid: {expected}'


def test_only_some_spec_fields_may_change() -> None:
    s = store()
    obj = s.create(RESOURCE, "default", sts()).obj
    scaled = copy.deepcopy(obj)
    scaled["spec"]["replicas"] = 3
    scaled["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    assert s.update(RESOURCE, "default", "web", scaled).obj["metadata"]["generation"] == 2
    grown = copy.deepcopy(s.get(RESOURCE, "default", "web").obj)
    grown["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "2Gi"
    with pytest.raises(StatusError) as exc:
        s.update(RESOURCE, "default", "web", grown)
    assert exc.value.message == (
        "StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than "
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
        "'minReadySeconds' are forbidden")


def test_table() -> None:
    obj = sts(replicas=3)
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    obj["status"] = {"readyReplicas": 3}
    assert TABLE.cells(obj, datetime(2025, 1, 2, tzinfo=timezone.utc)) == ["web", "3/3", "24h", "nginx", "nginx"]
    assert [(c.name, c.priority) for c in TABLE.columns] == [
        ("Name", 0), ("Ready", 0), ("Age", 0), ("Containers", 1), ("Images", 1)]
    assert (RESOURCE.short_names, RESOURCE.categories, set(RESOURCE.subresources)) == (
        ("sts",), ("all",), {"status", "scale"})
