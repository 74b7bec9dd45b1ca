"""Server-side printing: meta.k8s.io/v1 Tables for lists, single objects and watch events, with
kubectl's columns per kind, wide cells always present and the includeObject variants.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import httpx
import pytest

from tests.conformance.conftest import wait_until

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
NS = "tables"
AGE = re.compile(r"^\d+s$")


@pytest.fixture(scope="module")
def seeded(http_cluster: httpx.Client) -> httpx.Client:
    http = http_cluster
    assert http.post("/api/v1/namespaces", json={"metadata": {"name": NS}}).status_code == 201
    assert http.post(f"/api/v1/namespaces/{NS}/pods", json={
        "metadata": {"name": "tpod", "labels": {"app": "t"}},
        "spec": {"containers": [{"name": "a", "image": "nginx:1.25"},
                                {"name": "b", "image": "busybox:1.36", "command": ["sleep", "3600"]}]}}).status_code == 201
    assert http.post(f"/apis/apps/v1/namespaces/{NS}/deployments", json={
        "metadata": {"name": "tdeploy"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "td"}},
                 "template": {"metadata": {"labels": {"app": "td"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}}).status_code == 201
    assert http.post(f"/api/v1/namespaces/{NS}/configmaps", json={
        "metadata": {"name": "tcm"}, "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}).status_code == 201
    assert http.post(f"/api/v1/namespaces/{NS}/services", json={
        "metadata": {"name": "tsvc"},
        "spec": {"selector": {"app": "td"}, "ports": [{"port": 80, "protocol": "TCP"}]}}).status_code == 201
    wait_until(lambda: {"type": "Ready", "status": "True"}.items() <= next(
        (c for c in http.get(f"/api/v1/namespaces/{NS}/pods/tpod").json()["status"].get("conditions", [])
         if c["type"] == "Ready"), {}).items(), timeout=15, what="tpod Ready")
    wait_until(lambda: http.get(f"/apis/apps/v1/namespaces/{NS}/deployments/tdeploy").json()["status"]
               .get("readyReplicas") == 2, timeout=15, what="tdeploy ready")
    return http


def table(http: httpx.Client, path: str, **params: str) -> dict[str, Any]:
    r = http.get(path, params=params, headers={"Accept": TABLE})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["kind"] == "Table" and body["apiVersion"] == "meta.k8s.io/v1"
    return body


def columns(t: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(c["name"], c["type"], c["priority"]) for c in t["columnDefinitions"]]


def test_pod_table(seeded: httpx.Client) -> None:
    t = table(seeded, f"/api/v1/namespaces/{NS}/pods")
    assert columns(t) == [("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0),
                          ("Restarts", "string", 0), ("Age", "string", 0), ("IP", "string", 1),
                          ("Node", "string", 1), ("Nominated Node", "string", 1), ("Readiness Gates", "string", 1)]
    assert t["columnDefinitions"][0]["format"] == "name"
    assert all(c["description"] for c in t["columnDefinitions"])
    assert t["metadata"]["resourceVersion"].isdigit()
    pod = seeded.get(f"/api/v1/namespaces/{NS}/pods/tpod").json()
    row = next(r for r in t["rows"] if r["cells"][0] == "tpod")
    cells = row["cells"]
    assert len(cells) == 9  # wide cells are always generated
    assert cells[1:4] == ["2/2", "Running", "0"]
    assert AGE.match(cells[4])
    assert cells[5:] == [pod["status"]["podIP"], pod["spec"]["nodeName"], "<none>", "<none>"]


def test_include_object_variants(seeded: httpx.Client) -> None:
    default = table(seeded, f"/api/v1/namespaces/{NS}/pods/tpod")
    assert len(default["rows"]) == 1
    obj = default["rows"][0]["object"]
    assert obj["kind"] == "PartialObjectMetadata" and obj["apiVersion"] == "meta.k8s.io/v1"
    assert obj["metadata"]["name"] == "tpod" and obj["metadata"]["labels"] == {"app": "t"}
    assert obj["metadata"]["uid"] and obj["metadata"]["creationTimestamp"]
    assert "spec" not in obj

    metadata = table(seeded, f"/api/v1/namespaces/{NS}/pods", includeObject="Metadata")
    assert all(r["object"]["kind"] == "PartialObjectMetadata" for r in metadata["rows"])

    full = table(seeded, f"/api/v1/namespaces/{NS}/pods", includeObject="Object")
    row = next(r for r in full["rows"] if r["cells"][0] == "tpod")
    assert row["object"]["kind"] == "Pod" and row["object"]["apiVersion"] == "v1"
    assert row["object"]["spec"]["containers"][0]["name"] == "a"

    none = table(seeded, f"/api/v1/namespaces/{NS}/pods", includeObject="None")
    assert all(r.get("object") is None for r in none["rows"])
    assert all(len(r["cells"]) == 9 for r in none["rows"])


def test_bad_include_object_is_400(seeded: httpx.Client) -> None:
    r = seeded.get(f"/api/v1/namespaces/{NS}/pods", params={"includeObject": "Bogus"}, headers={"Accept": TABLE})
    assert r.status_code == 400
    body = r.json()
    assert body["kind"] == "Status" and body["reason"] == "BadRequest"
    assert body["message"] == 'unrecognized includeObject value: "Bogus"'


def test_table_only_when_asked(seeded: httpx.Client) -> None:
    plain = seeded.get(f"/api/v1/namespaces/{NS}/pods", headers={"Accept": "application/json"}).json()
    assert plain["kind"] == "PodList"
    anything = seeded.get(f"/api/v1/namespaces/{NS}/pods", headers={"Accept": "*/*"}).json()
    assert anything["kind"] == "PodList"


def test_deployment_and_replicaset_tables(seeded: httpx.Client) -> None:
    t = table(seeded, f"/apis/apps/v1/namespaces/{NS}/deployments")
    assert columns(t) == [("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "string", 0),
                          ("Available", "string", 0), ("Age", "string", 0), ("Containers", "string", 1),
                          ("Images", "string", 1), ("Selector", "string", 1)]
    cells = t["rows"][0]["cells"]
    assert cells[:4] == ["tdeploy", "2/2", 2, 2]
    assert cells[5:] == ["web", "nginx:1.25", "app=td"]

    rs = table(seeded, f"/apis/apps/v1/namespaces/{NS}/replicasets")
    assert [c[0] for c in columns(rs)] == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                                          "Selector"]
    cells = rs["rows"][0]["cells"]
    assert cells[0].startswith("tdeploy-") and cells[1:4] == [2, 2, 2]
    assert cells[5:7] == ["web", "nginx:1.25"]
    assert re.fullmatch(r"app=td,pod-template-hash=\w+", cells[7]), cells[7]


def test_other_kind_tables(seeded: httpx.Client) -> None:
    cm = table(seeded, f"/api/v1/namespaces/{NS}/configmaps/tcm")
    assert [c[0] for c in columns(cm)] == ["Name", "Data", "Age"]
    assert cm["rows"][0]["cells"][:2] == ["tcm", 3]  # data + binaryData

    svc = table(seeded, f"/api/v1/namespaces/{NS}/services/tsvc")
    assert [(c[0], c[2]) for c in columns(svc)] == [("Name", 0), ("Type", 0), ("Cluster-IP", 0), ("External-IP", 0),
                                                    ("Port(s)", 0), ("Age", 0), ("Selector", 1)]
    cells = svc["rows"][0]["cells"]
    assert cells[1] == "ClusterIP" and cells[3] == "<none>" and cells[4] == "80/TCP" and cells[6] == "app=td"

    ns = table(seeded, f"/api/v1/namespaces/{NS}")
    assert [c[0] for c in columns(ns)] == ["Name", "Status", "Age"]
    assert ns["rows"][0]["cells"][:2] == [NS, "Active"]

    nodes = table(seeded, "/api/v1/nodes")
    assert [(c[0], c[2]) for c in columns(nodes)] == [
        ("Name", 0), ("Status", 0), ("Roles", 0), ("Age", 0), ("Version", 0), ("Internal-IP", 1), ("External-IP", 1),
        ("OS-Image", 1), ("Kernel-Version", 1), ("Container-Runtime", 1)]
    cp = next(r["cells"] for r in nodes["rows"] if r["cells"][0] == "fakeapi-control-plane")
    assert cp[1:3] == ["Ready", "control-plane"] and cp[4] == "v1.37.0" and len(cp) == 10

    events = table(seeded, f"/api/v1/namespaces/{NS}/events")
    assert [c[0] for c in columns(events)] == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source",
                                              "Message", "First Seen", "Count", "Name"]
    scheduled = next(r["cells"] for r in events["rows"] if r["cells"][2] == "Scheduled" and r["cells"][3] == "pod/tpod")
    assert scheduled[1] == "Normal" and scheduled[6].startswith(f"Successfully assigned {NS}/tpod to ")


def test_list_table_paging(seeded: httpx.Client) -> None:
    first = table(seeded, f"/api/v1/namespaces/{NS}/pods", limit="1")
    assert len(first["rows"]) == 1 and first["metadata"]["continue"]
    second = table(seeded, f"/api/v1/namespaces/{NS}/pods", limit="1", **{"continue": first["metadata"]["continue"]})
    assert second["rows"][0]["cells"][0] != first["rows"][0]["cells"][0]


def test_watch_events_are_tables_with_headers_once(seeded: httpx.Client) -> None:
    rv = seeded.get(f"/api/v1/namespaces/{NS}/configmaps").json()["metadata"]["resourceVersion"]
    events: list[dict[str, Any]] = []
    done = threading.Event()

    def reader() -> None:
        with httpx.stream("GET", f"{seeded.base_url}/api/v1/namespaces/{NS}/configmaps",
                          params={"watch": "true", "resourceVersion": rv, "timeoutSeconds": "5"},
                          headers={"Accept": TABLE}, timeout=10) as r:
            assert r.status_code == 200
            for line in r.iter_lines():
                if line:
                    events.append(json.loads(line))
                if len(events) >= 3:
                    break
        done.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    seeded.post(f"/api/v1/namespaces/{NS}/configmaps", json={"metadata": {"name": "w1"}, "data": {"a": "1"}})
    seeded.post(f"/api/v1/namespaces/{NS}/configmaps", json={"metadata": {"name": "w2"}})
    seeded.patch(f"/api/v1/namespaces/{NS}/configmaps/w1", json={"data": {"b": "2"}},
                 headers={"Content-Type": "application/merge-patch+json"})
    assert done.wait(10), events
    thread.join(5)
    assert [e["type"] for e in events] == ["ADDED", "ADDED", "MODIFIED"]
    for e in events:
        assert e["object"]["kind"] == "Table" and e["object"]["apiVersion"] == "meta.k8s.io/v1"
        assert len(e["object"]["rows"]) == 1
    assert [c["name"] for c in events[0]["object"]["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert not events[1]["object"]["columnDefinitions"] and not events[2]["object"]["columnDefinitions"]
    assert [e["object"]["rows"][0]["cells"][:2] for e in events] == [["w1", 1], ["w2", 0], ["w1", 2]]
    assert events[2]["object"]["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
