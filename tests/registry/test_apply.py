"""Server-side apply through ResourceStore.patch (registry/apply.py): creation, idempotence, pruning,
ownership, conflicts with the apiserver's exact wording, force, list-map merging and option errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.errors import StatusError
from fakeapi.registry import patch as patching
from fakeapi.registry.apply import apply_patch, decode_apply_body
from fakeapi.registry.options import WriteOptions
from fakeapi.registry.registry import Registry
from fakeapi.resources import default_registry
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.store import ResourceStore
from fakeapi.storage import KeyValue, MemoryStorage

REGISTRY: Registry = default_registry()
_deploy = REGISTRY.lookup("apps", "v1", "deployments")
_cm = REGISTRY.lookup("", "v1", "configmaps")
assert _deploy is not None and _cm is not None
DEPLOY: ResourceInfo = _deploy
CM: ResourceInfo = _cm
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


@pytest.fixture
def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    ensure_system_namespaces(s, REGISTRY)
    return s


def web(replicas: int | None = 2, image: str = "nginx:1.25", labels: dict[str, str] | None = None,
        containers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": containers or [{"name": "nginx", "image": image}]}}}
    if replicas is not None:
        spec["replicas"] = replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": labels or {"app": "web"}}, "spec": spec}


def apply(store: ResourceStore, obj: dict[str, Any], manager: str = "kubectl", *, force: bool = False,
          info: ResourceInfo = DEPLOY, name: str = "web", dry_run: bool = False,
          namespace: str = "default") -> tuple[KeyValue, bool]:
    opts = WriteOptions(field_manager=manager, force=force, dry_run=dry_run)
    return store.patch(info, namespace, name, patching.APPLY, json.dumps(obj).encode(), opts=opts)


def managers(obj: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["manager"], e["operation"]) for e in obj["metadata"].get("managedFields", [])]


def fields_of(obj: dict[str, Any], manager: str) -> dict[str, Any]:
    for entry in obj["metadata"]["managedFields"]:
        if entry["manager"] == manager:
            fields: dict[str, Any] = entry["fieldsV1"]
            return fields
    raise AssertionError(f"no entry for {manager}")


def error(fn: Any, *args: Any, **kwargs: Any) -> StatusError:
    with pytest.raises(StatusError) as exc:
        fn(*args, **kwargs)
    return exc.value


def test_apply_creates_a_missing_object_through_create(store: ResourceStore) -> None:
    kv, created = apply(store, web())
    assert created
    obj = kv.obj
    assert obj["metadata"]["namespace"] == "default" and obj["metadata"]["uid"]
    assert obj["metadata"]["generation"] == 1
    assert obj["spec"]["replicas"] == 2 and obj["spec"]["revisionHistoryLimit"] == 10
    assert managers(obj) == [("kubectl", "Apply")]
    [entry] = obj["metadata"]["managedFields"]
    assert entry["apiVersion"] == "apps/v1" and entry["fieldsType"] == "FieldsV1" and entry["time"]
    assert entry["fieldsV1"] == {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:containers": {'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}}}}}}


def test_create_on_apply_checks_the_namespace(store: ResourceStore) -> None:
    err = error(apply, store, web(), namespace="nope")
    assert (err.code, err.message) == (404, 'namespaces "nope" not found')


def test_reapplying_the_same_configuration_is_a_no_op(store: ResourceStore) -> None:
    first, _ = apply(store, web())
    again, created = apply(store, web())
    assert not created
    assert again.mod_rev == first.mod_rev
    assert again.obj["metadata"]["resourceVersion"] == first.obj["metadata"]["resourceVersion"]
    assert again.obj["metadata"]["managedFields"] == first.obj["metadata"]["managedFields"]


def test_a_field_dropped_from_the_configuration_is_removed(store: ResourceStore) -> None:
    apply(store, web(replicas=3, labels={"app": "web", "tier": "front"}))
    kv, _ = apply(store, web(replicas=None))
    assert kv.obj["metadata"]["labels"] == {"app": "web"}
    assert kv.obj["spec"]["replicas"] == 1  # removed, then defaulted again
    assert "f:replicas" not in fields_of(kv.obj, "kubectl")["f:spec"]


def test_a_dropped_field_that_another_manager_also_applies_stays(store: ResourceStore) -> None:
    apply(store, web(replicas=3))
    apply(store, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 3}}, "autoscaler")
    kv, _ = apply(store, web(replicas=None))
    assert kv.obj["spec"]["replicas"] == 3
    assert fields_of(kv.obj, "autoscaler") == {"f:spec": {"f:replicas": {}}}


def test_apply_conflicts_with_a_field_another_manager_updated(store: ResourceStore) -> None:
    apply(store, web(replicas=2))
    store.patch(DEPLOY, "default", "web", patching.MERGE, b'{"spec":{"replicas":4}}',
                opts=WriteOptions(field_manager="kubectl-scale"))
    err = error(apply, store, web(replicas=3))
    assert err.code == 409 and err.reason == "Conflict"
    assert err.message == 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas'
    assert err.details == {"causes": [{"reason": "FieldManagerConflict",
                                       "message": 'conflict with "kubectl-scale" using apps/v1',
                                       "field": ".spec.replicas"}]}
    assert store.get(DEPLOY, "default", "web").obj["spec"]["replicas"] == 4


def test_several_conflicts_are_grouped_by_manager(store: ResourceStore) -> None:
    apply(store, web(replicas=2))
    err = error(apply, store, web(replicas=5, image="nginx:2"), "ci")
    assert err.message == ('Apply failed with 2 conflicts: conflicts with "kubectl":\n'
                           "- .spec.replicas\n"
                           '- .spec.template.spec.containers[name="nginx"].image')
    assert [c["field"] for c in (err.details or {}).get("causes", [])] == [
        ".spec.replicas", '.spec.template.spec.containers[name="nginx"].image']


def test_force_takes_ownership(store: ResourceStore) -> None:
    apply(store, web(replicas=2))
    kv, _ = apply(store, web(replicas=5), "ci", force=True)
    assert kv.obj["spec"]["replicas"] == 5
    assert "f:replicas" not in fields_of(kv.obj, "kubectl")["f:spec"]
    assert "f:replicas" in fields_of(kv.obj, "ci")["f:spec"]
    assert sorted(managers(kv.obj)) == [("ci", "Apply"), ("kubectl", "Apply")]


def test_applying_an_equal_value_shares_ownership_without_conflict(store: ResourceStore) -> None:
    apply(store, web(replicas=2))
    kv, _ = apply(store, web(replicas=2), "ci")
    assert "f:replicas" in fields_of(kv.obj, "kubectl")["f:spec"]
    assert "f:replicas" in fields_of(kv.obj, "ci")["f:spec"]


def test_containers_merge_by_name_across_appliers(store: ResourceStore) -> None:
    apply(store, web(containers=[{"name": "nginx", "image": "nginx"}]))
    sidecar = web(replicas=None, containers=[{"name": "sidecar", "image": "envoy"}])
    del sidecar["metadata"]["labels"]
    kv, _ = apply(store, sidecar, "mesh")
    containers = kv.obj["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("nginx", "nginx"), ("sidecar", "envoy")]
    assert containers[0]["imagePullPolicy"] == "Always"
    kv, _ = apply(store, web(containers=[{"name": "nginx", "image": "nginx:2"}]))
    assert [(c["name"], c["image"]) for c in kv.obj["spec"]["template"]["spec"]["containers"]] == [
        ("nginx", "nginx:2"), ("sidecar", "envoy")]


def test_client_side_apply_fields_are_taken_over_by_kubectl_server_side(store: ResourceStore) -> None:
    config = web(replicas=2)
    csa = json.loads(json.dumps(config))
    csa["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(config)}
    store.create(DEPLOY, "default", csa, WriteOptions(field_manager="kubectl-client-side-apply"))
    err = error(apply, store, web(replicas=3), "ci")
    assert err.message == ('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: '
                           ".spec.replicas")
    kv, created = apply(store, web(replicas=3), "kubectl")
    assert not created and kv.obj["spec"]["replicas"] == 3
    assert json.loads(kv.obj["metadata"]["annotations"][LAST_APPLIED])["spec"]["replicas"] == 3


def test_an_object_without_managed_fields_gets_a_before_first_apply_owner(store: ResourceStore) -> None:
    store.create(DEPLOY, "default", web(replicas=2))
    err = error(apply, store, web(replicas=3), "ci")
    assert err.message == ('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: '
                           ".spec.replicas")


def test_dry_run_apply_creates_nothing(store: ResourceStore) -> None:
    kv, created = apply(store, web(), dry_run=True)
    assert created and kv.obj["metadata"]["managedFields"]
    assert store.storage.get(DEPLOY.key("default", "web")) is None


def test_apply_option_and_body_errors(store: ResourceStore) -> None:
    err = error(store.patch, DEPLOY, "default", "web", patching.APPLY, b"{}", opts=WriteOptions())
    assert (err.code, err.message) == (
        422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')
    assert err.details == {"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [
        {"reason": "FieldValueRequired", "message": "Required value: is required for apply patch",
         "field": "fieldManager"}]}
    wrong = web()
    wrong["apiVersion"] = "apps/v1beta1"
    assert error(apply, store, wrong).message == "invalid object type: apps/v1beta1, Kind=Deployment"
    with_mf = web()
    with_mf["metadata"]["managedFields"] = []
    assert error(apply, store, with_mf).message == "metadata.managedFields must be nil"
    other = web()
    other["metadata"]["name"] = "api"
    assert error(apply, store, other).message == "the name of the object (api) does not match the name on the URL (web)"
    assert error(store.patch, DEPLOY, "default", "web", patching.APPLY, b"- a\n- b\n",
                 opts=WriteOptions(field_manager="m")).code == 400


def test_apply_bodies_are_yaml_or_json_and_timestamps_stay_strings() -> None:
    assert decode_apply_body(b"a: 2025-01-01T00:00:00Z\nb: [1, 2]\n") == {"a": "2025-01-01T00:00:00Z", "b": [1, 2]}
    assert decode_apply_body(b'{"a": 1}') == {"a": 1}
    with pytest.raises(StatusError):
        decode_apply_body(b"a: [")


def test_status_apply_on_a_missing_object_is_not_found(store: ResourceStore) -> None:
    opts = WriteOptions(field_manager="m")
    err = error(store.patch, DEPLOY, "default", "web", patching.APPLY, json.dumps(web()).encode(),
                subresource="status", opts=opts)
    assert err.code == 404


def test_update_writes_record_managed_fields_and_internal_writes_do_not(store: ResourceStore) -> None:
    kv = store.create(CM, "default", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                      "data": {"a": "1"}}, WriteOptions(field_manager="kubectl-create"))
    assert managers(kv.obj) == [("kubectl-create", "Update")]
    kv, created = store.patch(CM, "default", "c", patching.MERGE, b'{"data":{"b":"2"}}',
                              opts=WriteOptions(field_manager="kubectl-patch"))
    assert not created
    assert managers(kv.obj) == [("kubectl-create", "Update"), ("kubectl-patch", "Update")]
    assert fields_of(kv.obj, "kubectl-patch") == {"f:data": {"f:b": {}}}
    internal = store.create(CM, "default", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d"}})
    assert "managedFields" not in internal.obj["metadata"]


def test_strategic_merge_patch_merges_containers_by_name(store: ResourceStore) -> None:
    apply(store, web(containers=[{"name": "nginx", "image": "nginx"}, {"name": "side", "image": "envoy"}]))
    body = b'{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:3"}]}}}}'
    kv, created = store.patch(DEPLOY, "default", "web", patching.STRATEGIC, body,
                              opts=WriteOptions(field_manager="kubectl-set"))
    assert not created
    assert [(c["name"], c["image"]) for c in kv.obj["spec"]["template"]["spec"]["containers"]] == [
        ("nginx", "nginx:3"), ("side", "envoy")]
    err = error(apply, store, web(containers=[{"name": "nginx", "image": "nginx:4"},
                                              {"name": "side", "image": "envoy"}]), "ci")
    assert err.message == ('Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: '
                           '.spec.template.spec.containers[name="nginx"].image')


def test_apply_patch_is_usable_without_a_store() -> None:
    obj = apply_patch(None, web(), manager="m", force=False, group="apps", version="v1", kind="Deployment",
                      now="2025-01-01T00:00:00Z")
    assert obj["metadata"]["managedFields"][0]["time"] == "2025-01-01T00:00:00Z"
