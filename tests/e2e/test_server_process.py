"""`fakeapi serve` as a process: start-up output, signals, discovery, /version, /healthz, the data-dir
lock, `fakeapi etcdctl`, and HTTP-level routing rules."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fakeapi.resources import default_registry
from tests.e2e.conftest import ServerProcess, StartServer

REGISTRY = default_registry()


# ---- start-up and shutdown -------------------------------------------------------------------------

def test_start_up_prints_the_url_and_a_ready_line(server: ServerProcess) -> None:
    assert f"fakeapi: serving Kubernetes API at http://127.0.0.1:{server.port}" in server.lines
    assert any(re.fullmatch(r"fakeapi: ready in \d+\.\d\ds", line) for line in server.lines), server.lines
    assert any(line.startswith(f"fakeapi: data dir {server.data_dir}") for line in server.lines), server.lines
    assert (server.data_dir / "state.db").exists()


def test_sigint_also_stops_the_server(start_server: StartServer) -> None:
    p = start_server(storage="memory")
    with p.client() as c:
        assert c.get("/healthz").status_code == 200
    p.stop(signal.SIGINT)
    assert p.lines[-1] == "fakeapi: stopped"


def test_sigterm_stops_a_server_with_an_open_watch(start_server: StartServer) -> None:
    p = start_server()
    with p.client() as c:
        rv = c.get("/api/v1/namespaces/default/configmaps").json()["metadata"]["resourceVersion"]
    with p.client() as c, c.stream("GET", "/api/v1/namespaces/default/configmaps",
                                   params={"watch": "1", "timeoutSeconds": "60", "resourceVersion": rv}) as r:
        assert r.status_code == 200
        started = time.monotonic()
        p.stop(signal.SIGTERM)
        assert time.monotonic() - started < 5
        assert list(r.iter_lines()) == []  # the stream ends cleanly when the server stops
    assert p.lines[-1] == "fakeapi: stopped"


def test_a_second_server_on_the_same_data_dir_is_refused(server: ServerProcess, start_server: StartServer) -> None:
    second = start_server(server.data_dir, ready=False)
    assert second.wait_exit(timeout=20) == 1
    assert any("is in use by another fakeapi server" in line for line in second.stderr_lines), second.output()


def listening_addresses(port: int) -> list[str]:
    """Local addresses in LISTEN state on `port`, from /proc/net/tcp{,6} (hex, as the kernel shows them)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":
                found.append(address)
    return found


def test_only_loopback_is_bound(server: ServerProcess) -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp")
    assert listening_addresses(server.port) == ["0100007F"]  # 127.0.0.1, and nothing else
    with httpx.Client(timeout=2) as c:
        assert c.get(f"http://127.0.0.1:{server.port}/healthz").text == "ok"


# ---- /version, /healthz, discovery -----------------------------------------------------------------

def test_version(client: httpx.Client) -> None:
    r = client.get("/version")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    v = r.json()
    assert re.fullmatch(r"v1\.\d+\.\d+", v["gitVersion"])
    assert (v["major"], v["minor"]) == ("1", v["gitVersion"].split(".")[1])
    assert v["platform"] and v["goVersion"]


