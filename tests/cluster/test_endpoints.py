"""The endpoints and endpointslice controllers, and the apiserver's `kubernetes` Service: ready and
not-ready addresses, targetRef/nodeName/hostname, ports resolved per pod, slice labels/owner/conditions,
headless services, clean-up when the Service goes."""

from __future__ import annotations

import time
from typing import Any, TypeVar

import httpx

from tests.cluster.polling import wait_for

T = TypeVar("T")
Obj = dict[str, Any]
MANAGED = "endpointslice.kubernetes.io/managed-by"


def pod(name: str, labels: dict[str, str], *, ready: bool = True, **spec: Any) -> Obj:
    container: Obj = {"name": "web", "image": "nginx:1.25", "ports": [{"name": "http", "containerPort": 8080}]}
    if not ready:
        container["readinessProbe"] = {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 1}
    return {"metadata": {"name": name, "labels": labels}, "spec": {"containers": [container], **spec}}


def service(name: str, selector: dict[str, str] | None, **spec: Any) -> Obj:
    body: Obj = {"ports": [{"name": "http", "port": 80, "targetPort": "http"}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {"metadata": {"name": name, "labels": {"tier": "front"}}, "spec": body}


def get(api: httpx.Client, path: str) -> Obj | None:
    r = api.get(path)
    return r.json() if r.status_code == 200 else None


def slices(api: httpx.Client, ns: str, svc: str) -> list[Obj]:
    return api.get(f"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices",
                   params={"labelSelector": f"kubernetes.io/service-name={svc}"}).json()["items"]


def test_the_kubernetes_service_points_at_the_apiserver(api: httpx.Client) -> None:
    svc = wait_for(lambda: get(api, "/api/v1/namespaces/default/services/kubernetes"))
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    ep = wait_for(lambda: get(api, "/api/v1/namespaces/default/endpoints/kubernetes"))
    assert ep["subsets"] == [{"addresses": [{"ip": "172.18.0.2"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    es = wait_for(lambda: get(api, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes"))
    assert es["endpoints"] == [{"addresses": ["172.18.0.2"], "conditions": {"ready": True}}]
    assert es["metadata"]["labels"] == {"kubernetes.io/service-name": "kubernetes"}


def test_the_kubernetes_service_is_recreated(api: httpx.Client) -> None:
    wait_for(lambda: get(api, "/api/v1/namespaces/default/services/kubernetes"))
    assert api.delete("/api/v1/namespaces/default/services/kubernetes").status_code == 200
    svc = wait_for(lambda: get(api, "/api/v1/namespaces/default/services/kubernetes"))
    assert svc["spec"]["clusterIP"] == "10.96.0.1"


def test_ready_pods_are_addresses_with_resolved_ports(api: httpx.Client, ns: str) -> None:
    for i in range(2):
        assert api.post(f"/api/v1/namespaces/{ns}/pods", json=pod(f"web-{i}", {"app": "web"})).status_code == 201
    api.post(f"/api/v1/namespaces/{ns}/pods", json=pod("other", {"app": "other"}))
    assert api.post(f"/api/v1/namespaces/{ns}/services", json=service("web", {"app": "web"})).status_code == 201

    def two_ready() -> Obj | None:
        ep = get(api, f"/api/v1/namespaces/{ns}/endpoints/web")
        subsets = (ep or {}).get("subsets") or []
        return ep if len(subsets) == 1 and len(subsets[0].get("addresses") or []) == 2 else None

    ep = wait_for(two_ready)
    subset = ep["subsets"][0]
    assert subset["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    assert "notReadyAddresses" not in subset
    pods = {p["metadata"]["name"]: p for p in api.get(f"/api/v1/namespaces/{ns}/pods").json()["items"]}
    for address in subset["addresses"]:
        p = pods[address["targetRef"]["name"]]
        assert address["ip"] == p["status"]["podIP"]
        assert address["nodeName"] == p["spec"]["nodeName"]
        assert address["targetRef"] == {"kind": "Pod", "namespace": ns, "name": p["metadata"]["name"],
                                        "uid": p["metadata"]["uid"]}
        assert "hostname" not in address
    assert [a["ip"] for a in subset["addresses"]] == sorted(a["ip"] for a in subset["addresses"])
    assert ep["metadata"]["labels"] == {"tier": "front"}
    assert "endpoints.kubernetes.io/last-change-trigger-time" in ep["metadata"]["annotations"]

    es = wait_for(lambda: (s := slices(api, ns, "web")) and len(s[0].get("endpoints") or []) == 2 and s)
    assert len(es) == 1
    s = es[0]
    svc = get(api, f"/api/v1/namespaces/{ns}/services/web")
    assert s["metadata"]["name"].startswith("web-") and len(s["metadata"]["name"]) == len("web-") + 5
    assert s["metadata"]["labels"] == {"tier": "front", "kubernetes.io/service-name": "web",
                                       MANAGED: "endpointslice-controller.k8s.io"}
    assert s["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                                 "uid": svc["metadata"]["uid"], "controller": True,
                                                 "blockOwnerDeletion": True}]
    assert s["addressType"] == "IPv4"
    assert s["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    for endpoint in s["endpoints"]:
        assert endpoint["conditions"] == {"ready": True, "serving": True, "terminating": False}
        assert endpoint["targetRef"]["kind"] == "Pod" and endpoint["nodeName"].startswith("fakeapi-")


def test_unready_pods_are_not_ready_addresses(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/pods", json=pod("slow", {"app": "slow"}, ready=False))
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("slow", {"app": "slow"}))
    ep = wait_for(lambda: (e := get(api, f"/api/v1/namespaces/{ns}/endpoints/slow")) and e.get("subsets") and e)
    assert "addresses" not in ep["subsets"][0]
    assert [a["targetRef"]["name"] for a in ep["subsets"][0]["notReadyAddresses"]] == ["slow"]
    s = wait_for(lambda: (x := slices(api, ns, "slow")) and x[0].get("endpoints") and x)[0]
    assert s["endpoints"][0]["conditions"] == {"ready": False, "serving": False, "terminating": False}


def test_publish_not_ready_addresses(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/pods", json=pod("slow", {"app": "slow"}, ready=False))
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("slow", {"app": "slow"}, publishNotReadyAddresses=True))
    ep = wait_for(lambda: (e := get(api, f"/api/v1/namespaces/{ns}/endpoints/slow")) and e.get("subsets") and e)
    assert [a["targetRef"]["name"] for a in ep["subsets"][0]["addresses"]] == ["slow"]
    s = wait_for(lambda: (x := slices(api, ns, "slow")) and x[0].get("endpoints") and x)[0]
    assert s["endpoints"][0]["conditions"] == {"ready": True, "serving": False, "terminating": False}


def test_a_service_without_pods_has_empty_endpoints_and_a_placeholder_slice(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("lonely", {"app": "nobody"}))
    ep = wait_for(lambda: get(api, f"/api/v1/namespaces/{ns}/endpoints/lonely"))
    assert ep.get("subsets") in (None, [])
    s = wait_for(lambda: slices(api, ns, "lonely"))
    assert len(s) == 1 and not s[0].get("endpoints") and not s[0].get("ports")


def test_a_service_without_selector_gets_nothing(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("manual", None))
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("marker", {"app": "x"}))
    wait_for(lambda: get(api, f"/api/v1/namespaces/{ns}/endpoints/marker"))
    assert get(api, f"/api/v1/namespaces/{ns}/endpoints/manual") is None
    assert slices(api, ns, "manual") == []


def test_headless_service_publishes_hostnames(api: httpx.Client, ns: str) -> None:
    for i in range(2):
        body = pod(f"db-{i}", {"app": "db"}, hostname=f"db-{i}", subdomain="db")
        assert api.post(f"/api/v1/namespaces/{ns}/pods", json=body).status_code == 201
    headless = service("db", {"app": "db"}, clusterIP="None")
    headless["spec"]["ports"] = [{"name": "web", "port": 80, "targetPort": 8080}]
    assert api.post(f"/api/v1/namespaces/{ns}/services", json=headless).status_code == 201
    ep = wait_for(lambda: (e := get(api, f"/api/v1/namespaces/{ns}/endpoints/db")) and e.get("subsets")
                  and len(e["subsets"][0].get("addresses") or []) == 2 and e)
    assert sorted(a["hostname"] for a in ep["subsets"][0]["addresses"]) == ["db-0", "db-1"]
    assert ep["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    s = wait_for(lambda: (x := slices(api, ns, "db")) and len(x[0].get("endpoints") or []) == 2 and x)[0]
    assert sorted(e["hostname"] for e in s["endpoints"]) == ["db-0", "db-1"]
    assert s["metadata"]["labels"]["service.kubernetes.io/headless"] == ""


def test_headless_service_without_ports(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/pods", json=pod("solo", {"app": "solo"}))
    api.post(f"/api/v1/namespaces/{ns}/services",
             json={"metadata": {"name": "solo"}, "spec": {"clusterIP": "None", "selector": {"app": "solo"}}})
    ep = wait_for(lambda: (e := get(api, f"/api/v1/namespaces/{ns}/endpoints/solo")) and e.get("subsets") and e)
    assert ep["subsets"] == [{"addresses": ep["subsets"][0]["addresses"]}]


def test_named_port_missing_on_a_pod_leaves_it_out(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/pods", json=pod("named", {"app": "mix"}))
    bare = pod("bare", {"app": "mix"})
    bare["spec"]["containers"][0]["ports"] = [{"name": "metrics", "containerPort": 9100}]
    api.post(f"/api/v1/namespaces/{ns}/pods", json=bare)
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("mix", {"app": "mix"}))
    wait_for(lambda: all(p.get("status", {}).get("podIP") and
                         any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
                         for p in api.get(f"/api/v1/namespaces/{ns}/pods").json()["items"]))
    ep = wait_for(lambda: (e := get(api, f"/api/v1/namespaces/{ns}/endpoints/mix")) and e.get("subsets") and e)
    time.sleep(0.1)
    ep = get(api, f"/api/v1/namespaces/{ns}/endpoints/mix")
    assert [a["targetRef"]["name"] for s in ep["subsets"] for a in s.get("addresses", [])] == ["named"]


def test_label_change_and_service_deletion(api: httpx.Client, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/pods", json=pod("w", {"app": "w"}))
    api.post(f"/api/v1/namespaces/{ns}/services", json=service("w", {"app": "w"}))
    wait_for(lambda: (e := get(api, f"/api/v1/namespaces/{ns}/endpoints/w")) and e.get("subsets"))
    before = wait_for(lambda: (x := slices(api, ns, "w")) and x[0].get("endpoints") and x)[0]["metadata"]["name"]
    r = api.patch(f"/api/v1/namespaces/{ns}/pods/w", json={"metadata": {"labels": {"app": "moved"}}},
                  headers={"Content-Type": "application/merge-patch+json"})
    assert r.status_code == 200
    wait_for(lambda: not (get(api, f"/api/v1/namespaces/{ns}/endpoints/w") or {}).get("subsets"))
    wait_for(lambda: not slices(api, ns, "w")[0].get("endpoints"))
    assert [x["metadata"]["name"] for x in slices(api, ns, "w")] == [before]  # updated, not replaced
    assert api.delete(f"/api/v1/namespaces/{ns}/services/w").status_code == 200
    wait_for(lambda: get(api, f"/api/v1/namespaces/{ns}/endpoints/w") is None)
    wait_for(lambda: slices(api, ns, "w") == [])
