"""lightkube (sync Client) against fakeapi: typed models, label operators, the three patch types, watch
with resume, delete and `apply()` (server-side apply upsert: 201 when it creates).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lightkube import ApiError, Client, KubeConfig
from lightkube.models.apps_v1 import DeploymentSpec
from lightkube.models.core_v1 import Container, PodSpec, PodTemplateSpec
from lightkube.models.meta_v1 import LabelSelector, ObjectMeta
from lightkube.operators import exists, in_, not_equal, not_exists, not_in
from lightkube.resources.apps_v1 import Deployment
from lightkube.resources.core_v1 import ConfigMap, Namespace, Pod
from lightkube.types import PatchType

from fakeapi.testing import RunningServer
from tests.conformance.conftest import wait_until

NS = "lk-ns"


@pytest.fixture(scope="module")
def lk(cluster: RunningServer) -> Iterator[Client]:
    client = Client(config=KubeConfig.from_file(str(cluster.kubeconfig)), namespace=NS, field_manager="conformance")
    client.create(Namespace(metadata=ObjectMeta(name=NS)))
    yield client


def cm(name: str, labels: dict[str, str] | None = None, data: dict[str, str] | None = None) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, labels=labels), data=data or {"k": "v"})


def deployment(name: str) -> Deployment:
    return Deployment(
        metadata=ObjectMeta(name=name, labels={"app": name}),
        spec=DeploymentSpec(
            replicas=1, selector=LabelSelector(matchLabels={"app": name}),
            template=PodTemplateSpec(metadata=ObjectMeta(labels={"app": name}), spec=PodSpec(containers=[
                Container(name="main", image="nginx:1.25"),
                Container(name="side", image="busybox:1.36", command=["sleep", "3600"])]))))


def test_create_get_delete(lk: Client) -> None:
    created = lk.create(cm("crud"))
    assert isinstance(created, ConfigMap)
    assert created.metadata.uid and created.metadata.creationTimestamp
    got = lk.get(ConfigMap, "crud")
    assert got.data == {"k": "v"} and got.metadata.namespace == NS
    lk.delete(ConfigMap, "crud")
    with pytest.raises(ApiError) as info:
        lk.get(ConfigMap, "crud")
    assert info.value.status.code == 404
    assert info.value.status.reason == "NotFound"
    assert info.value.status.message == 'configmaps "crud" not found'


def test_create_conflict_is_already_exists(lk: Client) -> None:
    lk.create(cm("dup"))
    with pytest.raises(ApiError) as info:
        lk.create(cm("dup"))
    assert info.value.status.code == 409 and info.value.status.reason == "AlreadyExists"


def test_list_with_labels(lk: Client) -> None:
    for name, labels in [("l-a", {"app": "l", "version": "1.0.0", "tier": "fe"}),
                         ("l-b", {"app": "l", "version": "1.0.1"}),
                         ("l-c", {"app": "l", "version": "2.0.0"})]:
        lk.create(cm(name, labels))

    def names(**labels: object) -> list[str]:
        return sorted(o.metadata.name for o in lk.list(ConfigMap, labels=labels))  # type: ignore[arg-type]

    assert names(app="l") == ["l-a", "l-b", "l-c"]
    assert names(app="l", version=in_(["1.0.0", "1.0.1"])) == ["l-a", "l-b"]
    assert names(app="l", version=not_in(["1.0.0"])) == ["l-b", "l-c"]
    assert names(app="l", tier=not_equal("fe")) == ["l-b", "l-c"]
    assert names(app="l", tier=not_exists()) == ["l-b", "l-c"]
    assert names(tier=exists()) == ["l-a"]
    assert [o.metadata.name for o in lk.list(ConfigMap, labels={"app": "l"}, chunk_size=1)] == ["l-a", "l-b", "l-c"]
    assert sorted(o.metadata.name for o in lk.list(ConfigMap, fields={"metadata.name": "l-b"})) == ["l-b"]


def test_patch_merge_strategic_json(lk: Client) -> None:
    lk.create(deployment("patched"))
    merged = lk.patch(Deployment, "patched", {"metadata": {"labels": {"m": "1"}}}, patch_type=PatchType.MERGE)
    assert merged.metadata.labels == {"app": "patched", "m": "1"}

    smp = lk.patch(Deployment, "patched",
                   {"spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox:1.37"}]}}}})
    assert [(c.name, c.image) for c in smp.spec.template.spec.containers] == [
        ("main", "nginx:1.25"), ("side", "busybox:1.37")]

    jp = lk.patch(Deployment, "patched", [{"op": "replace", "path": "/spec/replicas", "value": 0}],
                  patch_type=PatchType.JSON)
    assert jp.spec.replicas == 0

    # merge patch replaces lists wholesale
    merged = lk.patch(Deployment, "patched",
                      {"spec": {"template": {"spec": {"containers": [{"name": "only", "image": "nginx:1.27"}]}}}},
                      patch_type=PatchType.MERGE)
    assert [c.name for c in merged.spec.template.spec.containers] == ["only"]


@pytest.mark.timeout(30)
def test_watch_and_resume(lk: Client) -> None:
    lk.create(cm("w-1", {"app": "w"}))
    events: list[tuple[str, str]] = []
    last_rv = ""
    for op, obj in lk.watch(ConfigMap, labels={"app": "w"}):
        events.append((op, obj.metadata.name))
        last_rv = obj.metadata.resourceVersion
        if op == "ADDED" and obj.metadata.name == "w-1":
            lk.patch(ConfigMap, "w-1", {"data": {"x": "y"}})
        elif op == "MODIFIED":
            break
    assert events == [("ADDED", "w-1"), ("MODIFIED", "w-1")]

    lk.create(cm("w-2", {"app": "w"}))
    lk.delete(ConfigMap, "w-1")
    resumed: list[tuple[str, str]] = []
    for op, obj in lk.watch(ConfigMap, labels={"app": "w"}, resource_version=last_rv):
        resumed.append((op, obj.metadata.name))
        if op == "DELETED":
            break
    assert resumed == [("ADDED", "w-2"), ("DELETED", "w-1")]


def test_apply_creates_then_updates(lk: Client, cluster: RunningServer) -> None:
    created = lk.apply(cm("applied", {"app": "applied"}, {"color": "blue"}))
    assert created.metadata.uid and created.data == {"color": "blue"}
    assert [(m.manager, m.operation) for m in created.metadata.managedFields] == [("conformance", "Apply")]
    updated = lk.apply(cm("applied", {"app": "applied"}, {"color": "green"}))
    assert updated.metadata.uid == created.metadata.uid and updated.data == {"color": "green"}

    # the same request on the wire: 201 when the apply creates, 200 when it updates
    url = f"{cluster.url}/api/v1/namespaces/{NS}/configmaps/raw-apply?fieldManager=conformance"
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw-apply\ndata:\n  a: '1'\n"
    headers = {"Content-Type": "application/apply-patch+yaml"}
    assert httpx.patch(url, content=body, headers=headers).status_code == 201
    assert httpx.patch(url, content=body, headers=headers).status_code == 200
    missing_manager = httpx.patch(url.split("?")[0], content=body, headers=headers)
    assert missing_manager.status_code == 422
    assert "fieldManager: Required value: is required for apply patch" in missing_manager.json()["message"]


def test_apply_conflict_and_force(lk: Client) -> None:
    lk.apply(cm("contested", data={"color": "blue"}))
    other = lk.patch(ConfigMap, "contested", {"data": {"color": "red"}}, patch_type=PatchType.MERGE,
                     field_manager="someone-else")
    assert other.data == {"color": "red"}
    with pytest.raises(ApiError) as info:
        lk.apply(cm("contested", data={"color": "blue"}))
    assert info.value.status.code == 409 and info.value.status.reason == "Conflict"
    assert info.value.status.message == 'Apply failed with 1 conflict: conflict with "someone-else" using v1: .data.color'
    forced = lk.apply(cm("contested", data={"color": "blue"}), force=True)
    assert forced.data == {"color": "blue"}


def test_pods_of_a_running_cluster(lk: Client) -> None:
    lk.create(Pod(metadata=ObjectMeta(name="lk-pod"), spec=PodSpec(containers=[
        Container(name="main", image="nginx:1.25")])))
    pod = wait_until(lambda: (p := lk.get(Pod, "lk-pod")).status.phase == "Running" and p, timeout=15,
                     what="lk-pod Running")
    assert pod.status.containerStatuses[0].ready is True
    assert pod.status.containerStatuses[0].imageID
    lk.delete(Pod, "lk-pod", grace_period=0)
    wait_until(lambda: not list(lk.list(Pod, fields={"metadata.name": "lk-pod"})), timeout=10,
               what="lk-pod to be gone")


@pytest.mark.timeout(30)
def test_watch_too_old_version_is_an_api_error_410_and_retry_recovers(api: RunningServer) -> None:
    from lightkube.types import on_error_retry

    client = Client(config=KubeConfig.from_file(str(api.kubeconfig)), namespace="default")
    first = client.create(cm("expiring", {"app": "exp"}))
    for i in range(3):
        client.create(cm(f"exp-filler-{i}", {"app": "exp"}))
    assert api.server is not None
    api.server.storage.compact(api.server.storage.revision - 1)

    with pytest.raises(ApiError) as info:
        next(iter(client.watch(ConfigMap, labels={"app": "exp"}, resource_version=first.metadata.resourceVersion)))
    assert info.value.status.code == 410 and info.value.status.reason == "Expired"
    assert info.value.status.message.startswith(f"too old resource version: {first.metadata.resourceVersion} (")

    # on_error_retry: the driver drops the version and restarts, getting the current state as ADDED
    seen = set()
    for op, obj in client.watch(ConfigMap, labels={"app": "exp"}, resource_version=first.metadata.resourceVersion,
                                on_error=on_error_retry):
        assert op == "ADDED"
        seen.add(obj.metadata.name)
        if len(seen) == 4:
            break
    assert seen == {"expiring", "exp-filler-0", "exp-filler-1", "exp-filler-2"}
