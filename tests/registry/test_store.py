"""ResourceStore (registry/store.py) against MemoryStorage and the default registry: the generic registry's
semantics and the apiserver's exact error wording."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest

from fakeapi import codec
from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.errors import StatusError
from fakeapi.registry import patch as patching
from fakeapi.registry.options import DeleteOptions, ListOptions, WriteOptions
from fakeapi.registry.registry import Registry
from fakeapi.resources import default_registry
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.store import ResourceStore
from fakeapi.storage import MemoryStorage

REGISTRY: Registry = default_registry()
OPTIMISTIC = "the object has been modified; please apply your changes to the latest version and try again"

def patch(store: ResourceStore, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
    """ResourceStore.patch, unwrapped to its KeyValue (it also reports whether server-side apply created)."""
    result = store.patch(*args, **kwargs)
    return result[0] if isinstance(result, tuple) else result



def info(plural: str, group: str = "") -> ResourceInfo:
    found = REGISTRY.lookup(group, "v1", plural)
    assert found is not None, plural
    return found


CM = info("configmaps")
NS = info("namespaces")
DEPLOY = info("deployments", "apps")
RS = info("replicasets", "apps")
NODE = info("nodes")
PODS = info("pods")


@pytest.fixture
def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    ensure_system_namespaces(s, REGISTRY)
    return s


def cm(name: str = "x", **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"a": "1"}, **extra}


def deployment(name: str = "web", replicas: int = 1) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def status_error(fn, *args: Any, **kwargs: Any) -> StatusError:
    with pytest.raises(StatusError) as exc:
        fn(*args, **kwargs)
    return exc.value


def create(store: ResourceStore, res: ResourceInfo, ns: str | None, body: dict[str, Any]) -> dict[str, Any]:
    """Create and return a private copy (KeyValue.obj is shared with storage and must not be mutated)."""
    return codec.loads(store.create(res, ns, body).value)


def fresh(store: ResourceStore, res: ResourceInfo, ns: str | None, name: str) -> dict[str, Any]:
    return codec.loads(store.get(res, ns, name).value)


# ---- create ----------------------------------------------------------------------------------------

def test_create_sets_uid_creation_timestamp_and_resource_version(store: ResourceStore) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    kv = store.create(CM, "default", cm(metadata={"name": "x", "uid": "client-uid", "resourceVersion": "77",
                                                  "deletionTimestamp": "2020-01-01T00:00:00Z"}))
    meta = kv.obj["metadata"]
    assert uuid.UUID(meta["uid"]).version == 4
    assert meta["uid"] != "client-uid"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["creationTimestamp"])
    created = datetime.strptime(meta["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= created <= datetime.now(timezone.utc)
    assert meta["resourceVersion"] == str(store.storage.revision) == str(kv.mod_rev)
    assert "deletionTimestamp" not in meta
    assert meta["namespace"] == "default"
    assert (kv.obj["kind"], kv.obj["apiVersion"]) == ("ConfigMap", "v1")
    assert "generation" not in meta  # configmaps have no spec, no generation
    assert codec.loads(kv.value) == kv.obj


def test_create_defaults_kind_and_api_version_from_the_url(store: ResourceStore) -> None:
    kv = store.create(CM, "default", {"metadata": {"name": "bare"}})
    assert (kv.obj["kind"], kv.obj["apiVersion"]) == ("ConfigMap", "v1")
    kv = store.create(DEPLOY, "default", {k: v for k, v in deployment().items() if k not in ("kind", "apiVersion")})
    assert (kv.obj["kind"], kv.obj["apiVersion"]) == ("Deployment", "apps/v1")


def test_create_sets_generation_1_for_kinds_with_a_spec(store: ResourceStore) -> None:
    body = deployment()
    body["metadata"]["generation"] = 9
    assert store.create(DEPLOY, "default", body).obj["metadata"]["generation"] == 1


def test_generate_name_appends_five_characters_of_the_apiserver_alphabet(store: ResourceStore) -> None:
    names = set()
    for _ in range(5):
        kv = store.create(CM, "default", {"metadata": {"generateName": "web-"}})
        name = kv.obj["metadata"]["name"]
        assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", name), name
        assert kv.obj["metadata"]["generateName"] == "web-"
        names.add(name)
    assert len(names) == 5
    long_base = "a" * 70
    name = store.create(CM, "default", {"metadata": {"generateName": long_base}}).obj["metadata"]["name"]
    assert len(name) == 63 and name.startswith("a" * 58)


def test_create_without_name_or_generate_name_is_invalid(store: ResourceStore) -> None:
    err = status_error(store.create, CM, "default", {"metadata": {}})
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'
    assert err.details is not None and err.details["kind"] == "ConfigMap"


def test_already_exists_names_the_resource(store: ResourceStore) -> None:
    store.create(CM, "default", cm())
    err = status_error(store.create, CM, "default", cm())
    assert (err.code, err.reason, err.message) == (409, "AlreadyExists", 'configmaps "x" already exists')
    assert err.details == {"name": "x", "kind": "configmaps"}
    store.create(DEPLOY, "default", deployment())
    err = status_error(store.create, DEPLOY, "default", deployment())
    assert (err.code, err.reason, err.message) == (409, "AlreadyExists", 'deployments.apps "web" already exists')
    assert err.details == {"name": "web", "group": "apps", "kind": "deployments"}
    # the same name in another namespace is another object
    store.create(CM, "kube-system", cm())


def test_not_found_names_the_resource(store: ResourceStore) -> None:
    err = status_error(store.get, CM, "default", "nope")
    assert (err.code, err.reason, err.message) == (404, "NotFound", 'configmaps "nope" not found')
    assert err.details == {"name": "nope", "kind": "configmaps"}
    err = status_error(store.get, DEPLOY, "default", "web")
    assert err.message == 'deployments.apps "web" not found'
    assert err.details == {"name": "web", "group": "apps", "kind": "deployments"}
    for call in (lambda: store.update(CM, "default", "nope", cm("nope")),
                 lambda: patch(store, CM, "default", "nope", patching.MERGE, b"{}"),
                 lambda: store.delete(CM, "default", "nope")):
        err = status_error(call)
        assert (err.code, err.message) == (404, 'configmaps "nope" not found')


def test_create_in_a_missing_namespace_is_namespace_not_found(store: ResourceStore) -> None:
    err = status_error(store.create, CM, "nope", cm())
    assert (err.code, err.reason, err.message) == (404, "NotFound", 'namespaces "nope" not found')
    assert err.details == {"name": "nope", "kind": "namespaces"}
    assert store.storage.get(CM.key("nope", "x")) is None


def terminating_namespace(store: ResourceStore, name: str = "doomed") -> None:
    store.create(NS, None, {"metadata": {"name": name, "finalizers": ["example.com/hold"]}})
    result = store.delete(NS, None, name)
    assert not result.deleted
    assert result.kv.obj["metadata"].get("deletionTimestamp")


def test_deleting_a_namespace_leaves_it_terminating_until_its_spec_finalizers_are_gone(store: ResourceStore) -> None:
    store.create(NS, None, {"metadata": {"name": "doomed"}})
    result = store.delete(NS, None, "doomed")
    assert not result.deleted
    obj = fresh(store, NS, None, "doomed")
    assert obj["metadata"]["deletionTimestamp"]
    assert obj["status"]["phase"] == "Terminating"
    assert obj["spec"]["finalizers"] == ["kubernetes"]


def test_a_terminating_namespace_refuses_new_objects(store: ResourceStore) -> None:
    terminating_namespace(store)
    err = status_error(store.create, CM, "doomed", cm())
    assert (err.code, err.reason) == (403, "Forbidden")
    assert err.message == ('configmaps "x" is forbidden: unable to create new content in namespace doomed '
                           "because it is being terminated")
    err = status_error(store.create, DEPLOY, "doomed", deployment())
    assert err.message == ('deployments.apps "web" is forbidden: unable to create new content in namespace '
                           "doomed because it is being terminated")


def test_a_terminating_namespace_error_carries_the_namespace_terminating_cause(store: ResourceStore) -> None:
    terminating_namespace(store)
    err = status_error(store.create, CM, "doomed", cm())
    assert err.details is not None
    assert err.details.get("causes") == [{"reason": "NamespaceTerminating",
                                          "message": "namespace doomed is being terminated",
                                          "field": "metadata.namespace"}]


def test_body_namespace_must_match_the_url(store: ResourceStore) -> None:
    body = cm()
    body["metadata"]["namespace"] = "kube-system"
    err = status_error(store.create, CM, "default", body)
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == "the namespace of the provided object does not match the namespace sent on the request"
    store.create(CM, "default", cm())
    err = status_error(store.update, CM, "default", "x", body)
    assert (err.code, err.message) == (400, "the namespace of the provided object does not match the namespace "
                                            "sent on the request")


def test_cluster_scoped_kinds_ignore_a_namespace(store: ResourceStore) -> None:
    kv = store.create(NODE, None, {"metadata": {"name": "n1", "namespace": "default"}})
    assert "namespace" not in kv.obj["metadata"]
    assert kv.key == "/registry/nodes/n1"
    assert store.get(NODE, None, "n1").obj["metadata"]["name"] == "n1"


# ---- update ----------------------------------------------------------------------------------------

def test_update_with_a_stale_resource_version_is_the_optimistic_lock_conflict(store: ResourceStore) -> None:
    first = create(store, CM, "default", cm())
    stale = codec.deepcopy(first)
    first["data"] = {"a": "2"}
    store.update(CM, "default", "x", codec.deepcopy(first))
    stale["data"] = {"a": "3"}
    err = status_error(store.update, CM, "default", "x", stale)
    assert (err.code, err.reason) == (409, "Conflict")
    assert err.message == f'Operation cannot be fulfilled on configmaps "x": {OPTIMISTIC}'
    assert err.details == {"name": "x", "kind": "configmaps"}
    assert fresh(store, CM, "default", "x")["data"] == {"a": "2"}

    d = create(store, DEPLOY, "default", deployment())
    d["metadata"]["resourceVersion"] = "1"
    err = status_error(store.update, DEPLOY, "default", "web", d)
    assert err.message == f'Operation cannot be fulfilled on deployments.apps "web": {OPTIMISTIC}'
    assert err.details == {"name": "web", "group": "apps", "kind": "deployments"}


def test_update_without_a_resource_version_is_unconditional_for_such_kinds(store: ResourceStore) -> None:
    store.create(CM, "default", cm())
    store.update(CM, "default", "x", cm(data={"a": "2"}))
    kv = store.update(CM, "default", "x", cm(data={"a": "3"}))
    assert kv.obj["data"] == {"a": "3"}


def test_update_keeps_server_set_metadata(store: ResourceStore) -> None:
    created = create(store, CM, "default", cm())
    body = cm(data={"a": "2"})
    body["metadata"]["creationTimestamp"] = "2000-01-01T00:00:00Z"  # ignored, as BeforeUpdate does
    kv = store.update(CM, "default", "x", body)
    assert kv.obj["metadata"]["uid"] == created["metadata"]["uid"]
    assert kv.obj["metadata"]["creationTimestamp"] == created["metadata"]["creationTimestamp"]
    assert int(kv.obj["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    assert kv.obj["data"] == {"a": "2"}


def test_update_with_another_uid_is_a_precondition_conflict(store: ResourceStore) -> None:
    uid = create(store, CM, "default", cm())["metadata"]["uid"]
    body = cm(data={"a": "2"})
    body["metadata"]["uid"] = "other"
    err = status_error(store.update, CM, "default", "x", body)
    assert (err.code, err.reason) == (409, "Conflict")
    assert err.message.startswith('Operation cannot be fulfilled on configmaps "x": ')
    assert f"Precondition failed: UID in precondition: other, UID in object meta: {uid}" in err.message
    assert fresh(store, CM, "default", "x")["data"] == {"a": "1"}


def test_name_in_body_must_match_the_url(store: ResourceStore) -> None:
    store.create(CM, "default", cm())
    err = status_error(store.update, CM, "default", "x", cm("y"))
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == "the name of the object (y) does not match the name on the URL (x)"


def test_main_resource_update_keeps_the_status(store: ResourceStore) -> None:
    d = create(store, DEPLOY, "default", deployment())
    d["status"] = {"replicas": 5, "readyReplicas": 5}
    d["spec"]["replicas"] = 2
    kv = store.update(DEPLOY, "default", "web", d)
    assert kv.obj["spec"]["replicas"] == 2
    assert kv.obj["status"].get("replicas") != 5
    assert "readyReplicas" not in kv.obj["status"]


def test_status_update_keeps_the_spec(store: ResourceStore) -> None:
    d = create(store, DEPLOY, "default", deployment())
    d["status"] = {"replicas": 1, "readyReplicas": 1, "observedGeneration": 1}
    d["spec"]["replicas"] = 7
    kv = store.update(DEPLOY, "default", "web", d, subresource="status")
    assert kv.obj["spec"]["replicas"] == 1
    assert kv.obj["status"]["readyReplicas"] == 1
    assert kv.obj["metadata"]["generation"] == 1
    # and a status patch
    kv = patch(store, DEPLOY, "default", "web", patching.MERGE,
                     b'{"spec":{"replicas":9},"status":{"readyReplicas":0}}', subresource="status")
    assert (kv.obj["spec"]["replicas"], kv.obj["status"]["readyReplicas"]) == (1, 0)


def test_generation_bumps_only_when_the_spec_changes(store: ResourceStore) -> None:
    body = deployment()
    body["kind"] = "ReplicaSet"
    store.create(RS, "default", body)

    def put(mutate) -> dict[str, Any]:
        obj = fresh(store, RS, "default", "web")
        mutate(obj)
        return store.update(RS, "default", "web", obj).obj

    assert put(lambda o: o["metadata"].setdefault("labels", {}).update(x="1"))["metadata"]["generation"] == 1
    assert put(lambda o: o["metadata"].setdefault("annotations", {}).update(x="1"))["metadata"]["generation"] == 1
    assert put(lambda o: o["spec"].update(replicas=3))["metadata"]["generation"] == 2
    assert put(lambda o: o["spec"].update(replicas=4))["metadata"]["generation"] == 3
    assert store.update(RS, "default", "web", fresh(store, RS, "default", "web"),
                        subresource="status").obj["metadata"]["generation"] == 3


def test_deployment_generation_also_bumps_on_annotation_change(store: ResourceStore) -> None:
    store.create(DEPLOY, "default", deployment())
    kv = patch(store, DEPLOY, "default", "web", patching.MERGE, b'{"metadata":{"labels":{"x":"1"}}}')
    assert kv.obj["metadata"]["generation"] == 1
    kv = patch(store, DEPLOY, "default", "web", patching.MERGE, b'{"metadata":{"annotations":{"x":"1"}}}')
    assert kv.obj["metadata"]["generation"] == 2


def test_a_no_op_update_does_not_bump_the_resource_version(store: ResourceStore) -> None:
    created = store.create(CM, "default", cm())
    rev = store.storage.revision
    same = store.update(CM, "default", "x", codec.loads(created.value))
    assert same.obj["metadata"]["resourceVersion"] == created.obj["metadata"]["resourceVersion"]
    assert store.storage.revision == rev
    same = patch(store, CM, "default", "x", patching.MERGE, b'{"data":{"a":"1"}}')
    assert same.mod_rev == created.mod_rev
    assert store.storage.revision == rev


# ---- patch -----------------------------------------------------------------------------------------

def test_json_merge_patch_sets_and_removes_fields(store: ResourceStore) -> None:
    store.create(CM, "default", cm(data={"a": "1", "b": "2"}))
    kv = patch(store, CM, "default", "x", patching.MERGE,
                     b'{"metadata":{"labels":{"app":"web"}},"data":{"a":null,"c":"3"}}')
    assert kv.obj["data"] == {"b": "2", "c": "3"}
    assert kv.obj["metadata"]["labels"] == {"app": "web"}
    kv = patch(store, CM, "default", "x", patching.MERGE, b'{"metadata":{"labels":{"app":null}}}')
    assert kv.obj["metadata"].get("labels", {}) == {}


def test_merge_patch_with_a_stale_resource_version_conflicts(store: ResourceStore) -> None:
    store.create(CM, "default", cm())
    patch(store, CM, "default", "x", patching.MERGE, b'{"data":{"a":"2"}}')
    err = status_error(store.patch, CM, "default", "x", patching.MERGE,
                       b'{"metadata":{"resourceVersion":"2"},"data":{"a":"3"}}')
    assert (err.code, err.message) == (409, f'Operation cannot be fulfilled on configmaps "x": {OPTIMISTIC}')


def test_json_patch_applies_operations_in_order(store: ResourceStore) -> None:
    store.create(DEPLOY, "default", deployment())
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 4},
           {"op": "add", "path": "/metadata/labels", "value": {"a": "b"}},
           {"op": "test", "path": "/spec/replicas", "value": 4}]
    kv = patch(store, DEPLOY, "default", "web", patching.JSON_PATCH, codec.dumps(ops))
    assert kv.obj["spec"]["replicas"] == 4
    assert kv.obj["metadata"]["labels"] == {"a": "b"}
    assert kv.obj["metadata"]["generation"] == 2


def test_json_patch_replace_of_a_missing_path_fails_and_changes_nothing(store: ResourceStore) -> None:
    created = store.create(CM, "default", cm())
    err = status_error(store.patch, CM, "default", "x", patching.JSON_PATCH,
                       b'[{"op":"replace","path":"/metadata/labels/app","value":"x"}]')
    assert err.code == 422
    assert err.message == "the server rejected our request due to an error in our request"
    assert store.get(CM, "default", "x").mod_rev == created.mod_rev


def test_malformed_patches_are_bad_requests(store: ResourceStore) -> None:
    store.create(CM, "default", cm())
    assert status_error(store.patch, CM, "default", "x", patching.MERGE, b"{nope").code == 400
    assert status_error(store.patch, CM, "default", "x", patching.JSON_PATCH, b'{"op":"add"}').code == 400


# ---- finalizers and deletion -----------------------------------------------------------------------

def test_delete_without_finalizers_removes_the_object(store: ResourceStore) -> None:
    store.create(CM, "default", cm())
    result = store.delete(CM, "default", "x")
    assert result.deleted
    assert result.kv.obj["metadata"]["name"] == "x"
    assert store.storage.get(CM.key("default", "x")) is None


def test_delete_with_finalizers_sets_deletion_timestamp_and_keeps_the_object(store: ResourceStore) -> None:
    store.create(CM, "default", cm(metadata={"name": "x", "finalizers": ["example.com/a", "example.com/b"]}))
    result = store.delete(CM, "default", "x")
    assert not result.deleted
    meta = fresh(store, CM, "default", "x")["metadata"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["deletionTimestamp"])
    assert meta["deletionGracePeriodSeconds"] == 0
    assert meta["finalizers"] == ["example.com/a", "example.com/b"]
    # deleting again changes nothing
    rev = store.storage.revision
    assert not store.delete(CM, "default", "x").deleted
    assert store.storage.revision == rev
    # removing one finalizer keeps it, removing the last one deletes it
    patch(store, CM, "default", "x", patching.MERGE, b'{"metadata":{"finalizers":["example.com/b"]}}')
    assert store.storage.get(CM.key("default", "x")) is not None
    obj = fresh(store, CM, "default", "x")
    obj["metadata"]["finalizers"] = []
    store.update(CM, "default", "x", obj)
    assert store.storage.get(CM.key("default", "x")) is None


def test_no_new_finalizers_while_deleting(store: ResourceStore) -> None:
    store.create(CM, "default", cm(metadata={"name": "x", "finalizers": ["example.com/a"]}))
    store.delete(CM, "default", "x")
    err = status_error(store.patch, CM, "default", "x", patching.MERGE,
                       b'{"metadata":{"finalizers":["example.com/a","example.com/b"]}}')
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == ('ConfigMap "x" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added '
                           'if the object is being deleted, found new finalizers []string{"example.com/b"}')


def test_marking_a_generation_tracking_object_as_deleting_bumps_its_generation(store: ResourceStore) -> None:
    body = deployment()
    body["metadata"]["finalizers"] = ["example.com/hold"]
    store.create(DEPLOY, "default", body)
    store.delete(DEPLOY, "default", "web")
    assert fresh(store, DEPLOY, "default", "web")["metadata"]["generation"] == 2


def test_delete_precondition_mismatch_is_a_conflict(store: ResourceStore) -> None:
    created = create(store, CM, "default", cm())
    err = status_error(store.delete, CM, "default", "x", DeleteOptions(precondition_uid="not-the-uid"))
    assert (err.code, err.reason) == (409, "Conflict")
    err = status_error(store.delete, CM, "default", "x", DeleteOptions(precondition_rv="1"))
    assert (err.code, err.reason) == (409, "Conflict")
    assert store.storage.get(CM.key("default", "x")) is not None
    store.delete(CM, "default", "x", DeleteOptions(precondition_uid=created["metadata"]["uid"],
                                                   precondition_rv=created["metadata"]["resourceVersion"]))
    assert store.storage.get(CM.key("default", "x")) is None


def test_delete_precondition_conflicts_use_the_apiserver_wording(store: ResourceStore) -> None:
    created = create(store, CM, "default", cm())
    uid, rv = created["metadata"]["uid"], created["metadata"]["resourceVersion"]
    err = status_error(store.delete, CM, "default", "x", DeleteOptions(precondition_uid="abc"))
    assert err.message == (f'Operation cannot be fulfilled on ConfigMap "x": the UID in the precondition (abc) does '
                           f"not match the UID in record ({uid}). The object might have been deleted and then recreated")
    assert err.details == {"name": "x", "kind": "ConfigMap"}
    err = status_error(store.delete, CM, "default", "x", DeleteOptions(precondition_rv="1"))
    assert err.message == (f'Operation cannot be fulfilled on ConfigMap "x": the ResourceVersion in the precondition '
                           f"(1) does not match the ResourceVersion in record ({rv}). The object might have been "
                           "modified")


def test_delete_collection_deletes_what_the_selector_matches(store: ResourceStore) -> None:
    for name, app in (("a", "web"), ("b", "web"), ("c", "db")):
        store.create(CM, "default", cm(name, metadata={"name": name, "labels": {"app": app}}))
    store.create(CM, "kube-system", cm("a", metadata={"name": "a", "labels": {"app": "web"}}))
    deleted = store.delete_collection(CM, "default", ListOptions(label_selector="app=web"), DeleteOptions())
    assert sorted(kv.obj["metadata"]["name"] for kv in deleted) == ["a", "b"]
    assert [kv.obj["metadata"]["name"] for kv in store.list(CM, "default", ListOptions()).items] == ["c"]
    assert store.storage.get(CM.key("kube-system", "a")) is not None


# ---- dry run ---------------------------------------------------------------------------------------

def test_dry_run_create_update_patch_delete_persist_nothing(store: ResourceStore) -> None:
    dry = WriteOptions(dry_run=True)
    rev = store.storage.revision
    kv = store.create(CM, "default", cm("dry"), dry)
    assert kv.obj["metadata"]["name"] == "dry" and kv.obj["metadata"]["uid"]
    assert store.storage.get(CM.key("default", "dry")) is None
    assert store.storage.revision == rev

    store.create(CM, "default", cm())
    rev = store.storage.revision
    assert store.update(CM, "default", "x", cm(data={"a": "dry"}), opts=dry).obj["data"] == {"a": "dry"}
    assert patch(store, CM, "default", "x", patching.MERGE, b'{"data":{"a":"p"}}', opts=dry).obj["data"] == {"a": "p"}
    assert store.delete(CM, "default", "x", DeleteOptions(dry_run=True)).deleted
    assert store.storage.revision == rev
    assert fresh(store, CM, "default", "x")["data"] == {"a": "1"}


def test_dry_run_create_still_reports_conflicts_and_validation(store: ResourceStore) -> None:
    dry = WriteOptions(dry_run=True)
    store.create(CM, "default", cm())
    assert status_error(store.create, CM, "default", cm(), dry).reason == "AlreadyExists"
    assert status_error(store.create, CM, "default", {"metadata": {}}, dry).reason == "Invalid"
    assert status_error(store.create, CM, "nope", cm("y"), dry).message == 'namespaces "nope" not found'


def test_a_pod_delete_starts_graceful_deletion_only_when_scheduled(store: ResourceStore) -> None:
    pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    store.create(PODS, "default", pod)
    assert store.delete(PODS, "default", "p").deleted  # unscheduled: grace period 0
    store.create(PODS, "default", {**pod, "spec": {**pod["spec"], "nodeName": "node-1"}})
    result = store.delete(PODS, "default", "p")
    assert not result.deleted
    assert result.kv.obj["metadata"]["deletionGracePeriodSeconds"] == 30
    assert store.delete(PODS, "default", "p", DeleteOptions(grace_period_seconds=0)).deleted