@pytest.mark.parametrize("path", ["/healthz", "/livez", "/readyz"])
def test_health_endpoints(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert (r.status_code, r.text) == (200, "ok")


@pytest.mark.parametrize("path", ["/api", "/apis", "/api/v1", "/apis/apps/v1", "/apis/apps"])
def test_discovery_with_and_without_a_trailing_slash(client: httpx.Client, path: str) -> None:
    plain, slashed = client.get(path), client.get(path + "/")
    assert plain.status_code == slashed.status_code == 200
    assert plain.headers["content-type"].startswith("application/json")
    assert plain.json() == slashed.json()


def test_core_discovery(client: httpx.Client) -> None:
    api = client.get("/api").json()
    assert api["kind"] == "APIVersions" and api["versions"] == ["v1"]
    v1 = client.get("/api/v1").json()
    assert (v1["kind"], v1["groupVersion"]) == ("APIResourceList", "v1")
    by_name = {r["name"]: r for r in v1["resources"]}
    pods = by_name["pods"]
    assert (pods["kind"], pods["namespaced"], pods["singularName"]) == ("Pod", True, "pod")
    assert set(pods["verbs"]) == {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
    assert "po" in pods["shortNames"]
    assert by_name["pods/status"]["kind"] == "Pod"
    assert by_name["namespaces"]["namespaced"] is False
    assert "deletecollection" not in by_name["namespaces"]["verbs"]
    for info in REGISTRY.in_group_version("", "v1"):
        assert info.plural in by_name


def test_group_discovery(client: httpx.Client) -> None:
    groups = client.get("/apis").json()
    assert groups["kind"] == "APIGroupList"
    served = {g["name"]: g for g in groups["groups"]}
    assert "" not in served
    for group, versions in REGISTRY.groups().items():
        if not group:
            continue
        g = served[group]
        assert [v["groupVersion"] for v in g["versions"]] == [f"{group}/{v}" for v in versions]
        assert g["preferredVersion"] == g["versions"][0]
        assert client.get(f"/apis/{group}").json()["name"] == group
        for version in versions:
            doc = client.get(f"/apis/{group}/{version}").json()
            assert (doc["kind"], doc["groupVersion"]) == ("APIResourceList", f"{group}/{version}")
            assert {r["name"] for r in doc["resources"]} >= {i.plural for i in REGISTRY.in_group_version(group, version)}
    apps = {r["name"]: r for r in client.get("/apis/apps/v1").json()["resources"]}
    assert apps["deployments"]["kind"] == "Deployment"
    assert apps["deployments/scale"] == {"name": "deployments/scale", "singularName": "", "namespaced": True,
                                         "kind": "Scale", "verbs": ["get", "patch", "update"],
                                         "group": "autoscaling", "version": "v1"}


@pytest.mark.parametrize("path", ["/apis/nope", "/apis/nope/v1", "/api/v2", "/apis/apps/v2",
                                  "/api/v1/nothings", "/nothing"])
def test_unknown_paths_are_a_404_status(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.json() == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": "the server could not find the requested resource", "reason": "NotFound",
                        "details": {}, "code": 404}


# ---- routing rules at the HTTP level ---------------------------------------------------------------

def test_create_on_the_all_namespaces_path_is_not_allowed(client: httpx.Client) -> None:
    r = client.post("/api/v1/configmaps", json={"metadata": {"name": "nowhere", "namespace": "default"}})
    assert r.status_code == 405
    assert r.json()["reason"] == "MethodNotAllowed"
    assert r.json()["message"] == "the server does not allow this method on the requested resource"


def test_deletecollection_is_refused_for_kinds_without_the_verb(client: httpx.Client) -> None:
    assert client.post("/api/v1/namespaces", json={"metadata": {"name": "keep-me", "labels": {"k": "v"}}}
                       ).status_code == 201
    r = client.delete("/api/v1/namespaces", params={"labelSelector": "k=v"})
    assert client.get("/api/v1/namespaces/keep-me").status_code == 200
    assert r.status_code == 405
    assert r.json()["message"] == "the server does not allow this method on the requested resource"


def test_get_of_one_object_with_watch_false_is_the_object(client: httpx.Client) -> None:
    assert client.post("/api/v1/namespaces/default/configmaps", json={"metadata": {"name": "wf"}}).status_code == 201
    r = client.get("/api/v1/namespaces/default/configmaps/wf", params={"watch": "false"})
    assert r.status_code == 200
    assert r.json()["kind"] == "ConfigMap"
    assert r.json()["metadata"]["name"] == "wf"


def test_errors_are_status_objects(client: httpx.Client) -> None:
    r = client.get("/api/v1/namespaces/default/configmaps/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert r.json() == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": 'configmaps "nope" not found', "reason": "NotFound",
                        "details": {"name": "nope", "kind": "configmaps"}, "code": 404}
    r = client.get("/apis/apps/v1/namespaces/default/deployments/nope")
    assert r.json()["message"] == 'deployments.apps "nope" not found'
    assert r.json()["details"] == {"name": "nope", "group": "apps", "kind": "deployments"}


def test_create_without_content_type_kind_or_api_version(client: httpx.Client) -> None:
    r = client.post("/api/v1/namespaces/default/configmaps", content=b'{"metadata":{"name":"bare"}}')
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["apiVersion"]) == ("ConfigMap", "v1")


def test_optimistic_concurrency_over_http(client: httpx.Client) -> None:
    # a PodTemplate-free kind nobody else writes: no controller can race the two PUTs
    path = "/apis/coordination.k8s.io/v1/namespaces/default/leases"
    created = client.post(path, json={"metadata": {"name": "occ"}, "spec": {"holderIdentity": "a"}}).json()
    fresh = dict(created, spec={"holderIdentity": "b"})
    assert client.put(f"{path}/occ", json=fresh).status_code == 200
    stale = dict(created, spec={"holderIdentity": "c"})
    r = client.put(f"{path}/occ", json=stale)
    assert r.status_code == 409
    assert r.json()["reason"] == "Conflict"
    assert r.json()["message"] == ('Operation cannot be fulfilled on leases.coordination.k8s.io "occ": the object '
                                   "has been modified; please apply your changes to the latest version and try again")


def test_deleting_a_namespace_terminates_then_removes_its_content(client: httpx.Client) -> None:
    assert client.post("/api/v1/namespaces", json={"metadata": {"name": "doomed"}}).status_code == 201
    assert client.post("/api/v1/namespaces/doomed/configmaps", json={"metadata": {"name": "c"}}).status_code == 201
    r = client.delete("/api/v1/namespaces/doomed")
    assert r.status_code == 200
    assert r.json()["status"]["phase"] == "Terminating"
    assert r.json()["spec"]["finalizers"] == ["kubernetes"]
    refused = client.post("/api/v1/namespaces/doomed/configmaps", json={"metadata": {"name": "late"}})
    assert refused.status_code == 403
    deadline = time.monotonic() + 5
    while client.get("/api/v1/namespaces/doomed").status_code != 404:
        assert time.monotonic() < deadline, "namespace was never finalized"
        time.sleep(0.1)
    assert client.get("/api/v1/namespaces/doomed/configmaps/c").status_code == 404


def test_put_finalize_replaces_a_namespace_spec_finalizers(client: httpx.Client) -> None:
    assert client.post("/api/v1/namespaces", json={"metadata": {"name": "finalize-me"}}).status_code == 201
    ns = client.get("/api/v1/namespaces/finalize-me").json()
    assert ns["spec"]["finalizers"] == ["kubernetes"]
    ns["spec"]["finalizers"] = []
    r = client.put("/api/v1/namespaces/finalize-me/finalize", json=ns)
    assert r.status_code == 200, r.text
    assert not (r.json().get("spec") or {}).get("finalizers")
    assert not (client.get("/api/v1/namespaces/finalize-me").json().get("spec") or {}).get("finalizers")


# ---- fakeapi etcdctl -------------------------------------------------------------------------------

def etcdctl(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fakeapi", "etcdctl", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=30)


def test_etcdctl_shows_the_stored_keys(server: ServerProcess, client: httpx.Client) -> None:
    assert client.post("/api/v1/namespaces", json={"metadata": {"name": "etcd-a"}}).status_code == 201
    created = {}
    for name in ("one", "two"):
        r = client.post("/api/v1/namespaces/etcd-a/configmaps", json={"metadata": {"name": name},
                                                                       "data": {"k": name}})
        created[name] = r.json()
    client.delete("/api/v1/namespaces/etcd-a/configmaps/two")

    out = etcdctl(server.data_dir, "get", "/registry/configmaps/etcd-a/", "--prefix", "--keys-only")
    assert out.returncode == 0, out.stderr
    # the namespace's own kube-root-ca.crt (published by the simulation) is there too
    assert [k for k in out.stdout.split() if not k.endswith("/kube-root-ca.crt")] == ["/registry/configmaps/etcd-a/one"]

    out = etcdctl(server.data_dir, "get", "/registry/configmaps", "--prefix")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    i = lines.index("/registry/configmaps/etcd-a/one")
    assert json.loads(lines[i + 1]) == created["one"]
    assert "/registry/configmaps/etcd-a/two" not in lines

    out = etcdctl(server.data_dir, "get", "/registry/configmaps/etcd-a/one", "-w", "json")
    (entry,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert entry["key"] == "/registry/configmaps/etcd-a/one"
    assert entry["value"] == created["one"]
    assert entry["mod_revision"] == int(created["one"]["metadata"]["resourceVersion"])

    out = etcdctl(server.data_dir, "revision")
    assert out.returncode == 0 and int(out.stdout) >= entry["mod_revision"] + 1


def test_etcdctl_accepts_the_prefix_flag_before_the_key(server: ServerProcess, client: httpx.Client) -> None:
    assert client.post("/api/v1/namespaces/default/configmaps", json={"metadata": {"name": "flag-first"}}
                       ).status_code == 201
    out = etcdctl(server.data_dir, "get", "--prefix", "/registry/configmaps/default/flag-", "--keys-only")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["/registry/configmaps/default/flag-first"]


def test_etcdctl_on_a_missing_data_dir_fails(tmp_path: Path) -> None:
    out = etcdctl(tmp_path / "nothing", "get", "/registry/", "--prefix")
    assert out.returncode == 1
    assert out.stderr.startswith("Error: no fakeapi data at ")


# ---- cascading deletion status codes ---------------------------------------------------------------

def test_foreground_deletion_answers_200_with_the_object(client: httpx.Client) -> None:
    path = "/api/v1/namespaces/default/configmaps"
    assert client.post(path, json={"metadata": {"name": "fg"}}).status_code == 201
    try:
        r = client.request("DELETE", f"{path}/fg", json={"propagationPolicy": "Foreground"})
        obj = r.json()
        assert obj["kind"] == "ConfigMap" and obj["metadata"]["deletionTimestamp"]
        assert "foregroundDeletion" in obj["metadata"]["finalizers"]
        assert r.status_code == 200
    finally:
        client.patch(f"{path}/fg", content=b'{"metadata":{"finalizers":null}}',
                     headers={"Content-Type": "application/merge-patch+json"})
