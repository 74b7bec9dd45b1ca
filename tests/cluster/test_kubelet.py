"""The simulated kubelet against a running server (speed 50: a simulated second is 20 ms): phases and container
states, restarts with back-off and CrashLoopBackOff, image pulls by imagePullPolicy, init containers, probes,
lifecycle hooks, graceful termination, and the events and logs it leaves behind.

Assertions look at what a client sees through the API. Where a sequence of states matters, the test watches
the pod from its creation resourceVersion instead of polling, so no short-lived state is missed."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer

Obj = dict[str, Any]
T = TypeVar("T")
SPEED = 50


@dataclass
class Cluster:
    url: str
    api: httpx.Client

    # ---- requests ------------------------------------------------------------------------------------
    def create(self, name: str, containers: list[Obj], **spec: Any) -> Obj:
        labels = spec.pop("labels", None)
        meta: Obj = {"name": name}
        if labels:
            meta["labels"] = labels
        body = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": containers, **spec}}
        r = self.api.post("/api/v1/namespaces/default/pods", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def create_service(self, name: str) -> None:
        body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                "spec": {"ports": [{"protocol": "TCP", "port": 80, "targetPort": 9376}]}}
        r = self.api.post("/api/v1/namespaces/default/services", json=body)
        assert r.status_code == 201, r.text

    def pod(self, name: str) -> Obj | None:
        r = self.api.get(f"/api/v1/namespaces/default/pods/{name}")
        return r.json() if r.status_code == 200 else None

    def status(self, name: str) -> Obj:
        pod = self.pod(name)
        assert pod is not None, f"pod {name} is gone"
        return dict(pod.get("status") or {})

    def cs(self, name: str, index: int = 0, init: bool = False) -> Obj:
        key = "initContainerStatuses" if init else "containerStatuses"
        statuses = self.status(name).get(key) or []
        return statuses[index] if len(statuses) > index else {}

    def events(self, name: str, reason: str | None = None) -> list[Obj]:
        items = self.api.get("/api/v1/namespaces/default/events",
                             params={"fieldSelector": f"involvedObject.name={name}"}).json()["items"]
        return [e for e in items if reason is None or e["reason"] == reason]

    def logs(self, name: str, **params: Any) -> httpx.Response:
        return self.api.get(f"/api/v1/namespaces/default/pods/{name}/log", params=params)

    def delete(self, name: str, grace: int | None = None) -> Obj:
        body = {} if grace is None else {"gracePeriodSeconds": grace}
        r = self.api.request("DELETE", f"/api/v1/namespaces/default/pods/{name}", json=body)
        assert r.status_code in (200, 202), r.text
        return r.json()

    def watch(self, name: str, rv: str, until: Callable[[str, Obj], bool], timeout: float = 5.0) -> list[tuple[str, Obj]]:
        """Every (type, pod) from resourceVersion `rv` on, up to and including the first for which `until` holds."""
        seen: list[tuple[str, Obj]] = []
        params = {"watch": "1", "fieldSelector": f"metadata.name={name}", "resourceVersion": rv,
                  "timeoutSeconds": str(math.ceil(timeout))}
        try:
            with self.api.stream("GET", "/api/v1/namespaces/default/pods", params=params,
                                 timeout=httpx.Timeout(timeout + 2)) as r:
                for line in r.iter_lines():
                    if not line:
                        continue
                    ev = json.loads(line)
                    if ev["type"] not in ("ADDED", "MODIFIED", "DELETED"):
                        continue
                    seen.append((ev["type"], ev["object"]))
                    if until(ev["type"], ev["object"]):
                        return seen
        except httpx.ReadTimeout:
            pass
        raise AssertionError(f"watch of {name} ended before the condition; last: {seen[-1:]!r}")


def wait_for(fn: Callable[[], T], timeout: float = 5.0, interval: float = 0.03) -> T:
    deadline = time.monotonic() + timeout
    last: T = fn()
    while not last:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; last value: {last!r}")
        time.sleep(interval)
        last = fn()
    return last


def state(cs: Obj) -> str:
    return next(iter(cs.get("state") or {"": None}))


def reason(cs: Obj) -> str:
    st = cs.get("state") or {}
    return str((st.get("waiting") or st.get("terminated") or {}).get("reason") or "")


def statuses(pod: Obj, init: bool = False) -> list[Obj]:
    return list((pod.get("status") or {}).get("initContainerStatuses" if init else "containerStatuses") or [])


@pytest.fixture(scope="module")
def k() -> Iterator[Cluster]:
    with RunningServer(Config(storage="memory", speed=SPEED)) as running:
        with httpx.Client(base_url=running.url, timeout=10) as client:
            yield Cluster(running.url, client)


def nginx(name: str = "web", image: str = "nginx:1.25", **extra: Any) -> Obj:
    return {"name": name, "image": image, "ports": [{"containerPort": 80}], **extra}


# ---- running, completing, failing --------------------------------------------------------------------

def test_a_server_pod_runs_and_is_ready(k: Cluster) -> None:
    k.create("run", [nginx()])
    cs = wait_for(lambda: (c := k.cs("run")) and c.get("ready") and c)
    st = k.status("run")
    assert st["phase"] == "Running"
    assert [(c["type"], c["status"]) for c in st["conditions"]] == [
        ("PodReadyToStartContainers", "True"), ("Initialized", "True"), ("Ready", "True"),
        ("ContainersReady", "True"), ("PodScheduled", "True")]
    assert cs["started"] is True and cs["restartCount"] == 0
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", cs["containerID"])
    assert cs["image"] == "docker.io/library/nginx:1.25"
    assert re.fullmatch(r"docker\.io/library/nginx@sha256:[0-9a-f]{64}", cs["imageID"])
    assert "startedAt" in cs["state"]["running"]
    assert re.fullmatch(r"10\.244\.[12]\.\d+", st["podIP"]) and st["podIPs"] == [{"ip": st["podIP"]}]
    assert st["hostIP"] in ("172.18.0.3", "172.18.0.4") and st["startTime"]
    reasons = [e["reason"] for e in k.events("run")]
    for expected in ("Scheduled", "Pulling", "Pulled", "Created", "Started"):
        assert expected in reasons
    created = k.events("run", "Created")[0]
    assert created["message"] == "Created container: web"
    assert created["involvedObject"]["fieldPath"] == "spec.containers{web}"
    assert created["source"]["component"] == "kubelet" and created["source"]["host"] == k.pod("run")["spec"]["nodeName"]
    assert k.events("run", "Started")[0]["message"] == "Started container web"
    pulled = k.events("run", "Pulled")[0]["message"]
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.25" in \d+\.\d{3}s \(\d+\.\d{3}s including waiting\)\. '
                        r"Image size: \d+ bytes\.", pulled)


def test_nginx_logs_its_start_up_lines(k: Cluster) -> None:
    k.create("startlog", [nginx()])
    wait_for(lambda: k.cs("startlog").get("ready"))
    text = k.logs("startlog").text
    assert "/docker-entrypoint.sh: Configuration complete; ready for start up" in text
    assert re.search(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: start worker processes$", text, re.M)


def test_nginx_start_line_names_the_tagged_version(k: Cluster) -> None:
    k.create("nginx-version", [nginx(image="nginx:1.20.2")])
    wait_for(lambda: k.cs("nginx-version").get("ready"))
    assert "[notice] 1#1: nginx/1.20.2" in k.logs("nginx-version").text


def test_two_containers_run_side_by_side(k: Cluster) -> None:
    k.create("two", [nginx("a"), {"name": "b", "image": "busybox:1.36",
                                  "command": ["sh", "-c", "while true; do echo tick; sleep 1; done"]}])
    wait_for(lambda: len(css := statuses(k.pod("two") or {})) == 2 and all(c.get("ready") for c in css))
    assert k.logs("two", container="b").text.startswith("tick\n")
    r = k.logs("two")
    assert r.status_code == 400
    assert "a container name must be specified for pod two, choose one of: [a b]" in r.text


@pytest.mark.parametrize("policy", ["Never", "OnFailure"])
def test_a_command_that_exits_0_completes(k: Cluster, policy: str) -> None:
    name = f"done-{policy.lower()}"
    k.create(name, [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "echo hi"]}], restartPolicy=policy)
    wait_for(lambda: k.status(name).get("phase") == "Succeeded")
    cs = k.cs(name)
    term = cs["state"]["terminated"]
    assert (term["reason"], term["exitCode"]) == ("Completed", 0)
    assert term["startedAt"] and term["finishedAt"] and term["containerID"] == cs["containerID"]
    assert cs["restartCount"] == 0 and cs["ready"] is False and cs["started"] is False
    ready = [c for c in k.status(name)["conditions"] if c["type"] == "Ready"][0]
    assert ready["status"] == "False" and ready["reason"] == "PodCompleted"
    assert k.logs(name).text == "hi\n"


def test_a_command_that_fails_with_never_fails_the_pod(k: Cluster) -> None:
    k.create("fail-never", [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "echo oops; exit 3"]}],
             restartPolicy="Never")
    wait_for(lambda: k.status("fail-never").get("phase") == "Failed")
    term = k.cs("fail-never")["state"]["terminated"]
    assert (term["reason"], term["exitCode"]) == ("Error", 3)
    assert k.cs("fail-never")["restartCount"] == 0


def test_last_state_is_recorded_from_the_first_restart(k: Cluster) -> None:
    pod = k.create("first-restart", [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "echo hi; exit 1"]}])
    seen = k.watch("first-restart", pod["metadata"]["resourceVersion"],
                   lambda _t, p: any(c.get("restartCount", 0) >= 1 for c in statuses(p)))
    cs = statuses(seen[-1][1])[0]
    assert cs["lastState"]["terminated"]["exitCode"] == 1


def test_on_failure_restarts_a_failing_container(k: Cluster) -> None:
    k.create("fail-onfailure", [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "exit 2"]}],
             restartPolicy="OnFailure")
    wait_for(lambda: k.cs("fail-onfailure").get("restartCount", 0) >= 2)
    assert k.status("fail-onfailure")["phase"] == "Running"
    assert k.cs("fail-onfailure")["lastState"]["terminated"]["exitCode"] == 2


# ---- CrashLoopBackOff (seed 000, pod-test1) -------------------------------------------------------------

def test_pod_test1_crash_loop_back_off_doubles(k: Cluster) -> None:
    pod = k.create("pod-test1", [{"name": "nginx", "image": "nginx", "imagePullPolicy": "Always",
                                  "command": ["echo", "SUCCESS"]}])
    uid, rv = pod["metadata"]["uid"], pod["metadata"]["resourceVersion"]
    seen = k.watch("pod-test1", rv, lambda _t, p: any(c.get("restartCount", 0) >= 3 and reason(c) == "CrashLoopBackOff"
                                                      for c in statuses(p)), timeout=8)
    backoffs: dict[int, set[str]] = {}
    for _, p in seen:
        for c in statuses(p):
            if reason(c) == "CrashLoopBackOff":
                backoffs.setdefault(c["restartCount"], set()).add(c["state"]["waiting"]["message"])
                last = c["lastState"]["terminated"]
                assert (last["reason"], last["exitCode"]) == ("Completed", 0)
                assert c["ready"] is False
                assert p["status"]["phase"] == "Running"
    # the first restart is immediate; after that the kubelet backs off 10s, 20s, 40s, ... up to 5m
    assert 0 not in backoffs
    for n in (1, 2, 3):
        assert backoffs[n] == {f"back-off {10 * 2 ** (n - 1)}s restarting failed container=nginx "
                               f"pod=pod-test1_default({uid})"}
    back_off = k.events("pod-test1", "BackOff")[0]
    assert back_off["type"] == "Warning"
    assert back_off["message"] == f"Back-off restarting failed container nginx in pod pod-test1_default({uid})"
    assert back_off["count"] >= 3
    # imagePullPolicy Always: every start pulls again
    assert k.events("pod-test1", "Pulling")[0]["count"] >= 3
    assert k.events("pod-test1", "Started")[0]["count"] >= 3
    assert k.logs("pod-test1").text == "SUCCESS\n"


# ---- image pulls ---------------------------------------------------------------------------------------

def test_if_not_present_reuses_the_node_image(k: Cluster) -> None:
    pin = {"kubernetes.io/hostname": "fakeapi-worker2"}
    k.create("pull-1", [nginx(image="nginx:1.26")], nodeSelector=pin)
    wait_for(lambda: k.cs("pull-1").get("ready"))
    k.create("pull-2", [nginx(image="nginx:1.26")], nodeSelector=pin)
    wait_for(lambda: k.cs("pull-2").get("ready"))
    assert k.events("pull-2", "Pulling") == []
    [pulled] = k.events("pull-2", "Pulled")
    assert pulled["message"].startswith('Container image "nginx:1.26" already present on machine')


def test_always_pulls_even_when_present(k: Cluster) -> None:
    pin = {"kubernetes.io/hostname": "fakeapi-worker2"}
    k.create("pull-3", [nginx(image="nginx:1.26", imagePullPolicy="Always")], nodeSelector=pin)
    wait_for(lambda: k.cs("pull-3").get("ready"))
    assert len(k.events("pull-3", "Pulling")) == 1


def test_never_with_an_absent_image(k: Cluster) -> None:
    k.create("never-pull", [nginx(image="redis:7.4", imagePullPolicy="Never")])
    cs = wait_for(lambda: (c := k.cs("never-pull")) and reason(c) == "ErrImageNeverPull" and c)
    assert cs["state"]["waiting"]["message"] == 'Container image "redis:7.4" is not present with pull policy of Never'
    ev = wait_for(lambda: k.events("never-pull", "ErrImageNeverPull"))[0]
    assert ev["type"] == "Warning"
    assert k.status("never-pull")["phase"] == "Pending"


def test_a_missing_image_goes_err_image_pull_then_image_pull_back_off(k: Cluster) -> None:
    pod = k.create("no-image", [nginx(image="nginx:doesnotexist")])
    seen = k.watch("no-image", pod["metadata"]["resourceVersion"],
                   lambda _t, p: any(reason(c) == "ImagePullBackOff" for c in statuses(p)))
    reasons = [reason(c) for _, p in seen for c in statuses(p)]
    assert "ErrImagePull" in reasons
    assert reasons.index("ErrImagePull") < reasons.index("ImagePullBackOff")
    cs = statuses(seen[-1][1])[0]
    assert cs["state"]["waiting"]["message"].startswith('Back-off pulling image "nginx:doesnotexist": ErrImagePull: ')
    messages = {e["message"] for e in wait_for(lambda: len(k.events("no-image", "Failed")) >= 3 and
                                               k.events("no-image", "Failed"))}
    assert "Error: ErrImagePull" in messages and "Error: ImagePullBackOff" in messages
    assert any(m.startswith('Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound') for m in messages)
    assert [e["message"] for e in k.events("no-image", "BackOff")] == ['Back-off pulling image "nginx:doesnotexist"']
    assert k.status("no-image")["phase"] == "Pending"
    r = k.logs("no-image")
    assert r.status_code == 400 and r.json()["message"].startswith('container "web" in pod "no-image" is waiting to start')


def test_logs_of_a_container_that_cannot_pull(k: Cluster) -> None:
    k.create("no-image-logs", [nginx(image="nginx:doesnotexist")])
    wait_for(lambda: reason(k.cs("no-image-logs")) == "ImagePullBackOff")
    assert k.logs("no-image-logs").json()["message"] == \
        'container "web" in pod "no-image-logs" is waiting to start: trying and failing to pull image'


def test_an_invalid_reference(k: Cluster) -> None:
    k.create("bad-ref", [{"name": "web", "image": "NGINX:Latest"}])
    cs = wait_for(lambda: (c := k.cs("bad-ref")) and reason(c) == "InvalidImageName" and c)
    assert 'couldn\'t parse image name "NGINX:Latest": invalid reference format' in cs["state"]["waiting"]["message"]
    assert wait_for(lambda: k.events("bad-ref", "InspectFailed"))[0]["type"] == "Warning"


# ---- init containers (seed 000, myapp-pod) --------------------------------------------------------------

MYAPP = {
    "containers": [{"name": "myapp-container", "image": "busybox:1.28",
                    "command": ["sh", "-c", "echo The app is running! && sleep 3600"]}],
    "initContainers": [
        {"name": "init-myservice", "image": "busybox:1.28",
         "command": ["sh", "-c", "until nslookup myservice; do echo waiting for myservice; sleep 2; done;"]},
        {"name": "init-mydb", "image": "busybox:1.28",
         "command": ["sh", "-c", "until nslookup mydb; do echo waiting for mydb; sleep 2; done;"]}],
}


def test_init_containers_run_one_after_another(k: Cluster) -> None:
    pod = k.create("myapp-pod", MYAPP["containers"], initContainers=MYAPP["initContainers"], labels={"app": "myapp"})
    rv = pod["metadata"]["resourceVersion"]
    wait_for(lambda: state(k.cs("myapp-pod", 0, init=True)) == "running")
    wait_for(lambda: "waiting for myservice" in k.logs("myapp-pod", container="init-myservice").text)
    st = k.status("myapp-pod")
    assert st["phase"] == "Pending"
    init_cond = [c for c in st["conditions"] if c["type"] == "Initialized"][0]
    assert init_cond["status"] == "False" and init_cond["reason"] == "ContainersNotInitialized"
    assert init_cond["message"] == "containers with incomplete status: [init-myservice init-mydb]"
    assert reason(k.cs("myapp-pod", 1, init=True)) == "PodInitializing"
    assert reason(k.cs("myapp-pod")) == "PodInitializing"
    r = k.logs("myapp-pod")
    assert r.status_code == 400
    assert r.json()["message"] == 'container "myapp-container" in pod "myapp-pod" is waiting to start: PodInitializing'

    k.create_service("myservice")
    wait_for(lambda: state(k.cs("myapp-pod", 1, init=True)) == "running")
    k.create_service("mydb")
    seen = k.watch("myapp-pod", rv, lambda _t, p: bool(statuses(p)) and statuses(p)[0].get("ready") is True)
    for _, p in seen:
        init = statuses(p, init=True)
        app = statuses(p)
        if init and state(init[1]) == "running":
            assert state(init[0]) == "terminated"
        if app and state(app[0]) == "running":
            assert [state(c) for c in init] == ["terminated", "terminated"]
            assert p["status"]["phase"] == "Running"
    final = seen[-1][1]["status"]
    for c in final["initContainerStatuses"]:
        assert (c["state"]["terminated"]["reason"], c["state"]["terminated"]["exitCode"]) == ("Completed", 0)
    assert [c["status"] for c in final["conditions"] if c["type"] == "Initialized"] == ["True"]
    logs = k.logs("myapp-pod", container="init-myservice").text
    assert "nslookup: can't resolve 'myservice'" in logs
    assert "Name:      myservice" in logs
    assert wait_for(lambda: k.logs("myapp-pod").text) == "The app is running!\n"


def test_completed_init_containers_are_ready(k: Cluster) -> None:
    k.create("init-ready", [nginx()], initContainers=[{"name": "prep", "image": "busybox:1.36",
                                                       "command": ["sh", "-c", "echo prepared"]}])
    wait_for(lambda: k.cs("init-ready").get("ready"))
    assert k.cs("init-ready", 0, init=True)["ready"] is True


def test_a_failing_init_container_with_never_fails_the_pod(k: Cluster) -> None:
    k.create("init-fail-never", [nginx()], restartPolicy="Never",
             initContainers=[{"name": "prep", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}])
    wait_for(lambda: k.status("init-fail-never").get("phase") == "Failed")
    assert k.cs("init-fail-never", 0, init=True)["state"]["terminated"]["exitCode"] == 1
    assert reason(k.cs("init-fail-never")) == "PodInitializing"


def test_a_failing_init_container_crash_loops(k: Cluster) -> None:
    k.create("init-crash", [nginx()], initContainers=[{"name": "prep", "image": "busybox:1.36",
                                                       "command": ["sh", "-c", "exit 1"]}])
    cs = wait_for(lambda: (c := k.cs("init-crash", 0, init=True)) and reason(c) == "CrashLoopBackOff"
                  and c.get("restartCount", 0) >= 1 and c)
    assert cs["lastState"]["terminated"]["exitCode"] == 1
    assert k.status("init-crash")["phase"] == "Pending"


def test_init_container_back_off_matches_app_containers(k: Cluster) -> None:
    pod = k.create("init-backoff", [nginx()], initContainers=[{"name": "prep", "image": "busybox:1.36",
                                                               "command": ["sh", "-c", "exit 1"]}])
    uid = pod["metadata"]["uid"]
    seen = k.watch("init-backoff", pod["metadata"]["resourceVersion"],
                   lambda _t, p: any(c.get("restartCount", 0) >= 2 for c in statuses(p, init=True)))
    loops = [c for _, p in seen for c in statuses(p, init=True) if reason(c) == "CrashLoopBackOff"]
    assert loops[0]["restartCount"] == 1
    assert loops[0]["state"]["waiting"]["message"] == \
        f"back-off 10s restarting failed container=prep pod=init-backoff_default({uid})"


def test_native_sidecar_keeps_running_beside_the_app(k: Cluster) -> None:
    k.create("sidecar", [nginx()], initContainers=[{
        "name": "logshipper", "image": "busybox:1.36", "restartPolicy": "Always",
        "command": ["sh", "-c", "while true; do echo shipping; sleep 5; done"]}])
    wait_for(lambda: k.cs("sidecar").get("ready"), timeout=1.5)
    side = k.cs("sidecar", 0, init=True)
    assert state(side) == "running" and side["ready"] is True and side["started"] is True
    assert k.status("sidecar")["phase"] == "Running"


# ---- probes (seed 004) -----------------------------------------------------------------------------------

def test_all_three_probe_kinds_make_the_pod_ready(k: Cluster) -> None:
    pod = k.create("probed", [nginx(
        image="nginx:1.20.2",
        startupProbe={"httpGet": {"path": "/index.html", "port": 80}, "initialDelaySeconds": 5, "periodSeconds": 3,
                      "failureThreshold": 3},
        livenessProbe={"tcpSocket": {"port": 80}, "initialDelaySeconds": 5, "periodSeconds": 3, "timeoutSeconds": 5},
        readinessProbe={"exec": {"command": ["nginx", "-t"]}, "initialDelaySeconds": 5, "periodSeconds": 3})])
    seen = k.watch("probed", pod["metadata"]["resourceVersion"],
                   lambda _t, p: bool(statuses(p)) and statuses(p)[0].get("ready") is True)
    running = [c for _, p in seen for c in statuses(p) if state(c) == "running"]
    # started only once the startup probe passed; ready only after that
    assert running and running[0]["started"] is False and running[0]["ready"] is False
    assert statuses(seen[-1][1])[0]["started"] is True
    assert [c["status"] for c in seen[-1][1]["status"]["conditions"] if c["type"] == "Ready"] == ["True"]
    time.sleep(0.5)  # 25 simulated seconds of passing probes
    assert k.cs("probed")["restartCount"] == 0
    assert k.events("probed", "Unhealthy") == []
    assert 'GET /index.html HTTP/1.1" 200' in k.logs("probed").text


def test_seed_003_nginx_po_startup_probe_exec(k: Cluster) -> None:
    k.create("nginx-po", [{
        "name": "nginx", "image": "nginx:latest", "imagePullPolicy": "IfNotPresent",
        "startupProbe": {"exec": {"command": ["sh", "-c", "sleep 1; echo 'success' > /inited"]},
                         "failureThreshold": 5, "successThreshold": 1, "periodSeconds": 10, "timeoutSeconds": 5},
        "command": ["nginx", "-g", "daemon off;"], "workingDir": "/usr/share/nginx/html",
        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
        "env": [{"name": "JVM_OPTS", "value": "-Xms128m -Xmx128m"}],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "200m", "memory": "256Mi"}}}],
        restartPolicy="OnFailure", labels={"type": "app", "version": "1.0.1"})
    cs = wait_for(lambda: (c := k.cs("nginx-po")) and c.get("ready") and c)
    assert cs["started"] is True and cs["restartCount"] == 0
    assert k.status("nginx-po")["qosClass"] == "Burstable"


def test_a_failing_readiness_probe_keeps_the_pod_unready_without_restarts(k: Cluster) -> None:
    k.create("not-ready", [nginx(readinessProbe={"httpGet": {"path": "/monitor/monitor.html", "port": 80},
                                                 "periodSeconds": 3})])
    ev = wait_for(lambda: k.events("not-ready", "Unhealthy"))[0]
    assert ev["type"] == "Warning"
    assert ev["message"] == "Readiness probe failed: HTTP probe failed with statuscode: 404"
    wait_for(lambda: k.events("not-ready", "Unhealthy")[0]["count"] >= 4)
    cs = k.cs("not-ready")
    assert state(cs) == "running" and cs["ready"] is False and cs["restartCount"] == 0
    cond = [c for c in k.status("not-ready")["conditions"] if c["type"] == "ContainersReady"][0]
    assert cond["status"] == "False" and cond["reason"] == "ContainersNotReady"
    assert cond["message"] == "containers with unready status: [web]"
    assert k.events("not-ready", "Killing") == []


LIVENESS_404 = {"httpGet": {"path": "/monitor/monitor.html", "port": 80}, "initialDelaySeconds": 5,
                "periodSeconds": 3, "timeoutSeconds": 3, "successThreshold": 1, "failureThreshold": 3}


def test_a_failing_liveness_probe_kills_and_restarts(k: Cluster) -> None:
    k.create("liveness-404", [nginx(image="nginx:1.20.2", livenessProbe=LIVENESS_404)])
    wait_for(lambda: k.cs("liveness-404").get("restartCount", 0) >= 1)
    unhealthy = k.events("liveness-404", "Unhealthy")[0]
    assert unhealthy["type"] == "Warning"
    assert unhealthy["message"] == "Liveness probe failed: HTTP probe failed with statuscode: 404"
    assert unhealthy["count"] >= 3
    killing = k.events("liveness-404", "Killing")[0]
    assert killing["type"] == "Normal"
    assert killing["message"] == "Container web failed liveness probe, will be restarted"


def test_liveness_killed_nginx_exits_cleanly(k: Cluster) -> None:
    k.create("liveness-exit", [nginx(livenessProbe=LIVENESS_404)])
    cs = wait_for(lambda: (c := k.cs("liveness-exit")) and (c.get("lastState") or {}).get("terminated") and c)
    last = cs["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Completed", 0)


def test_liveness_restarts_back_off(k: Cluster) -> None:
    k.create("liveness-backoff", [nginx(image="nginx:1.20.2", livenessProbe=LIVENESS_404)])
    try:
        wait_for(lambda: state(k.cs("liveness-backoff")) == "running")
        deadline = time.monotonic() + 150 / SPEED
        restarts = 0
        while time.monotonic() < deadline and restarts <= 5:
            restarts = max(restarts, k.cs("liveness-backoff").get("restartCount", 0))
            time.sleep(0.05)
        # restarts at about 11s, 33s, 64s and 115s of simulated time
        assert 1 <= restarts <= 5
    finally:
        k.delete("liveness-backoff", grace=0)


def test_liveness_exec_docs_example_restarts_once(k: Cluster) -> None:
    k.create("liveness-exec", [{
        "name": "liveness", "image": "registry.k8s.io/busybox",
        "args": ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
        "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                          "periodSeconds": 5}}])
    try:
        deadline = time.monotonic() + 4
        cs = k.cs("liveness-exec")
        while not (cs.get("restartCount", 0) >= 1 and state(cs) == "running"):
            assert cs.get("restartCount", 0) <= 2 and time.monotonic() < deadline, cs
            time.sleep(0.03)
            cs = k.cs("liveness-exec")
        assert cs["lastState"]["terminated"]["exitCode"] == 137  # sh ignores SIGTERM
        msg = k.events("liveness-exec", "Unhealthy")[0]["message"]
        assert msg == "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
    finally:
        k.delete("liveness-exec", grace=0)


def test_failing_http_probes_are_in_the_access_log(k: Cluster) -> None:
    k.create("liveness-log", [nginx(livenessProbe=LIVENESS_404)])
    try:
        wait_for(lambda: k.events("liveness-log", "Unhealthy"))
        assert re.search(r'"GET /monitor/monitor\.html HTTP/1\.1" 404 \d+ "-" "kube-probe/1\.37"',
                         k.logs("liveness-log").text + k.logs("liveness-log", previous="true").text)
    finally:
        k.delete("liveness-log", grace=0)


def test_a_failing_startup_probe_kills_the_container(k: Cluster) -> None:
    k.create("startup-fail", [nginx(startupProbe={"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 2,
                                                  "failureThreshold": 2})])
    killing = wait_for(lambda: k.events("startup-fail", "Killing"))[0]
    assert killing["message"] == "Container web failed startup probe, will be restarted"
    msg = k.events("startup-fail", "Unhealthy")[0]["message"]
    assert re.fullmatch(r'Startup probe failed: Get "http://10\.244\.\d+\.\d+:8080/": dial tcp 10\.244\.\d+\.\d+:8080: '
                        r"connect: connection refused", msg)
    assert k.cs("startup-fail")["ready"] is False


def test_readiness_initial_delay_counts_from_container_start(k: Cluster) -> None:
    k.create("delays", [nginx(
        startupProbe={"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 50, "periodSeconds": 1},
        readinessProbe={"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 50, "periodSeconds": 1})])
    wait_for(lambda: state(k.cs("delays")) == "running", interval=0.01)
    started = time.monotonic()
    wait_for(lambda: k.cs("delays").get("ready"), timeout=4, interval=0.01)
    # 50 simulated seconds after start (1 s here); not 50 after the startup probe passed (2 s)
    assert time.monotonic() - started < 1.5


# ---- lifecycle hooks -----------------------------------------------------------------------------------

def test_seed_004_post_start_and_pre_stop_exec_hooks(k: Cluster) -> None:
    k.create("lifecycle", [{
        "name": "tomcat", "image": "tomcat:7.0.94-alpine", "ports": [{"name": "http", "containerPort": 8080}],
        "lifecycle": {
            "postStart": {"exec": {"command": ["/bin/sh", "-c", "echo 'Hello from the postStart handler' >> "
                                                                "/usr/local/tomcat/webapps/ROOT/index.html"]}},
            "preStop": {"exec": {"command": ["/usr/local/tomcat/bin/catalina.sh", "stop"]}}}}],
        terminationGracePeriodSeconds=60)
    wait_for(lambda: k.cs("lifecycle").get("ready"))
    assert not [e for e in k.events("lifecycle") if "Hook" in e["reason"]]
    k.delete("lifecycle")
    wait_for(lambda: k.pod("lifecycle") is None)
    assert not [e for e in k.events("lifecycle") if "Hook" in e["reason"]]


def test_a_failing_post_start_hook_kills_the_container(k: Cluster) -> None:
    k.create("poststart-fail", [nginx(lifecycle={"postStart": {"exec": {"command": ["/bin/false"]}}})])
    ev = wait_for(lambda: k.events("poststart-fail", "FailedPostStartHook"))[0]
    assert ev["type"] == "Warning"
    wait_for(lambda: k.cs("poststart-fail").get("restartCount", 0) >= 1)


def test_failed_post_start_hook_events_are_the_kubelets(k: Cluster) -> None:
    k.create("poststart-msg", [nginx(lifecycle={"postStart": {"exec": {"command": ["/bin/false"]}}})])
    ev = wait_for(lambda: k.events("poststart-msg", "FailedPostStartHook"))[0]
    assert ev["message"] == "PostStartHook failed"
    assert "FailedPostStartHook" in [e["message"] for e in k.events("poststart-msg", "Killing")]


# ---- termination ---------------------------------------------------------------------------------------

def test_deleting_a_pod_stops_its_containers_and_removes_it(k: Cluster) -> None:
    k.create("bye", [nginx()])
    wait_for(lambda: k.cs("bye").get("ready"))
    deleted = k.delete("bye")
    assert deleted["metadata"]["deletionTimestamp"] and deleted["metadata"]["deletionGracePeriodSeconds"] == 30
    wait_for(lambda: k.pod("bye") is None, timeout=3)
    killing = k.events("bye", "Killing")[0]
    assert killing["message"] == "Stopping container web"
    assert killing["involvedObject"]["fieldPath"] == "spec.containers{web}"


def test_final_container_states_on_deletion(k: Cluster) -> None:
    pod = k.create("bye-sleep", [{"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"]}],
                   terminationGracePeriodSeconds=3)
    wait_for(lambda: state(k.cs("bye-sleep")) == "running")
    k.delete("bye-sleep")
    seen = k.watch("bye-sleep", pod["metadata"]["resourceVersion"], lambda t, _p: t == "DELETED")
    term = statuses(seen[-1][1])[0]["state"]["terminated"]
    assert term["exitCode"] == 137 and term["reason"] == "Error"  # sleep ignores SIGTERM: killed at the deadline


@pytest.mark.parametrize("name,container,phase", [
    ("term-sleep", {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"]}, "Failed"),
    ("term-nginx", {"name": "c", "image": "nginx:1.25"}, "Succeeded")])
def test_deleted_pods_reach_a_terminal_phase(k: Cluster, name: str, container: Obj, phase: str) -> None:
    pod = k.create(name, [container], terminationGracePeriodSeconds=3)
    wait_for(lambda: state(k.cs(name)) == "running")
    k.delete(name)
    seen = k.watch(name, pod["metadata"]["resourceVersion"], lambda t, _p: t == "DELETED")
    assert seen[-1][1]["status"]["phase"] == phase


def test_host_network_pods_use_the_node_ip(k: Cluster) -> None:
    k.create("hostnet", [nginx()], hostNetwork=True)
    st = wait_for(lambda: (s := k.status("hostnet")) and s.get("podIP") and s)
    assert st["podIP"] == st["hostIP"]
