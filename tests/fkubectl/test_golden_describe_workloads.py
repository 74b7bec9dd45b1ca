"""Golden comparisons for `describe` of StatefulSets, DaemonSets, PersistentVolumes, PersistentVolumeClaims
and Jobs: the real kubectl and fkubectl (as a subprocess) describe the same settled objects on the same
server and must print the same text (ages normalised as in test_golden.py).

The module's server runs a StatefulSet with a volumeClaimTemplate (its claims provisioned from the default
StorageClass), a DaemonSet on every node, the `task-pv` PersistentVolume + claim + pod of the Kubernetes
docs, and a Job that completes; the fixture waits (bounded) until all of them have settled.
"""

from __future__ import annotations

import json
import time

import pytest

from fkubectl.describe.controllers import cap_indexes, selector_string
from fkubectl.describe.storage import access_modes
from tests.fkubectl.conftest import Cluster, normalize

OBJECTS = """apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels: {type: local}
spec:
  storageClassName: manual
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /mnt/data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: Pod
metadata:
  name: task-pv-pod
spec:
  volumes:
  - name: task-pv-storage
    persistentVolumeClaim: {claimName: task-pv-claim}
  containers:
  - name: task-pv-container
    image: nginx
    ports:
    - {containerPort: 80, name: http-server}
    volumeMounts:
    - {mountPath: /usr/share/nginx/html, name: task-pv-storage}
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: nfs-pv
  annotations: {owner: storage-team}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteMany, ReadOnlyMany, ReadWriteOnce]
  persistentVolumeReclaimPolicy: Recycle
  nfs: {server: 10.0.0.1, path: /exports}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [a, b]}
        - {key: zone, operator: Exists}
      - matchExpressions:
        - {key: z, operator: NotIn, values: [c]}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - {port: 80, name: web}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels: {app: web}
  annotations: {team: storage}
spec:
  serviceName: web
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
        - {containerPort: 80, name: web}
        volumeMounts:
        - {name: www, mountPath: /usr/share/nginx/html}
  volumeClaimTemplates:
  - metadata:
      name: www
      labels: {tier: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ordered
spec:
  podManagementPolicy: Parallel
  replicas: 1
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {partition: 1, maxUnavailable: "50%"}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}
  selector:
    matchLabels: {app: ordered}
    matchExpressions:
    - {key: tier, operator: In, values: [b, a]}
  template:
    metadata:
      labels: {app: ordered, tier: a}
    spec:
      containers:
      - name: c
        image: busybox
        command: [sleep, "3600"]
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  labels: {app: agent}
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      tolerations:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
      containers:
      - name: agent
        image: busybox
        command: [sleep, "3600"]
        resources:
          limits: {memory: 64Mi}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ssd-only
spec:
  selector:
    matchLabels: {app: ssd-only}
  template:
    metadata:
      labels: {app: ssd-only}
    spec:
      nodeSelector: {disk: ssd, zone: a}
      containers:
      - name: c
        image: busybox
---
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: busybox
        command: [sh, -c, "echo done"]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: indexed
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: [sh, -c, "echo done"]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: paused
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
"""


