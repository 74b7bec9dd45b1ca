"""The official `kubernetes` Python client (37.x, pydantic models with the OpenAPI required fields) against
fakeapi: typed CRUD, patch flavours, optimistic concurrency, logs, /scale, and watch with resume and 410.

Deserialisation is the point: every call goes through the generated models, so a missing required field or
a wrongly typed value on the server side fails here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

from fakeapi.testing import RunningServer
from tests.conformance.conftest import wait_until

NS = "pyclient"


@pytest.fixture(scope="module")
def api_client(cluster: RunningServer) -> Iterator[client.ApiClient]:
    api = config.new_client_from_config(config_file=str(cluster.kubeconfig))
    core = client.CoreV1Api(api)
    core.create_namespace({"metadata": {"name": NS}})
    yield api
    api.close()


@pytest.fixture(scope="module")
def core(api_client: client.ApiClient) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


@pytest.fixture(scope="module")
def apps(api_client: client.ApiClient) -> client.AppsV1Api:
    return client.AppsV1Api(api_client)


def deployment_body(name: str, replicas: int = 1) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [
                    {"name": "main", "image": "nginx:1.25"},
                    {"name": "side", "image": "busybox:1.36", "command": ["sleep", "3600"]},
                ]},
            },
        },
    }


# --- deserialisation of a live cluster --------------------------------------------------------------


def test_list_pods_of_a_running_cluster_deserializes(core: client.CoreV1Api, apps: client.AppsV1Api) -> None:
    apps.create_namespaced_deployment(NS, deployment_body("fleet", replicas=3))

    def all_ready() -> list[client.V1Pod]:
        pods = core.list_namespaced_pod(NS, label_selector="app=fleet").items
        ok = len(pods) == 3 and all(
            p.status.container_statuses and all(cs.ready for cs in p.status.container_statuses) for p in pods)
        return pods if ok else []

    pods = wait_until(all_ready, timeout=20, what="3 ready fleet pods")
    for pod in pods:
        assert isinstance(pod, client.V1Pod)
        assert pod.status.phase == "Running"
        assert pod.spec.node_name and pod.status.pod_ip and pod.status.host_ip
        statuses = {cs.name: cs for cs in pod.status.container_statuses}
        assert set(statuses) == {"main", "side"}
        for cs in statuses.values():
            assert cs.image and cs.image_id and cs.container_id
            assert cs.restart_count == 0 and cs.started is True
            assert cs.state.running is not None and cs.state.running.started_at is not None
        assert {c.type for c in pod.status.conditions} >= {"PodScheduled", "Initialized", "ContainersReady", "Ready"}
        owner = pod.metadata.owner_references[0]
        assert owner.kind == "ReplicaSet" and owner.controller is True and owner.uid

    everywhere = core.list_pod_for_all_namespaces()
    assert {p.metadata.name for p in pods} <= {p.metadata.name for p in everywhere.items}
    assert everywhere.metadata.resource_version


@pytest.mark.parametrize("call", [
    "CoreV1Api.list_node", "CoreV1Api.list_namespace", "CoreV1Api.list_event_for_all_namespaces",
    "CoreV1Api.list_service_for_all_namespaces", "CoreV1Api.list_endpoints_for_all_namespaces",
    "CoreV1Api.list_config_map_for_all_namespaces", "CoreV1Api.list_service_account_for_all_namespaces",
    "CoreV1Api.list_secret_for_all_namespaces", "AppsV1Api.list_replica_set_for_all_namespaces",
    "AppsV1Api.list_deployment_for_all_namespaces", "CoordinationV1Api.list_lease_for_all_namespaces",
    "DiscoveryV1Api.list_endpoint_slice_for_all_namespaces",
])
def test_every_kind_of_a_running_cluster_deserializes(api_client: client.ApiClient, core: client.CoreV1Api,
                                                      call: str) -> None:
    api_name, method = call.split(".")
    result = getattr(getattr(client, api_name)(api_client), method)()
    assert result.items is not None
    if method == "list_node":
        assert len(result.items) == 3
        for node in result.items:
            assert {c.type: c.status for c in node.status.conditions}["Ready"] == "True"
            assert node.status.node_info.kubelet_version == "v1.37.0"
            assert node.status.allocatable["cpu"] and node.status.capacity["pods"]


# --- CRUD, patch, conflicts ------------------------------------------------------------------------------


def test_create_read_replace_delete_configmap(core: client.CoreV1Api) -> None:
    # no apiVersion/kind in the body: the server defaults them from the URL
    created = core.create_namespaced_config_map(NS, {"metadata": {"name": "crud"}, "data": {"k": "v"}})
    assert isinstance(created, client.V1ConfigMap)
    assert created.kind == "ConfigMap" and created.api_version == "v1"
    assert created.metadata.uid and created.metadata.resource_version and created.metadata.creation_timestamp
    got = core.read_namespaced_config_map("crud", NS)
    assert got.data == {"k": "v"}
    got.data["k"] = "w"
    replaced = core.replace_namespaced_config_map("crud", NS, got)
    assert replaced.data == {"k": "w"}
    assert int(replaced.metadata.resource_version) > int(got.metadata.resource_version)
    # client 37 declares the delete response as `object`: the Status comes back as a dict
    status = core.delete_namespaced_config_map("crud", NS)
    assert status["kind"] == "Status" and status["status"] == "Success"
    assert status["details"]["name"] == "crud" and status["details"]["kind"] == "configmaps"
    assert status["details"]["uid"] == created.metadata.uid
    with pytest.raises(ApiException) as info:
        core.read_namespaced_config_map("crud", NS)
    assert info.value.status == 404
    assert '"message":"configmaps \\"crud\\" not found"' in info.value.body


def test_create_twice_is_409_already_exists(core: client.CoreV1Api) -> None:
    core.create_namespaced_config_map(NS, {"metadata": {"name": "twice"}})
    with pytest.raises(ApiException) as info:
        core.create_namespaced_config_map(NS, {"metadata": {"name": "twice"}})
    assert info.value.status == 409
    body = json.loads(info.value.body)
    assert body["reason"] == "AlreadyExists"
    assert body["message"] == 'configmaps "twice" already exists'
    assert body["details"] == {"name": "twice", "kind": "configmaps"}


def test_stale_replace_is_409_conflict(api: RunningServer) -> None:
    # the bare API server: no deployment controller writing to the object between our reads
    api_client = config.new_client_from_config(config_file=str(api.kubeconfig))
    apps = client.AppsV1Api(api_client)
    try:
        apps.create_namespaced_deployment("default", deployment_body("stale"))
        first = apps.read_namespaced_deployment("stale", "default")
        second = apps.read_namespaced_deployment("stale", "default")
        first.spec.replicas = 2
        apps.replace_namespaced_deployment("stale", "default", first)
        second.spec.replicas = 3
        with pytest.raises(ApiException) as info:
            apps.replace_namespaced_deployment("stale", "default", second)
        assert info.value.status == 409
        body = json.loads(info.value.body)
        assert body["reason"] == "Conflict"
        assert body["message"] == ('Operation cannot be fulfilled on deployments.apps "stale": the object has been '
                                   "modified; please apply your changes to the latest version and try again")
        assert body["details"] == {"name": "stale", "kind": "deployments", "group": "apps"}
        assert apps.read_namespaced_deployment("stale", "default").spec.replicas == 2
    finally:
        api_client.close()


def test_patch_dict_is_strategic_merge(apps: client.AppsV1Api) -> None:
    apps.create_namespaced_deployment(NS, deployment_body("smp"))
    patched = apps.patch_namespaced_deployment("smp", NS, {
        "spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox:1.37"}]}}}})
    assert [(c.name, c.image) for c in patched.spec.template.spec.containers] == [
        ("main", "nginx:1.25"), ("side", "busybox:1.37")]
    assert patched.metadata.generation == 2


def test_patch_list_is_json_patch(apps: client.AppsV1Api) -> None:
    apps.create_namespaced_deployment(NS, deployment_body("jsonpatch"))
    patched = apps.patch_namespaced_deployment("jsonpatch", NS, [
        {"op": "replace", "path": "/spec/replicas", "value": 0},
        {"op": "add", "path": "/metadata/labels/patched", "value": "json"},
        {"op": "remove", "path": "/spec/template/spec/containers/1"},
    ])
    assert patched.spec.replicas == 0
    assert patched.metadata.labels == {"app": "jsonpatch", "patched": "json"}
    assert [c.name for c in patched.spec.template.spec.containers] == ["main"]
    with pytest.raises(ApiException) as info:
        apps.patch_namespaced_deployment("jsonpatch", NS, [{"op": "test", "path": "/spec/replicas", "value": 5}])
    assert info.value.status == 422


def test_patch_pod_status_and_labels(core: client.CoreV1Api) -> None:
    core.create_namespaced_config_map(NS, {"metadata": {"name": "labels", "labels": {"a": "1", "b": "2"}}})
    patched = core.patch_namespaced_config_map("labels", NS, {"metadata": {"labels": {"a": None, "c": "3"}}})
    assert patched.metadata.labels == {"b": "2", "c": "3"}


def test_delete_with_preconditions(core: client.CoreV1Api) -> None:
    created = core.create_namespaced_config_map(NS, {"metadata": {"name": "precond"}})
    with pytest.raises(ApiException) as info:
        core.delete_namespaced_config_map("precond", NS, body=client.V1DeleteOptions(
            preconditions=client.V1Preconditions(uid="00000000-0000-0000-0000-000000000000")))
    assert info.value.status == 409
    body = json.loads(info.value.body)
    # rest.BeforeDelete: the GroupResource is built from the Kind, so "ConfigMap", not "configmaps"
    assert body["reason"] == "Conflict" and body["details"] == {"name": "precond", "kind": "ConfigMap"}
    assert body["message"] == (
        'Operation cannot be fulfilled on ConfigMap "precond": the UID in the precondition '
        f"(00000000-0000-0000-0000-000000000000) does not match the UID in record ({created.metadata.uid}). "
        "The object might have been deleted and then recreated")
    core.delete_namespaced_config_map("precond", NS, body=client.V1DeleteOptions(
        preconditions=client.V1Preconditions(uid=created.metadata.uid)))


def test_patch_deployment_scale(apps: client.AppsV1Api) -> None:
    apps.create_namespaced_deployment(NS, deployment_body("scaled"))
    scale = apps.patch_namespaced_deployment_scale("scaled", NS, {"spec": {"replicas": 3}})
    assert isinstance(scale, client.V1Scale)
    assert scale.kind == "Scale" and scale.api_version == "autoscaling/v1"
    assert scale.spec.replicas == 3
    assert scale.metadata.name == "scaled" and scale.metadata.namespace == NS
    deployment = apps.read_namespaced_deployment("scaled", NS)
    assert deployment.spec.replicas == 3
    assert scale.metadata.uid == deployment.metadata.uid
    read = apps.read_namespaced_deployment_scale("scaled", NS)
    assert read.spec.replicas == 3 and read.status.selector == "app=scaled"
    wait_until(lambda: apps.read_namespaced_deployment_scale("scaled", NS).status.replicas == 3, timeout=15,
               what="the deployment controller to report 3 replicas")


def test_read_namespaced_pod_log(core: client.CoreV1Api) -> None:
    core.create_namespaced_pod(NS, {
        "metadata": {"name": "talker"},
        "spec": {"restartPolicy": "Never", "containers": [
            {"name": "talk", "image": "busybox:1.36", "command": ["sh", "-c", "echo hello; echo world"]}]}})
    wait_until(lambda: core.read_namespaced_pod("talker", NS).status.phase == "Succeeded", timeout=15,
               what="the talker pod to complete")
    assert core.read_namespaced_pod_log("talker", NS) == "hello\nworld\n"
    assert core.read_namespaced_pod_log("talker", NS, tail_lines=1) == "world\n"
    assert core.read_namespaced_pod_log("talker", NS, container="talk") == "hello\nworld\n"
    with pytest.raises(ApiException) as info:
        core.read_namespaced_pod_log("talker", NS, container="nope")
    assert info.value.status == 400
    assert "container nope is not valid for pod talker" in info.value.body


# --- watch --------------------------------------------------------------------------------------------


def collect(stream: Iterator[dict[str, Any]], count: int | None = None) -> list[tuple[str, str]]:
    events = []
    for event in stream:
        events.append((event["type"], event["object"].metadata.name))
        if count is not None and len(events) >= count:
            break
    return events


def test_watch_resumes_from_resource_version_without_replay(core: client.CoreV1Api) -> None:
    core.create_namespace({"metadata": {"name": "pywatch"}})
    core.create_namespaced_config_map("pywatch", {"metadata": {"name": "old-a"}})
    core.create_namespaced_config_map("pywatch", {"metadata": {"name": "old-b"}})
    rv = core.list_namespaced_config_map("pywatch").metadata.resource_version
    core.create_namespaced_config_map("pywatch", {"metadata": {"name": "new-c"}})
    core.patch_namespaced_config_map("old-a", "pywatch", {"data": {"x": "1"}})
    core.delete_namespaced_config_map("old-b", "pywatch")
    w = watch.Watch()
    events = collect(w.stream(core.list_namespaced_config_map, "pywatch", resource_version=rv, timeout_seconds=1))
    assert events == [("ADDED", "new-c"), ("MODIFIED", "old-a"), ("DELETED", "old-b")]
    assert all(isinstance(e, str) for e, _ in events)


def test_watch_without_resource_version_sends_synthetic_added(core: client.CoreV1Api) -> None:
    core.create_namespace({"metadata": {"name": "pywatch2"}})
    core.create_namespaced_config_map("pywatch2", {"metadata": {"name": "one"}})
    w = watch.Watch()
    stream = w.stream(core.list_namespaced_config_map, "pywatch2", label_selector="!skip", timeout_seconds=5)
    seen = set()
    for event in stream:
        assert event["type"] == "ADDED"
        assert isinstance(event["object"], client.V1ConfigMap)
        seen.add(event["object"].metadata.name)
        if {"one", "kube-root-ca.crt"} <= seen:
            w.stop()
    assert {"one", "kube-root-ca.crt"} <= seen
    # the Watch object remembers the last resourceVersion and resumes from it (no replay)
    core.create_namespaced_config_map("pywatch2", {"metadata": {"name": "two"}})
    resumed = collect(w.stream(core.list_namespaced_config_map, "pywatch2", resource_version=w.resource_version,
                               timeout_seconds=1))
    assert resumed == [("ADDED", "two")]


def test_watch_typed_deployments(core: client.CoreV1Api, apps: client.AppsV1Api) -> None:
    rv = apps.list_namespaced_deployment(NS).metadata.resource_version
    apps.create_namespaced_deployment(NS, deployment_body("watched"))
    w = watch.Watch()
    for event in w.stream(apps.list_namespaced_deployment, NS, resource_version=rv,
                          field_selector="metadata.name=watched", timeout_seconds=5):
        assert isinstance(event["object"], client.V1Deployment)
        assert event["object"].metadata.name == "watched"
        if event["type"] == "ADDED":
            w.stop()
    assert w.resource_version


def test_watch_too_old_resource_version_raises_410_then_recovers(api: RunningServer) -> None:
    api_client = config.new_client_from_config(config_file=str(api.kubeconfig))
    core = client.CoreV1Api(api_client)
    try:
        core.create_namespace({"metadata": {"name": "expiry"}})
        first = core.create_namespaced_config_map("expiry", {"metadata": {"name": "first"}})
        old_rv = first.metadata.resource_version
        for i in range(5):
            core.create_namespaced_config_map("expiry", {"metadata": {"name": f"filler-{i}"}})
        assert api.server is not None
        api.server.storage.compact(api.server.storage.revision - 1)

        # with timeout_seconds the client does not retry: the in-stream ERROR 410 raises at once
        w = watch.Watch()
        with pytest.raises(ApiException) as info:
            collect(w.stream(core.list_namespaced_config_map, "expiry", resource_version=old_rv, timeout_seconds=5))
        assert info.value.status == 410
        assert info.value.reason.startswith(f"Expired: too old resource version: {old_rv} (")

        # without it, the client retries once from the same (still too old) version, then raises
        started = time.monotonic()
        with pytest.raises(ApiException) as info:
            collect(watch.Watch().stream(core.list_namespaced_config_map, "expiry", resource_version=old_rv))
        assert info.value.status == 410 and time.monotonic() - started < 5

        # documented recovery: list again and watch from the list's resourceVersion
        listed = core.list_namespaced_config_map("expiry")
        core.create_namespaced_config_map("expiry", {"metadata": {"name": "after"}})
        events = collect(watch.Watch().stream(core.list_namespaced_config_map, "expiry",
                                              resource_version=listed.metadata.resource_version, timeout_seconds=1))
        assert events == [("ADDED", "after")]
    finally:
        api_client.close()


def test_watch_http_errors_raise(core: client.CoreV1Api) -> None:
    w = watch.Watch()
    with pytest.raises(ApiException) as info:
        collect(w.stream(core.list_namespaced_config_map, NS, label_selector="a in b", timeout_seconds=1))
    assert info.value.status == 400
