from __future__ import annotations

import json

from fkubectl.client import request as rq
from fkubectl.client.mapping import Mapping

PODS = Mapping("", "v1", "pods", "Pod", True)
DEPLOY = Mapping("apps", "v1", "deployments", "Deployment", True)
NODES = Mapping("", "v1", "nodes", "Node", False)


def test_paths() -> None:
    assert rq.collection_path(PODS, "default") == "/api/v1/namespaces/default/pods"
    assert rq.collection_path(PODS, "") == "/api/v1/pods"
    assert rq.object_path(DEPLOY, "ns", "web", "scale") == "/apis/apps/v1/namespaces/ns/deployments/web/scale"
    assert rq.collection_path(NODES, "ignored") == "/api/v1/nodes"


def test_list_as_table_with_selectors() -> None:
    req = rq.list_request(PODS, "default", label_selector="app in (web),tier!=x", table=True)
    assert req.target == "/api/v1/namespaces/default/pods?labelSelector=app+in+%28web%29%2Ctier%21%3Dx&limit=500"
    assert req.headers["Accept"] == rq.TABLE_ACCEPT
    assert rq.list_request(PODS, "d", table=True, include_object="Object").query["includeObject"] == "Object"


def test_watch_of_one_object_uses_a_field_selector() -> None:
    req = rq.watch_request(DEPLOY, "default", name="web", resource_version="0", table=True)
    assert req.target == ("/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3Dweb"
                          "&resourceVersion=0&watch=true")
    assert req.stream


def test_writes_carry_kubectls_field_manager_and_bodies() -> None:
    create = rq.create_request(PODS, "default", {"metadata": {"name": "p"}}, field_validation="Strict")
    assert create.method == "POST" and create.target.endswith("?fieldManager=kubectl-create&fieldValidation=Strict")
    assert json.loads(create.body or b"") == {"metadata": {"name": "p"}}
    patch = rq.patch_request(DEPLOY, "default", "web", {"spec": {"replicas": 3}}, patch_type="merge",
                             field_manager="kubectl-scale", subresource="scale")
    assert patch.headers["Content-Type"] == "application/merge-patch+json"
    assert patch.path.endswith("/deployments/web/scale")
    delete = rq.delete_request(PODS, "default", "p", grace_period=0)
    assert json.loads(delete.body or b"") == {"gracePeriodSeconds": 0, "propagationPolicy": "Background"}


def test_names_are_escaped() -> None:
    assert rq.object_path(PODS, "default", "a/b") == "/api/v1/namespaces/default/pods/a%2Fb"
