"""Static pods: manifests in --static-pod-path run on the control-plane node and show up as mirror pods that
the API cannot control (seed 000's static-web)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from fakeapi.cluster.kubelet import MIRROR_ANNOTATION
from fakeapi.cluster.nodes import node_specs
from fakeapi.cluster.staticpods import HASH, StaticPods, read_manifest
from fakeapi.config import Config
from fakeapi.testing import RunningServer

Obj = dict[str, Any]
T = TypeVar("T")
CP = node_specs(3)[0]

#: the seed's static pod as the project ships it (what `make run` starts)
STATIC_WEB = (Path(__file__).resolve().parents[2] / "manifests" / "static" / "static-web.yaml").read_text()


# ---- manifests ---------------------------------------------------------------------------------------

def test_read_manifest_names_the_mirror_after_the_node(tmp_path: Path) -> None:
    path = tmp_path / "static-web.yaml"
    path.write_text(STATIC_WEB)
    pod = read_manifest(path, CP)
    assert pod is not None
    meta = pod["metadata"]
    assert meta["name"] == "static-web-fakeapi-control-plane"
    assert meta["namespace"] == "default"
    assert meta["labels"] == {"app": "static"}
    ann = meta["annotations"]
    assert ann["kubernetes.io/config.source"] == "file"
    assert ann[HASH] == ann[MIRROR_ANNOTATION] and len(ann[HASH]) == 32
    assert pod["spec"]["nodeName"] == "fakeapi-control-plane"
    assert pod["spec"]["tolerations"] == [{"operator": "Exists", "effect": "NoExecute"}]


def test_hash_is_stable_and_follows_the_content(tmp_path: Path) -> None:
    path = tmp_path / "static-web.yaml"
    path.write_text(STATIC_WEB)
    first = read_manifest(path, CP)
    again = read_manifest(path, CP)
    path.write_text(STATIC_WEB.replace("image: nginx", "image: nginx:1.25"))
    changed = read_manifest(path, CP)
    assert first and again and changed
    assert first["metadata"]["annotations"][HASH] == again["metadata"]["annotations"][HASH]
    assert changed["metadata"]["annotations"][HASH] != first["metadata"]["annotations"][HASH]


def test_explicit_namespace_and_existing_toleration_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "etcd.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\n"
                    "spec:\n  tolerations:\n  - operator: Exists\n    effect: NoExecute\n"
                    "  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.6.4-0\n")
    pod = read_manifest(path, CP)
    assert pod is not None
    assert pod["metadata"]["namespace"] == "kube-system"
    assert pod["spec"]["tolerations"] == [{"operator": "Exists", "effect": "NoExecute"}]


@pytest.mark.parametrize("text", ["not: [valid", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n",
                                  "apiVersion: v1\nkind: Pod\nmetadata: {}\n", "- a\n- b\n", ""])
def test_unusable_manifests_are_skipped(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    assert read_manifest(path, CP) is None


def test_matches_ignores_status_but_not_labels_or_images(tmp_path: Path) -> None:
    path = tmp_path / "static-web.yaml"
    path.write_text(STATIC_WEB)
    want = read_manifest(path, CP)
    assert want is not None
    import copy

    cur = copy.deepcopy(want)
    cur["status"] = {"phase": "Running"}
    cur["metadata"]["uid"] = "x"
    assert StaticPods.matches(cur, want)
    relabeled = copy.deepcopy(want)
    relabeled["metadata"]["labels"]["app"] = "changed"
    assert not StaticPods.matches(relabeled, want)
    reimaged = copy.deepcopy(want)
    reimaged["spec"]["containers"][0]["image"] = "httpd"
    assert not StaticPods.matches(reimaged, want)


# ---- against a running server -------------------------------------------------------------------------

NAME = "static-web-fakeapi-control-plane"
POD_URL = f"/api/v1/namespaces/default/pods/{NAME}"


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("manifests")


@pytest.fixture(scope="module")
def api(manifests: Path) -> Iterator[httpx.Client]:
    (manifests / "static-web.yaml").write_text(STATIC_WEB)
    with RunningServer(Config(storage="memory", speed=50, static_pod_path=manifests)) as running:
        with httpx.Client(base_url=running.url, timeout=10) as client:
            yield client


def wait_for(fn: Callable[[], T], timeout: float = 5.0, interval: float = 0.05) -> T:
    deadline = time.monotonic() + timeout
    last: T = fn()
    while not last:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; last value: {last!r}")
        time.sleep(interval)
        last = fn()
    return last


def mirror(api: httpx.Client) -> Obj | None:
    r = api.get(POD_URL)
    return r.json() if r.status_code == 200 else None


def running(api: httpx.Client) -> Obj:
    def check() -> Obj | None:
        pod = mirror(api)
        if pod and pod["status"].get("phase") == "Running" and \
                all(c.get("ready") for c in pod["status"].get("containerStatuses") or [{}]):
            return pod
        return None

    return wait_for(check)


def test_mirror_pod_runs_on_the_control_plane(api: httpx.Client) -> None:
    pod = running(api)
    meta = pod["metadata"]
    assert pod["spec"]["nodeName"] == "fakeapi-control-plane"
    assert meta["labels"] == {"app": "static"}
    assert meta["annotations"][MIRROR_ANNOTATION] == meta["annotations"][HASH]
    assert "kubernetes.io/config.seen" in meta["annotations"]
    ref = meta["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref.get("controller")) == ("Node", "fakeapi-control-plane", True)
    assert pod["status"]["hostIP"] == "172.18.0.2"
    assert pod["status"]["podIP"].startswith("10.244.0.")


def test_deleting_the_mirror_pod_brings_it_back_without_restarting_it(api: httpx.Client) -> None:
    before = running(api)
    uid = before["metadata"]["uid"]
    container_id = before["status"]["containerStatuses"][0]["containerID"]
    assert api.delete(POD_URL).status_code == 200
    after = wait_for(lambda: (p := mirror(api)) and p["metadata"]["uid"] != uid and
                     p["status"].get("containerStatuses") and p)
    cs = after["status"]["containerStatuses"][0]
    assert cs["containerID"] == container_id and cs["restartCount"] == 0
    assert after["status"]["startTime"] == before["status"]["startTime"]


def test_a_label_change_through_the_api_does_not_stick(api: httpx.Client) -> None:
    running(api)
    r = api.patch(POD_URL, json={"metadata": {"labels": {"app": "changed"}}},
                  headers={"Content-Type": "application/merge-patch+json"})
    assert r.status_code == 200 and r.json()["metadata"]["labels"]["app"] == "changed"
    wait_for(lambda: (p := mirror(api)) and p["metadata"]["labels"] == {"app": "static"})


def test_editing_the_manifest_replaces_the_pod(api: httpx.Client, manifests: Path) -> None:
    old = running(api)
    (manifests / "static-web.yaml").write_text(STATIC_WEB.replace("image: nginx", "image: nginx:1.25"))
    try:
        new = wait_for(lambda: (p := mirror(api)) and p["spec"]["containers"][0]["image"] == "nginx:1.25" and
                       p["status"].get("phase") == "Running" and p)
        assert new["metadata"]["annotations"][HASH] != old["metadata"]["annotations"][HASH]
        assert new["metadata"]["uid"] != old["metadata"]["uid"]
    finally:
        (manifests / "static-web.yaml").write_text(STATIC_WEB)
    wait_for(lambda: (p := mirror(api)) and p["spec"]["containers"][0]["image"] == "nginx")


def test_a_second_manifest_and_removing_files(api: httpx.Client, manifests: Path) -> None:
    extra = manifests / "etcd.yaml"
    extra.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\n"
                     "spec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.6.4-0\n")
    (manifests / ".hidden.yaml").write_text(STATIC_WEB.replace("static-web", "hidden"))
    (manifests / "notes.txt").write_text(STATIC_WEB.replace("static-web", "txt"))
    url = "/api/v1/namespaces/kube-system/pods/etcd-fakeapi-control-plane"
    wait_for(lambda: api.get(url).status_code == 200)
    names = {p["metadata"]["name"] for p in api.get("/api/v1/pods").json()["items"]}
    assert "hidden-fakeapi-control-plane" not in names and "txt-fakeapi-control-plane" not in names
    extra.unlink()
    wait_for(lambda: api.get(url).status_code == 404)
    assert mirror(api) is not None
