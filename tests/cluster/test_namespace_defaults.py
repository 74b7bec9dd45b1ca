"""Per-namespace defaults: every namespace, old and new, gets the `default` ServiceAccount and the
`kube-root-ca.crt` ConfigMap, and gets them back when they are deleted or edited."""

from __future__ import annotations

import time
from typing import Any, TypeVar

import httpx

from fakeapi.cluster.platform.namespace_defaults import CA_CERT, DESCRIPTION
from tests.cluster.polling import wait_for

T = TypeVar("T")
DESCRIPTION_TEXT = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
    "internal service IPs or DNS name (e.g. https://kubernetes.default.svc:443). Note that this CA bundle is not "
    "guaranteed to be correct for the cluster and may change.")


def found(api: httpx.Client, path: str) -> dict[str, Any] | None:
    r = api.get(path)
    return r.json() if r.status_code == 200 else None


def test_system_namespaces_have_the_defaults(api: httpx.Client) -> None:
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        sa = wait_for(lambda ns=ns: found(api, f"/api/v1/namespaces/{ns}/serviceaccounts/default"))
        assert sa["metadata"]["name"] == "default" and "secrets" not in sa
        cm = wait_for(lambda ns=ns: found(api, f"/api/v1/namespaces/{ns}/configmaps/kube-root-ca.crt"))
        assert cm["data"]["ca.crt"] == CA_CERT


def test_a_new_namespace_gets_the_account_and_the_ca_bundle(api: httpx.Client) -> None:
    assert api.post("/api/v1/namespaces", json={"metadata": {"name": "fresh"}}).status_code == 201
    sa = wait_for(lambda: found(api, "/api/v1/namespaces/fresh/serviceaccounts/default"))
    assert sa["kind"] == "ServiceAccount"
    cm = wait_for(lambda: found(api, "/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt"))
    assert DESCRIPTION == DESCRIPTION_TEXT
    assert cm["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION_TEXT}
    pem = cm["data"]["ca.crt"]
    assert pem.startswith("-----BEGIN CERTIFICATE-----\n") and pem.endswith("-----END CERTIFICATE-----\n")
    assert list(cm["data"]) == ["ca.crt"]


def test_deleted_defaults_come_back(api: httpx.Client) -> None:
    api.post("/api/v1/namespaces", json={"metadata": {"name": "again"}})
    old_sa = wait_for(lambda: found(api, "/api/v1/namespaces/again/serviceaccounts/default"))
    old_cm = wait_for(lambda: found(api, "/api/v1/namespaces/again/configmaps/kube-root-ca.crt"))
    assert api.delete("/api/v1/namespaces/again/serviceaccounts/default").status_code == 200
    assert api.delete("/api/v1/namespaces/again/configmaps/kube-root-ca.crt").status_code == 200
    sa = wait_for(lambda: (x := found(api, "/api/v1/namespaces/again/serviceaccounts/default")) and
                  x["metadata"]["uid"] != old_sa["metadata"]["uid"] and x)
    cm = wait_for(lambda: (x := found(api, "/api/v1/namespaces/again/configmaps/kube-root-ca.crt")) and
                  x["metadata"]["uid"] != old_cm["metadata"]["uid"] and x)
    assert sa["metadata"]["name"] == "default" and cm["data"]["ca.crt"] == CA_CERT


def test_an_edited_ca_bundle_is_restored(api: httpx.Client) -> None:
    wait_for(lambda: found(api, "/api/v1/namespaces/default/configmaps/kube-root-ca.crt"))
    r = api.patch("/api/v1/namespaces/default/configmaps/kube-root-ca.crt", json={"data": {"ca.crt": "nope"}},
                  headers={"Content-Type": "application/merge-patch+json"})
    assert r.status_code == 200
    wait_for(lambda: found(api, "/api/v1/namespaces/default/configmaps/kube-root-ca.crt")["data"]["ca.crt"] == CA_CERT)


def test_a_terminating_namespace_is_left_alone(api: httpx.Client) -> None:
    api.post("/api/v1/namespaces", json={"metadata": {"name": "going"}})
    wait_for(lambda: found(api, "/api/v1/namespaces/going/serviceaccounts/default"))
    assert api.delete("/api/v1/namespaces/going").status_code == 200
    wait_for(lambda: api.get("/api/v1/namespaces/going").status_code == 404)
    time.sleep(0.2)
    assert api.get("/api/v1/namespaces/going/serviceaccounts/default").status_code == 404
