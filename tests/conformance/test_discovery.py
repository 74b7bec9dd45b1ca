"""Discovery, /version, health and OpenAPI endpoints, as the clients request them.

Legacy JSON is what kr8s (`Accept: */*`, trailing slashes) and the Python DynamicClient
(`Accept: application/json`) read; aggregated v2 only with kubectl's Accept header and then with the exact
Content-Type client-go keys on.
"""

from __future__ import annotations

import httpx
import pytest
from kubernetes import config, dynamic

from fakeapi.testing import RunningServer

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
KUBECTL_ACCEPT = (f"{AGGREGATED},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
                  "application/json")

# real apiserver shortNames / categories for the kinds fakeapi serves
SHORT_NAMES = {
    ("", "pods"): ["po"], ("", "services"): ["svc"], ("", "namespaces"): ["ns"], ("", "nodes"): ["no"],
    ("", "configmaps"): ["cm"], ("", "endpoints"): ["ep"], ("", "events"): ["ev"],
    ("", "persistentvolumeclaims"): ["pvc"], ("", "persistentvolumes"): ["pv"], ("", "serviceaccounts"): ["sa"],
    ("apps", "deployments"): ["deploy"], ("apps", "replicasets"): ["rs"], ("apps", "statefulsets"): ["sts"],
    ("apps", "daemonsets"): ["ds"], ("batch", "cronjobs"): ["cj"], ("networking.k8s.io", "ingresses"): ["ing"],
    ("autoscaling", "horizontalpodautoscalers"): ["hpa"], ("storage.k8s.io", "storageclasses"): ["sc"],
}
NO_SHORT_NAMES = {("", "secrets"), ("batch", "jobs"), ("coordination.k8s.io", "leases"),
                  ("discovery.k8s.io", "endpointslices"), ("apps", "controllerrevisions")}
CATEGORY_ALL = {("", "pods"), ("", "services"), ("apps", "deployments"), ("apps", "replicasets"),
                ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
                ("autoscaling", "horizontalpodautoscalers")}


def legacy_resources(http: httpx.Client) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    out = {}
    for r in http.get("/api/v1").json()["resources"]:
        out[("", r["name"])] = r
    for group in http.get("/apis").json()["groups"]:
        gv = group["preferredVersion"]["groupVersion"]
        for r in http.get(f"/apis/{gv}").json()["resources"]:
            out[(group["name"], r["name"])] = r
    return out


@pytest.mark.parametrize("path", ["/api", "/api/"])
def test_core_versions_legacy(http_api: httpx.Client, path: str) -> None:
    for accept in ("*/*", "application/json", None):
        r = http_api.get(path, headers={"Accept": accept} if accept else {})
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json"
        body = r.json()
        assert body["kind"] == "APIVersions" and body["versions"] == ["v1"]
        assert body["serverAddressByClientCIDRs"][0]["clientCIDR"] == "0.0.0.0/0"


