"""CRUD for every served kind against a real server process: create, get, list, update, merge patch,
delete and deletecollection, each checked for the apiserver's status codes and shapes.

The kinds come from `default_registry().resources`; MINIMAL holds one minimal valid body per plural. A
newly served kind without an entry fails `test_every_served_kind_has_a_minimal_body` on purpose.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from fakeapi.resources import default_registry
from fakeapi.registry.resource import ResourceInfo

REGISTRY = default_registry()
NS = "every-kind"
MERGE = {"Content-Type": "application/merge-patch+json"}
GONE_TIMEOUT = 2.0  # deletion (graceful pods, namespace finalization) completes well within this

POD_SPEC: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx"}]}


def template(app: str) -> dict[str, Any]:
    return {"metadata": {"labels": {"app": app}}, "spec": POD_SPEC}


def workload(app: str) -> dict[str, Any]:
    return {"selector": {"matchLabels": {"app": app}}, "template": template(app)}


RBAC = "rbac.authorization.k8s.io"
RULES = [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]
SUBJECTS = [{"kind": "User", "name": "u", "apiGroup": RBAC}]

#: plural -> minimal valid body (without metadata) for an object called `name`
MINIMAL: dict[str, Callable[[str], dict[str, Any]]] = {
    # core/v1
    "pods": lambda n: {"spec": POD_SPEC},
    "services": lambda n: {"spec": {"ports": [{"port": 80}]}},
    "endpoints": lambda n: {"subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]},
    "namespaces": lambda n: {},
    "nodes": lambda n: {},
    "configmaps": lambda n: {"data": {"k": "v"}},
    "secrets": lambda n: {"stringData": {"k": "v"}},
    "serviceaccounts": lambda n: {},
    "events": lambda n: {"involvedObject": {"kind": "Pod", "name": "p", "namespace": NS}, "reason": "Tested",
                         "message": "m", "type": "Normal"},
    "persistentvolumes": lambda n: {"spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                                             "hostPath": {"path": "/tmp/x"}}},
    "persistentvolumeclaims": lambda n: {"spec": {"accessModes": ["ReadWriteOnce"],
                                                  "resources": {"requests": {"storage": "1Gi"}}}},
    "replicationcontrollers": lambda n: {"spec": {"selector": {"app": n}, "template": template(n)}},
    "podtemplates": lambda n: {"template": template(n)},
    "limitranges": lambda n: {"spec": {"limits": [{"type": "Container", "default": {"cpu": "100m"}}]}},
    "resourcequotas": lambda n: {"spec": {"hard": {"pods": "10"}}},
    # apps/v1
    "deployments": lambda n: {"spec": workload(n)},
    "replicasets": lambda n: {"spec": workload(n)},
    "statefulsets": lambda n: {"spec": {**workload(n), "serviceName": n}},
    "daemonsets": lambda n: {"spec": workload(n)},
    "controllerrevisions": lambda n: {"revision": 1, "data": {}},
    # batch/v1
    "jobs": lambda n: {"spec": {"template": {"spec": {**POD_SPEC, "restartPolicy": "Never"}}}},
    "cronjobs": lambda n: {"spec": {"schedule": "*/5 * * * *", "jobTemplate": {
        "spec": {"template": {"spec": {**POD_SPEC, "restartPolicy": "Never"}}}}}},
    # networking.k8s.io/v1
    "ingresses": lambda n: {"spec": {"defaultBackend": {"service": {"name": "svc", "port": {"number": 80}}}}},
    "ingressclasses": lambda n: {"spec": {"controller": "example.com/ingress"}},
    "networkpolicies": lambda n: {"spec": {"podSelector": {}}},
    # discovery.k8s.io/v1
    "endpointslices": lambda n: {"addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}],
                                 "ports": [{"port": 80}]},
    # storage.k8s.io/v1
    "storageclasses": lambda n: {"provisioner": "example.com/provisioner"},
    # autoscaling/v2
    "horizontalpodautoscalers": lambda n: {"spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                                       "name": "web"},
                                                    "minReplicas": 1, "maxReplicas": 3}},
    # coordination.k8s.io/v1
    "leases": lambda n: {"spec": {"holderIdentity": "me"}},
    # policy/v1, scheduling.k8s.io/v1, node.k8s.io/v1, rbac.authorization.k8s.io/v1
    "poddisruptionbudgets": lambda n: {"spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": n}}}},
    "priorityclasses": lambda n: {"value": 1000},
    "runtimeclasses": lambda n: {"handler": "runc"},
    "roles": lambda n: {"rules": RULES},
    "clusterroles": lambda n: {"rules": RULES},
    "rolebindings": lambda n: {"roleRef": {"apiGroup": RBAC, "kind": "Role", "name": "r"}, "subjects": SUBJECTS},
    "clusterrolebindings": lambda n: {"roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "r"},
                                      "subjects": SUBJECTS},
}


def collection(info: ResourceInfo, namespace: str | None = NS) -> str:
    base = f"/apis/{info.group}/{info.version}" if info.group else f"/api/{info.version}"
    if info.namespaced and namespace:
        return f"{base}/namespaces/{namespace}/{info.plural}"
    return f"{base}/{info.plural}"


def body(info: ResourceInfo, name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": info.api_version, "kind": info.kind, "metadata": meta, **MINIMAL[info.plural](name)}


def wait_gone(client: httpx.Client, path: str) -> httpx.Response:
    deadline = time.monotonic() + GONE_TIMEOUT
    while True:
        r = client.get(path)
        if r.status_code == 404 or time.monotonic() > deadline:
            return r
        time.sleep(0.05)


def update_with_retry(client: httpx.Client, path: str, change: Callable[[dict[str, Any]], None]) -> httpx.Response:
    """GET, change, PUT; a 409 (a controller wrote in between) is retried as real clients do."""
    for _ in range(10):
        obj = client.get(path).json()
        change(obj)
        r = client.put(path, json=obj)
        if r.status_code != 409:
            return r
    return r


@pytest.fixture(scope="module", autouse=True)
def namespace(client: httpx.Client) -> str:
    r = client.post("/api/v1/namespaces", json={"metadata": {"name": NS}})
    assert r.status_code == 201, r.text
    return NS


def test_every_served_kind_has_a_minimal_body() -> None:
    missing = [i.group_resource for i in REGISTRY.resources if i.plural not in MINIMAL]
    assert missing == [], f"add a minimal body to MINIMAL for {missing}"


def kinds() -> list[Any]:
    return [pytest.param(info, id=info.group_resource) for info in REGISTRY.resources if info.plural in MINIMAL]


@pytest.mark.parametrize("info", kinds())
def test_crud(client: httpx.Client, info: ResourceInfo) -> None:
    name = f"e2e-{info.plural}"[:50]
    coll = collection(info)
    item = f"{coll}/{name}"

    # create
    r = client.post(coll, json=body(info, name))
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["kind"], created["apiVersion"]) == (info.kind, info.api_version)
    meta = created["metadata"]
    assert meta["name"] == name and meta["uid"] and meta["creationTimestamp"]
    assert int(meta["resourceVersion"]) > 0
    assert meta.get("namespace") == (NS if info.namespaced else None)
    again = client.post(coll, json=body(info, name))
    assert again.status_code == 409 and again.json()["reason"] == "AlreadyExists"
    assert again.json()["message"] == f'{info.group_resource} "{name}" already exists'

    # get
    r = client.get(item)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["kind"], got["metadata"]["uid"]) == (info.kind, meta["uid"])

    # list (namespace, and all namespaces for namespaced kinds)
    for path in {coll, collection(info, None)}:
        r = client.get(path)
        assert r.status_code == 200, r.text
        listed = r.json()
        assert (listed["kind"], listed["apiVersion"]) == (info.list_kind, info.api_version)
        assert int(listed["metadata"]["resourceVersion"]) >= int(meta["resourceVersion"])
        assert name in [o["metadata"]["name"] for o in listed["items"]]
    r = client.get(coll, params={"fieldSelector": f"metadata.name={name}"})
    assert [o["metadata"]["name"] for o in r.json()["items"]] == [name]

    # update
    def label(obj: dict[str, Any]) -> None:
        obj["metadata"].setdefault("labels", {})["e2e"] = "updated"

    r = update_with_retry(client, item, label)
    assert r.status_code == 200, r.text
    updated = r.json()
    assert updated["metadata"]["labels"]["e2e"] == "updated"
    assert updated["metadata"]["uid"] == meta["uid"]
    assert int(updated["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])

    # merge patch
    r = client.patch(item, content=b'{"metadata":{"annotations":{"e2e":"patched"}}}', headers=MERGE)
    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched["metadata"]["annotations"]["e2e"] == "patched"
    assert patched["metadata"]["labels"]["e2e"] == "updated"
    assert int(patched["metadata"]["resourceVersion"]) > int(updated["metadata"]["resourceVersion"])

    # delete
    r = client.delete(item)
    assert r.status_code in (200, 202), r.text
    answer = r.json()
    if info.return_deleted_object:
        assert (answer["kind"], answer["metadata"]["name"]) == (info.kind, name)
    else:
        expected = {"name": name, "kind": info.plural, "uid": meta["uid"]}
        if info.group:
            expected["group"] = info.group
        assert answer == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                          "details": expected}
    r = wait_gone(client, item)
    assert r.status_code == 404, f"{info.group_resource} {name} still present: {r.text}"
    assert r.json()["message"] == f'{info.group_resource} "{name}" not found'


@pytest.mark.parametrize("info", kinds())
def test_deletecollection(client: httpx.Client, info: ResourceInfo) -> None:
    if "deletecollection" not in info.verbs:
        pytest.skip(f"{info.group_resource} does not serve deletecollection")
    coll = collection(info)
    selector = f"e2e-set={info.plural}"
    names = [f"dc-{info.plural}-{i}"[:50] for i in range(2)]
    for n in names:
        r = client.post(coll, json=body(info, n, {"e2e-set": info.plural}))
        assert r.status_code == 201, r.text
    keep = f"dc-{info.plural}-keep"[:50]
    assert client.post(coll, json=body(info, keep)).status_code == 201

    r = client.delete(coll, params={"labelSelector": selector})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert (answer["kind"], answer["apiVersion"]) == (info.list_kind, info.api_version)
    assert sorted(o["metadata"]["name"] for o in answer["items"]) == sorted(names)
    for n in names:
        assert wait_gone(client, f"{coll}/{n}").status_code == 404
    assert client.get(f"{coll}/{keep}").status_code == 200
    assert client.get(coll, params={"labelSelector": selector}).json()["items"] == []
    client.delete(f"{coll}/{keep}")