def _get(cluster: Cluster, *args: str) -> dict:
    result = cluster.fk("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _settled(cluster: Cluster) -> list[str]:
    """What has not settled yet (empty when everything has)."""
    waiting = []
    for sts in _get(cluster, "statefulsets")["items"]:
        spec, status = sts["spec"], sts.get("status") or {}
        if status.get("readyReplicas", 0) != spec.get("replicas", 1) or status.get("replicas", 0) != spec["replicas"]:
            waiting.append(f"statefulset/{sts['metadata']['name']}")
    for ds in _get(cluster, "daemonsets")["items"]:
        status = ds.get("status") or {}
        if (status.get("observedGeneration") is None
                or status.get("numberAvailable", 0) != status.get("desiredNumberScheduled", 0)):
            waiting.append(f"daemonset/{ds['metadata']['name']}")
    for job in _get(cluster, "jobs")["items"]:
        if not job["spec"].get("suspend") and not (job.get("status") or {}).get("completionTime"):
            waiting.append(f"job/{job['metadata']['name']}")
    claims = _get(cluster, "pvc")["items"]
    if len(claims) < 3:  # task-pv-claim and the StatefulSet's two
        waiting.append("pvc count")
    waiting += [f"pvc/{c['metadata']['name']}" for c in claims if (c.get("status") or {}).get("phase") != "Bound"]
    pods = _get(cluster, "pods")["items"]
    waiting += [f"pod/{p['metadata']['name']}" for p in pods
                if (p.get("status") or {}).get("phase") not in ("Running", "Succeeded")]
    return waiting


@pytest.fixture(scope="module", autouse=True)
def workloads(cluster: Cluster) -> None:
    assert cluster.fk("apply", "-f", "-", stdin=OBJECTS).code == 0
    deadline = time.monotonic() + 60
    waiting = _settled(cluster)
    while waiting and time.monotonic() < deadline:
        time.sleep(0.2)
        waiting = _settled(cluster)
    assert not waiting, f"not settled: {waiting}"
    time.sleep(0.5)  # let the last events of the controllers land


def same(cluster: Cluster, *args: str, attempts: int = 3) -> None:
    for attempt in range(attempts):
        theirs = cluster.kubectl(*args)
        assert theirs.code == 0 and theirs.out, theirs.err  # every case here describes something
        mine = cluster.fk_proc(*args)
        expected = (theirs.code, normalize(theirs.out), normalize(theirs.err))
        actual = (mine.code, normalize(mine.out), normalize(mine.err))
        if actual == expected:
            return
        time.sleep(0.3 if attempt < attempts - 1 else 0)
    assert actual == expected


@pytest.mark.parametrize("args", [
    "describe statefulset web", "describe sts ordered", "describe sts", "describe sts we",
    "describe statefulsets.apps/web --show-events=false",
])
def test_describe_statefulset(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "describe daemonset agent", "describe ds ssd-only", "describe ds", "describe ds -l app=agent", "describe ds ag",
])
def test_describe_daemonset(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "describe pv task-pv-volume", "describe persistentvolume nfs-pv", "describe pv", "describe pv task",
    "describe pv --show-events=false",
])
def test_describe_persistent_volume(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "describe pvc task-pv-claim", "describe persistentvolumeclaim www-web-0", "describe pvc", "describe pvc -A",
    "describe pvc -l app=web", "describe pvc www",
])
def test_describe_persistent_volume_claim(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


@pytest.mark.parametrize("args", [
    "describe job pi", "describe jobs.batch indexed", "describe job paused", "describe jobs", "describe job p",
])
def test_describe_job(cluster: Cluster, args: str) -> None:
    same(cluster, *args.split())


def test_describe_mixed_kinds(cluster: Cluster) -> None:
    same(cluster, "describe", "sts/web", "ds/agent", "pv/task-pv-volume", "pvc/task-pv-claim", "job/pi")


@pytest.mark.parametrize(("selector", "text"), [
    (None, ""),
    ({}, ""),
    ({"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2"),
    ({"matchLabels": {"app": "x"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["b", "a"]}, {"key": "gone", "operator": "DoesNotExist"},
        {"key": "env", "operator": "NotIn", "values": ["prod"]}, {"key": "has", "operator": "Exists"}]},
     "app=x,env notin (prod),!gone,has,tier in (a,b)"),
])
def test_selector_string(selector: dict | None, text: str) -> None:
    assert selector_string(selector) == text


def test_access_modes_and_indexes() -> None:
    assert access_modes(["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce", "ReadWriteOncePod"]) == "RWO,RWX,RWOP"
    assert access_modes(None) == ""
    assert cap_indexes("") == "<none>"
    assert cap_indexes("0-2") == "0-2"
    long = ",".join(str(i) for i in range(0, 60, 2))
    assert cap_indexes(long) == long[:long.index(",", 50) + 1] + "..."
