"""kr8s (sync API) against fakeapi: legacy discovery with trailing slashes (`/version/`, `/api/`, `/apis/`),
`Accept: */*`, merge patch by default, label selectors, watch and delete.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import kr8s
import pytest
from kr8s.objects import ConfigMap, Deployment, Pod

from fakeapi.testing import RunningServer
from tests.conformance.conftest import wait_until

NS = "kr8s-ns"


@pytest.fixture(scope="module")
def api(cluster: RunningServer, http_cluster: httpx.Client) -> Iterator[Any]:
    assert http_cluster.post("/api/v1/namespaces", json={"metadata": {"name": NS}}).status_code == 201
    with warnings.catch_warnings():
        # kr8s warns about server versions newer than the ones it was tested with
        warnings.simplefilter("ignore")
        yield kr8s.api(kubeconfig=str(cluster.kubeconfig), namespace=NS)


def cm(api: Any, name: str, **extra: Any) -> Any:
    return ConfigMap({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": NS, **extra},
                      "data": {"k": "v"}}, api=api)


def test_version_and_discovery(api: Any) -> None:
    version = api.version()
    assert version["major"] == "1" and version["minor"] == "37" and version["gitVersion"] == "v1.37.0"
    resources = {r["name"]: r for r in api.api_resources()}
    assert resources["deployments"]["singularName"] == "deployment"
    assert resources["deployments"]["shortNames"] == ["deploy"]
    assert resources["pods"]["namespaced"] is True and resources["nodes"]["namespaced"] is False
    assert "apps/v1" in set(api.api_versions())
    assert api.lookup_kind("deploy") == ("deployment.apps/v1", "deployments", True)


def test_url_only_api(cluster: RunningServer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_url = kr8s.api(url=cluster.url)
    nodes = list(by_url.get("nodes"))
    assert {n.name for n in nodes} == {"fakeapi-control-plane", "fakeapi-worker", "fakeapi-worker2"}


def test_create_get_patch_delete(api: Any) -> None:
    obj = cm(api, "crud", labels={"app": "crud"})
    obj.create()
    assert obj.metadata.uid and obj.metadata.resourceVersion
    got = ConfigMap.get("crud", namespace=NS, api=api)
    assert got.raw["data"] == {"k": "v"} and got.labels == {"app": "crud"}

    got.patch({"data": {"k2": "v2"}})  # merge patch, kr8s' default
    assert got.raw["data"] == {"k": "v", "k2": "v2"}
    got.patch([{"op": "remove", "path": "/data/k"}], type="json")
    assert got.raw["data"] == {"k2": "v2"}
    got.label(tier="fe")
    got.refresh()
    assert got.labels == {"app": "crud", "tier": "fe"}

    got.delete()
    assert not got.exists()
    with pytest.raises(kr8s.NotFoundError):
        ConfigMap.get("crud", namespace=NS, api=api)


def test_list_with_label_selectors(api: Any) -> None:
    for name, labels in [("sel-a", {"app": "sel", "version": "1.0.0"}), ("sel-b", {"app": "sel", "version": "1.0.1"}),
                         ("sel-c", {"app": "sel", "version": "2.0.0", "tier": "x"})]:
        cm(api, name, labels=labels).create()

    def names(selector: Any) -> list[str]:
        return sorted(o.name for o in api.get("configmaps", namespace=NS, label_selector=selector))

    assert names({"app": "sel"}) == ["sel-a", "sel-b", "sel-c"]
    assert names("version in (1.0.0,1.0.1)") == ["sel-a", "sel-b"]
    assert names("app=sel,version!=1.0.0") == ["sel-b", "sel-c"]
    assert names("app=sel,!tier") == ["sel-a", "sel-b"]
    assert [o.name for o in ConfigMap.list(namespace=NS, label_selector="tier=x", api=api)] == ["sel-c"]
    assert names("app=none") == []


def test_list_follows_pagination(api: Any) -> None:
    # kr8s asks for limit=100 pages and follows `continue`
    for i in range(105):
        cm(api, f"page-{i:03d}", labels={"app": "page"}).create()
    got = [o.name for o in api.get("configmaps", namespace=NS, label_selector="app=page")]
    assert got == [f"page-{i:03d}" for i in range(105)]


@pytest.mark.timeout(30)
def test_watch(api: Any) -> None:
    cm(api, "watched", labels={"app": "watched"}).create()
    seen: list[tuple[str, str]] = []
    for event, obj in api.watch("configmaps", namespace=NS, label_selector="app=watched"):
        seen.append((event, obj.name))
        if event == "ADDED" and obj.name == "watched":
            ConfigMap.get("watched", namespace=NS, api=api).patch({"data": {"changed": "yes"}})
        elif event == "MODIFIED":
            assert obj.raw["data"]["changed"] == "yes"
            ConfigMap.get("watched", namespace=NS, api=api).delete()
        elif event == "DELETED":
            break
    assert seen == [("ADDED", "watched"), ("MODIFIED", "watched"), ("DELETED", "watched")]


def test_pod_wait_ready_and_deployment_scale(api: Any) -> None:
    pod = Pod({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "kr8s-pod", "namespace": NS},
               "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}}, api=api)
    pod.create()
    pod.wait("condition=Ready", timeout=20)
    assert pod.ready()
    assert pod.status.phase == "Running"

    deploy = Deployment({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "kr8s-deploy",
                                                                                    "namespace": NS},
                         "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "kr8s-deploy"}},
                                  "template": {"metadata": {"labels": {"app": "kr8s-deploy"}},
                                               "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}}}},
                        api=api)
    deploy.create()
    # Deployment.get sends the name twice as a field selector: metadata.name=x,metadata.name=x
    assert Deployment.get("kr8s-deploy", namespace=NS, api=api).name == "kr8s-deploy"
    deploy.scale(2)
    assert deploy.replicas == 2
    wait_until(lambda: len(list(api.get("pods", namespace=NS, label_selector="app=kr8s-deploy"))) == 2,
               timeout=15, what="the deployment's 2 pods")
