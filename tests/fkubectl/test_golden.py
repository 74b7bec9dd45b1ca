"""Golden comparisons: the real kubectl and fkubectl (as a subprocess) run the same command against the
same server state and must print the same text (ages normalised; klog lines dropped; `fkubectl` read as
`kubectl`). Both share one discovery cache, so each also reads the cache the other wrote."""

from __future__ import annotations

import time

import pytest

from fakeapi.testing import free_port
from tests.fkubectl.conftest import Cluster, normalize

APP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - {containerPort: 80, name: http}
        env:
        - {name: MODE, value: demo}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: 80}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web}
data: {greeting: hello, multi: "a\\nb\\n"}
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  labels: {run: solo}
spec:
  containers:
  - name: main
    image: busybox
    command: [sleep, "3600"]
"""


@pytest.fixture(scope="module", autouse=True)
def workload(cluster: Cluster) -> None:
    assert cluster.fk("apply", "-f", "-", stdin=APP).code == 0
    assert cluster.fk("wait", "--for=condition=Available", "deploy/web", "--timeout=30s").code == 0
    assert cluster.fk("wait", "--for=condition=Ready", "pod/solo", "--timeout=30s").code == 0


def same(cluster: Cluster, *args: str, attempts: int = 3) -> None:
    for attempt in range(attempts):
        theirs = cluster.kubectl(*args)
        mine = cluster.fk_proc(*args)
        expected = (theirs.code, normalize(theirs.out), normalize(theirs.err))
        actual = (mine.code, normalize(mine.out), normalize(mine.err))
        if actual == expected:
            return
        time.sleep(0.3 if attempt < attempts - 1 else 0)
    assert actual == expected


@pytest.mark.parametrize("args", [
    "get namespaces", "get ns -o wide", "get configmaps", "get cm -A", "get cm --show-labels",
    "get pods", "get pods -o wide", "get pods -A -o wide --show-labels", "get pods -L app -L run",
    "get all", "get all -A", "get deploy,rs -o wide", "get svc,ep", "get nodes -o wide", "get events",
    "get pods --sort-by=.metadata.name --no-headers", "get pods -l app=web -o name",
    "get events --sort-by=.lastTimestamp", "get events -A --sort-by=.metadata.creationTimestamp -o name",
    "get pods -A --sort-by=.spec.nodeName", "get pods --sort-by=.nope",
    "get cm settings -o yaml", "get cm settings -o json", "get deploy web -o yaml", "get pods -o json",
    "get pods -o jsonpath={.items[*].spec.containers[*].image}",
    "get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
])
def test_get(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "describe pod solo", "describe deploy web", "describe svc web", "describe cm settings", "describe ns default",
    "describe rs", "describe pods -l app=web", "describe node fakeapi-worker", "describe pod sol",
])
def test_describe(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "api-resources", "api-resources -o wide", "api-resources --namespaced=false", "api-versions", "cluster-info",
    "rollout status deploy/web", "rollout history deploy/web", "rollout history deploy/web --revision=1",
    "logs solo", "config view", "config get-contexts", "config current-context",
    "explain pods", "explain deploy.spec.replicas", "explain pods.spec.containers --recursive", "explain pods.nope",
    "explain svc.spec", "explain foo",
])
def test_other_commands(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "get pods nope", "get foo", "get deploy nope -n kube-system", "get pods --bogus", "get pods -n", "get",
    "get pods x/y", "get pods,svc -w", "get pods -o foo", "describe pod nope", "delete", "delete pods",
    "frobnicate", "logs nope", "logs", "scale deploy web", "rollout undo deploy/nope", "--context nope get pods",
    "label pods solo", "create", "config use-context nope",
])
def test_errors(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "run r1 --image=busybox --dry-run=client -o json -- sleep 10",
    "run r2 --image=nginx --port=80 --env=A=1 --labels=x=y --restart=Never --dry-run=client -o yaml",
    "create deployment d --image=nginx --replicas=2 --port=80 --dry-run=client -o yaml",
    "create deployment d --image=a/b:1 --image=busybox --dry-run=client -o json",
    "create configmap c --from-literal=a=1 --from-literal=b=2 --dry-run=client -o json",
    "create secret generic s --from-literal=a=1 --dry-run=client -o yaml",
    "create namespace n --dry-run=client -o json",
    "expose deploy web --port=80 --target-port=8080 --type=NodePort --dry-run=client -o yaml",
    "set image deploy/web nginx=nginx:1.26 --dry-run=client -o name",
])
def test_generators(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


def test_connection_refused(cluster: Cluster) -> None:
    same(cluster, "get", "pods", "-s", f"http://127.0.0.1:{free_port()}")
