"""Discovery and REST mapping against an injected transport (httpx.MockTransport), with a disk cache in
kubectl's layout."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import pytest

from fkubectl.client.client import Client
from fkubectl.client.discovery import Discovery, cache_dir_for
from fkubectl.client.httpx_transport import HttpxTransport
from fkubectl.client.mapper import NoResourceType, RESTMapper

AGG = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def resource(name: str, kind: str, *, group: str = "", short: list[str] | None = None,
             categories: list[str] | None = None, namespaced: bool = True) -> dict[str, object]:
    return {"resource": name, "responseKind": {"group": group, "version": "v1", "kind": kind},
            "scope": "Namespaced" if namespaced else "Cluster", "singularResource": kind.lower(),
            "verbs": ["get", "list", "watch"], "shortNames": short or [], "categories": categories or [],
            "subresources": [{"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1",
                                                                       "kind": "Scale"}, "verbs": ["get"]}]
            if kind == "Deployment" else []}


CORE = {"kind": "APIGroupDiscoveryList", "items": [{"metadata": {}, "versions": [{"version": "v1", "resources": [
    resource("pods", "Pod", short=["po"], categories=["all"]), resource("events", "Event", short=["ev"]),
    resource("namespaces", "Namespace", short=["ns"], namespaced=False)]}]}]}
APIS = {"kind": "APIGroupDiscoveryList", "items": [
    {"metadata": {"name": "apps"}, "versions": [{"version": "v1", "resources": [
        resource("deployments", "Deployment", group="apps", short=["deploy"], categories=["all"])]}]},
    {"metadata": {"name": "events.k8s.io"}, "versions": [{"version": "v1", "resources": [
        resource("events", "Event", group="events.k8s.io", short=["ev"])]}]}]}


class Server:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url.path)
        body = {"/api": CORE, "/apis": APIS}.get(request.url.path)
        if body is None:
            return httpx.Response(404, json={"kind": "Status", "code": 404, "reason": "NotFound", "message": "nope"})
        return httpx.Response(200, content=json.dumps(body), headers={"content-type": AGG})


@pytest.fixture
def server() -> Server:
    return Server()


def discovery(server: Server, tmp_path: Path) -> Discovery:
    client = Client(HttpxTransport("http://test", transport=httpx.MockTransport(server)))
    return Discovery(client, cache_dir_for(str(tmp_path), "http://127.0.0.1:8080"))


def test_cache_dir_like_kubectl() -> None:
    assert cache_dir_for("/c", "https://10.0.0.1:6443/") == "/c/discovery/10.0.0.1_6443/"
    assert cache_dir_for("/c", "http://localhost:8080") == "/c/discovery/localhost_8080"


def test_aggregated_discovery_is_cached_in_kubectls_layout(server: Server, tmp_path: Path) -> None:
    d = discovery(server, tmp_path)
    mapping = RESTMapper(d).resolve("po")
    assert (mapping.resource, mapping.kind) == ("pods", "Pod")
    assert server.calls == ["/api", "/apis"]
    base = tmp_path / "discovery" / "127.0.0.1_8080"
    groups = json.loads((base / "servergroups.json").read_text())
    assert [g["name"] for g in groups["groups"]] == ["", "apps", "events.k8s.io"]
    apps = json.loads((base / "apps" / "v1" / "serverresources.json").read_text())
    assert [r["name"] for r in apps["resources"]] == ["deployments", "deployments/scale"]
    assert apps["resources"][1]["group"] == "autoscaling"
    server.calls.clear()
    assert RESTMapper(discovery(server, tmp_path)).resolve("deploy").group == "apps"
    assert server.calls == []


def test_expired_cache_is_refetched(server: Server, tmp_path: Path) -> None:
    RESTMapper(discovery(server, tmp_path)).resolve("pods")
    stale = time.time() - 7 * 3600
    for root, _, files in os.walk(tmp_path):
        for name in files:
            os.utime(os.path.join(root, name), (stale, stale))
    server.calls.clear()
    RESTMapper(discovery(server, tmp_path)).resolve("pods")
    assert server.calls == ["/api", "/apis"]


@pytest.mark.parametrize(("arg", "expected"), [
    ("pods", ("", "pods")), ("pod", ("", "pods")), ("Pod", ("", "pods")), ("PODS", ("", "pods")),
    ("deployments.apps", ("apps", "deployments")), ("deployments.v1.apps", ("apps", "deployments")),
    ("deploy", ("apps", "deployments")), ("events", ("", "events")), ("events.events.k8s.io",
                                                                     ("events.k8s.io", "events")),
    ("ev", ("", "events")),
])
def test_resolution(server: Server, tmp_path: Path, arg: str, expected: tuple[str, str]) -> None:
    m = RESTMapper(discovery(server, tmp_path)).resolve(arg)
    assert (m.group, m.resource) == expected


def test_categories_and_unknown_types(server: Server, tmp_path: Path) -> None:
    mapper = RESTMapper(discovery(server, tmp_path))
    assert [m.resource for m in mapper.expand("all")] == ["pods", "deployments"]
    with pytest.raises(NoResourceType, match='the server doesn\'t have a resource type "foo"'):
        mapper.resolve("foo")


def test_a_miss_on_cached_discovery_refreshes_once(server: Server, tmp_path: Path) -> None:
    RESTMapper(discovery(server, tmp_path)).resolve("pods")
    server.calls.clear()
    with pytest.raises(NoResourceType):
        RESTMapper(discovery(server, tmp_path)).resolve("foo")
    assert server.calls == ["/api", "/apis"]