@pytest.mark.parametrize("path", ["/apis", "/apis/"])
def test_group_list_legacy(http_api: httpx.Client, path: str) -> None:
    r = http_api.get(path, headers={"Accept": "*/*"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["kind"] == "APIGroupList" and body["apiVersion"] == "v1"
    groups = {g["name"]: g for g in body["groups"]}
    for name in ["apps", "batch", "networking.k8s.io", "autoscaling", "storage.k8s.io", "coordination.k8s.io",
                 "discovery.k8s.io"]:
        assert name in groups, name
        assert groups[name]["preferredVersion"]["groupVersion"] in [v["groupVersion"] for v in groups[name]["versions"]]
    assert groups["apps"]["versions"] == [{"groupVersion": "apps/v1", "version": "v1"}]
    assert groups["apps"]["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/"])
def test_core_resource_list(http_api: httpx.Client, path: str) -> None:
    r = http_api.get(path, headers={"Accept": "application/json, */*"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["kind"] == "APIResourceList" and body["groupVersion"] == "v1"
    by_name = {res["name"]: res for res in body["resources"]}
    for res in body["resources"]:
        assert {"name", "singularName", "namespaced", "kind", "verbs"} <= set(res), res
    pods = by_name["pods"]
    assert (pods["singularName"], pods["namespaced"], pods["kind"]) == ("pod", True, "Pod")
    assert sorted(pods["verbs"]) == ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    assert by_name["pods/log"]["kind"] == "Pod" and by_name["pods/log"]["verbs"] == ["get"]
    assert by_name["pods/status"]["verbs"] == ["get", "patch", "update"]
    assert by_name["pods/binding"]["kind"] == "Binding"
    assert by_name["namespaces"]["namespaced"] is False and by_name["nodes"]["namespaced"] is False
    assert by_name["namespaces/finalize"]["verbs"] == ["update"]


@pytest.mark.parametrize("path", ["/apis/apps/v1", "/apis/apps/v1/"])
def test_apps_resource_list_with_scale_subresource(http_api: httpx.Client, path: str) -> None:
    body = http_api.get(path, headers={"Accept": "*/*"}).json()
    assert body["kind"] == "APIResourceList" and body["groupVersion"] == "apps/v1"
    by_name = {res["name"]: res for res in body["resources"]}
    d = by_name["deployments"]
    assert (d["singularName"], d["namespaced"], d["kind"], d["shortNames"], d["categories"]) == (
        "deployment", True, "Deployment", ["deploy"], ["all"])
    for owner in ("deployments", "replicasets", "statefulsets"):
        scale = by_name[f"{owner}/scale"]
        assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale"), scale
        assert sorted(scale["verbs"]) == ["get", "patch", "update"]
        assert scale["singularName"] == "" and scale["namespaced"] is True
    assert by_name["deployments/status"]["kind"] == "Deployment"


def test_short_names_and_categories(http_api: httpx.Client) -> None:
    resources = legacy_resources(http_api)
    for key, short in SHORT_NAMES.items():
        assert resources[key].get("shortNames") == short, key
    for key in NO_SHORT_NAMES:
        assert not resources[key].get("shortNames"), key
    in_all = {key for key, r in resources.items() if "all" in (r.get("categories") or [])}
    assert in_all == CATEGORY_ALL


def test_aggregated_discovery_only_when_asked(http_api: httpx.Client) -> None:
    for path in ("/api", "/apis"):
        r = http_api.get(path, headers={"Accept": KUBECTL_ACCEPT})
        assert r.status_code == 200
        assert r.headers["content-type"] == AGGREGATED
        body = r.json()
        assert body["kind"] == "APIGroupDiscoveryList" and body["apiVersion"] == "apidiscovery.k8s.io/v2"
    core = http_api.get("/api", headers={"Accept": AGGREGATED}).json()
    assert len(core["items"]) == 1 and not core["items"][0]["metadata"].get("name")
    pods = next(r for r in core["items"][0]["versions"][0]["resources"] if r["resource"] == "pods")
    assert pods["responseKind"] == {"group": "", "version": "v1", "kind": "Pod"}
    assert pods["scope"] == "Namespaced" and pods["singularResource"] == "pod" and pods["shortNames"] == ["po"]

    groups = http_api.get("/apis", headers={"Accept": AGGREGATED}).json()["items"]
    apps = next(g for g in groups if g["metadata"]["name"] == "apps")
    assert apps["versions"][0]["version"] == "v1" and apps["versions"][0]["freshness"] == "Current"
    for g in groups:
        for v in g["versions"]:
            for res in v["resources"]:
                assert res.get("responseKind"), res  # client-go drops resources without one
    deploy = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    subs = {s["subresource"]: s for s in deploy["subresources"]}
    assert subs["scale"]["responseKind"] == {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    assert subs["status"]["responseKind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    assert deploy["categories"] == ["all"]

    # without as=APIGroupDiscoveryList: legacy, whatever else the Accept says
    for accept in ("application/json", "*/*", "application/json, */*"):
        r = http_api.get("/apis", headers={"Accept": accept})
        assert r.headers["content-type"] == "application/json" and r.json()["kind"] == "APIGroupList"
    # a group-version document is always legacy
    r = http_api.get("/apis/apps/v1", headers={"Accept": KUBECTL_ACCEPT})
    assert r.json()["kind"] == "APIResourceList"


def test_unknown_group_version_is_404_status(http_api: httpx.Client) -> None:
    for path in ("/apis/nope.example.com/v1", "/api/v2", "/apis/apps/v9"):
        r = http_api.get(path)
        assert r.status_code == 404, path
        assert r.json()["kind"] == "Status" and r.json()["reason"] == "NotFound"


@pytest.mark.parametrize("path", ["/version", "/version/"])
def test_version(http_api: httpx.Client, path: str) -> None:
    info = http_api.get(path).json()
    assert info["major"] == "1" and info["minor"] == "37"
    assert info["gitVersion"] == "v1.37.0"
    for key in ("gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"):
        assert isinstance(info[key], str) and info[key], key


@pytest.mark.parametrize("path", ["/healthz", "/livez", "/readyz"])
def test_health(http_api: httpx.Client, path: str) -> None:
    r = http_api.get(path)
    assert r.status_code == 200 and r.text == "ok"


def test_openapi(http_api: httpx.Client) -> None:
    assert http_api.get("/openapi/v2").status_code == 404
    index = http_api.get("/openapi/v3")
    assert index.status_code == 200
    paths = index.json()["paths"]
    assert {"api/v1", "apis/apps/v1", "apis/batch/v1"} <= set(paths)
    url = paths["apis/apps/v1"]["serverRelativeURL"]
    assert url.startswith("/openapi/v3/apis/apps/v1?hash=")
    doc = http_api.get(url, headers={"Accept": "application/json"}).json()
    assert doc["openapi"].startswith("3.")
    assert "io.k8s.api.apps.v1.Deployment" in doc["components"]["schemas"]
    patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    # kubectl's strict validation asks whether the PATCH operation declares fieldValidation
    assert {"name": "fieldValidation", "in": "query"}.items() <= next(
        p for p in patch["parameters"] if p.get("name") == "fieldValidation").items()
    assert "application/strategic-merge-patch+json" in patch["requestBody"]["content"]
    assert "application/apply-patch+yaml" in patch["requestBody"]["content"]


def test_python_dynamic_client_discovers(api: RunningServer) -> None:
    api_client = config.new_client_from_config(config_file=str(api.kubeconfig))
    try:
        dyn = dynamic.DynamicClient(api_client)
        deployments = dyn.resources.get(api_version="apps/v1", kind="Deployment")
        assert deployments.namespaced and deployments.name == "deployments"
        assert dyn.resources.get(api_version="v1", kind="Pod").short_names == ["po"]
        namespaces = dyn.resources.get(api_version="v1", kind="Namespace")
        names = {item.metadata.name for item in namespaces.get().items}
        assert {"default", "kube-system", "kube-public", "kube-node-lease"} <= names
    finally:
        api_client.close()
