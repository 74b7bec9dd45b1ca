"""The simulated kubelets: one pod worker per pod bound to a simulated node.

A worker plays the pod lifecycle in simulated time and writes it to pods/<name>/status: sandbox and IP,
init containers one after another, then app containers together; image pulls by imagePullPolicy;
container programs (see `programs`); restarts by restartPolicy with the kubelet's back-off (10s doubling
to 5m, CrashLoopBackOff in between); startup/liveness/readiness probes; postStart/preStop hooks; graceful
termination within the pod's grace period, after which the pod is removed from the API. Events and logs
are what the real kubelet would produce.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from fakeapi.cluster import images
from fakeapi.cluster.clock import SimClock
from fakeapi.cluster.events import EventRecorder
from fakeapi.cluster.informer import events, resource
from fakeapi.cluster.logs import LogStore
from fakeapi.cluster.nodes import NodeSpec
from fakeapi.cluster.probes import Outcome, ProbeTarget, describe_probe, evaluate, run_exec
from fakeapi.cluster.programs import Program, Step, program_for
from fakeapi.errors import StatusError
from fakeapi.registry.binding import set_condition
from fakeapi.registry.objectmeta import now_rfc3339
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]
SANDBOX_SECONDS = 1.0
START_SECONDS = 0.3
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
STOP_SECONDS = 0.5
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def _ts() -> str:
    return now_rfc3339()


@dataclass
class Container:
    spec: Obj
    init: bool
    state: Obj = field(default_factory=lambda: {"waiting": {"reason": "ContainerCreating"}})
    last_state: Obj = field(default_factory=dict)
    restart_count: int = 0
    ready: bool = False
    started: bool = False
    container_id: str = ""
    image_id: str = ""
    files: set[str] = field(default_factory=set)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def name(self) -> str:
        return str(self.spec.get("name", ""))

    @property
    def sidecar(self) -> bool:
        """A native sidecar: an init container with restartPolicy Always, kept running beside the app."""
        return self.init and self.spec.get("restartPolicy") == "Always"

    @property
    def running(self) -> bool:
        return "running" in self.state

    @property
    def terminated(self) -> Obj | None:
        return self.state.get("terminated")

    def status(self) -> Obj:
        out: Obj = {"name": self.name, "state": self.state, "lastState": self.last_state, "ready": self.ready,
                    "restartCount": self.restart_count, "image": self.spec.get("image", ""),
                    "imageID": self.image_id, "started": self.started}
        if self.image_id:
            out["image"] = images.qualified(str(self.spec.get("image", "")))
        if self.container_id:
            out["containerID"] = self.container_id
        return out


class PodWorker:
    def __init__(self, kubelet: Kubelet, pod: Obj, node: NodeSpec) -> None:
        self.kubelet = kubelet
        self.pod = pod
        self.node = node
        meta = pod["metadata"]
        self.namespace, self.name = meta["namespace"], meta["name"]
        spec = pod.get("spec") or {}
        self.restart_policy = spec.get("restartPolicy", "Always")
        self.init = [Container(c, True, {"waiting": {"reason": "PodInitializing"}}) for c in spec.get("initContainers") or []]
        self.app = [Container(c, False, {"waiting": {"reason": "PodInitializing" if self.init else "ContainerCreating"}})
                    for c in spec.get("containers") or []]
        self.pod_ip = ""
        self.start_time = ""
        self.initialized = not self.init
        self.sandbox_ready = False
        self.phase = "Pending"
        self.terminating = False
        self.stopping = asyncio.Event()  # the pod is going away: ends back-offs and pulls too
        self.task: asyncio.Task[None] | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self._written: Obj | None = None

    # ---- status -----------------------------------------------------------------------------------

    def status(self) -> Obj:
        old = self.pod.get("status") or {}
        status: Obj = {"phase": self.phase, "conditions": [dict(c) for c in old.get("conditions") or []]}
        ready = bool(self.app) and all(c.ready for c in self.app)
        for ctype, value in (("PodReadyToStartContainers", self.sandbox_ready), ("Initialized", self.initialized),
                             ("Ready", ready), ("ContainersReady", ready), ("PodScheduled", True)):
            reason = ""
            if ctype in ("Ready", "ContainersReady") and not value:
                reason = "PodCompleted" if self.phase in ("Succeeded", "Failed") else "ContainersNotReady"
            elif ctype == "Initialized" and not value:
                reason = "ContainersNotInitialized"
            message = ""
            if reason == "ContainersNotReady":
                names = ",".join(c.name for c in self.app if not c.ready)
                message = f"containers with unready status: [{names.replace(',', ' ')}]"
            elif reason == "ContainersNotInitialized":
                names = " ".join(c.name for c in self.init if not c.terminated)
                message = f"containers with incomplete status: [{names}]"
            set_condition(status, ctype, "True" if value else "False", reason, message)
        order = {"PodReadyToStartContainers": 0, "Initialized": 1, "Ready": 2, "ContainersReady": 3, "PodScheduled": 4}
        status["conditions"].sort(key=lambda c: order.get(c.get("type"), 9))
        status["hostIP"] = self.node.internal_ip
        status["hostIPs"] = [{"ip": self.node.internal_ip}]
        if self.pod_ip:
            status["podIP"] = self.pod_ip
            status["podIPs"] = [{"ip": self.pod_ip}]
        if self.start_time:
            status["startTime"] = self.start_time
        if self.init:
            status["initContainerStatuses"] = [c.status() for c in self.init]
        status["containerStatuses"] = [c.status() for c in self.app]
        if "qosClass" in old:
            status["qosClass"] = old["qosClass"]
        return status

    def publish(self) -> None:
        status = self.status()
        if status == self._written:
            return
        info = self.kubelet.pods

        def write(pod: Obj) -> Obj:
            if pod["metadata"].get("uid") != self.pod["metadata"].get("uid"):
                raise StatusError(409, "Conflict", "pod was replaced")
            pod["status"] = status
            return pod

        try:
            kv = self.kubelet.server.store.guaranteed_update(info, self.namespace, self.name, write, subresource="status")
        except StatusError:
            return
        self.pod = kv.obj
        self._written = status

    def event(self, type_: str, reason: str, message: str, container: Container | None = None) -> None:
        path = ""
        if container is not None:
            kind = "initContainers" if container.init else "containers"
            path = f"spec.{kind}{{{container.name}}}"
        self.kubelet.recorder.record(self.pod, type_, reason, message, component="kubelet", host=self.node.name,
                                     field_path=path)

    def log(self, container: Container, text: str) -> None:
        self.kubelet.logs.write(self.namespace, self.name, container.name, text)

    @property
    def clock(self) -> SimClock:
        return self.kubelet.clock

    # ---- lifecycle --------------------------------------------------------------------------------

    async def run(self) -> None:
        try:
            self.start_time = _ts()
            self.publish()
            await self.clock.sleep(SANDBOX_SECONDS)
            host_network = bool((self.pod.get("spec") or {}).get("hostNetwork"))
            self.pod_ip = self.node.internal_ip if host_network else self.kubelet.allocate_ip(self.node)
            self.sandbox_ready = True
            for c in self.app:
                c.state = {"waiting": {"reason": "PodInitializing" if self.init else "ContainerCreating"}}
            self.publish()
            for c in self.init:
                if c.sidecar:
                    self.tasks.append(asyncio.create_task(self.run_app(c)))
                    while not (c.running and c.started) and not self.terminating:
                        await asyncio.sleep(0.01)
                    continue
                if not await self.run_init(c):
                    self.phase = "Failed"
                    for app in self.app:
                        app.state = {"waiting": {"reason": "PodInitializing"}}
                    self.publish()
                    return
            self.initialized = True
            self.publish()
            self.tasks += [asyncio.create_task(self.run_app(c)) for c in self.app]
            await asyncio.gather(*self.tasks)
        except asyncio.CancelledError:
            raise

    async def run_init(self, c: Container) -> bool:
        restarts = 0
        while True:
            code = await self.run_once(c)
            if code == 0:
                return True
            if self.restart_policy == "Never" or self.terminating:
                return False
            await self.restart(c, restarts)
            restarts += 1

    async def run_app(self, c: Container) -> None:
        restarts = 0
        while not self.terminating:
            code = await self.run_once(c)
            self.update_phase()
            if self.terminating:
                return
            policy = "Always" if c.sidecar else self.restart_policy
            if not (policy == "Always" or (policy == "OnFailure" and code != 0)):
                self.publish()
                return
            await self.restart(c, restarts)
            restarts += 1

    async def restart(self, c: Container, restarts: int) -> None:
        """The kubelet's pacing: the first restart at once, then back-offs of 10s doubling to 5m."""
        if restarts == 0:
            await self.wait_pod(1.0)
            c.restart_count += 1
            return
        await self.back_off(c, min(BACKOFF_INITIAL * 2 ** (restarts - 1), BACKOFF_MAX))

    async def back_off(self, c: Container, seconds: float) -> None:
        uid = self.pod["metadata"].get("uid", "")
        if c.terminated:
            c.last_state = {"terminated": c.terminated}
        c.state = {"waiting": {"reason": "CrashLoopBackOff",
                               "message": f"back-off {int(seconds)}s restarting failed container={c.name} "
                                          f"pod={self.name}_{self.namespace}({uid})"}}
        c.ready = False
        self.update_phase()
        self.publish()
        self.event("Warning", "BackOff", f"Back-off restarting failed container {c.name} in pod "
                                         f"{self.name}_{self.namespace}({uid})", c)
        await self.wait_pod(seconds)
        c.restart_count += 1

    async def wait_or_stop(self, c: Container, seconds: float) -> bool:
        """Sleep `seconds` of simulated time inside a running container; True if it was told to stop."""
        return await self._wait(c.stop, seconds)

    async def wait_pod(self, seconds: float) -> bool:
        """Sleep outside any running container (pulls, back-offs); True if the pod is going away."""
        return await self._wait(self.stopping, seconds)

    async def _wait(self, event: asyncio.Event, seconds: float) -> bool:
        if math.isinf(seconds):
            await event.wait()
            return True
        try:
            await asyncio.wait_for(event.wait(), self.clock.real_seconds(seconds))
            return True
        except TimeoutError:
            return False

    async def pull(self, c: Container) -> bool:
        image = str(c.spec.get("image") or "")
        policy = c.spec.get("imagePullPolicy", "IfNotPresent")
        node_images = self.kubelet.images.setdefault(self.node.name, set())
        backoff = BACKOFF_INITIAL
        while not self.terminating:
            if not images.valid_reference(image):
                c.state = {"waiting": {"reason": "InvalidImageName",
                                       "message": f'Failed to apply default image tag "{image}": couldn\'t parse image '
                                                  f'name "{image}": invalid reference format'}}
                self.publish()
                self.event("Warning", "InspectFailed", c.state["waiting"]["message"], c)
                await self.stopping.wait()
                return False
            present = image in node_images
            if policy == "Never" and not present:
                c.state = {"waiting": {"reason": "ErrImageNeverPull",
                                       "message": f'Container image "{image}" is not present with pull policy of Never'}}
                self.publish()
                self.event("Warning", "ErrImageNeverPull", c.state["waiting"]["message"], c)
                await self.stopping.wait()
                return False
            if present and policy != "Always":
                self.event("Normal", "Pulled", f'Container image "{image}" already present on machine', c)
                c.image_id = images.image_id(image)
                return True
            self.event("Normal", "Pulling", f'Pulling image "{image}"', c)
            took = images.pull_seconds(image)
            if await self.wait_pod(took):
                return False
            if images.exists(image):
                node_images.add(image)
                c.image_id = images.image_id(image)
                self.event("Normal", "Pulled", f'Successfully pulled image "{image}" in {took:.3f}s ({took:.3f}s '
                                               f"including waiting). Image size: {images.image_size(image)} bytes.", c)
                return True
            ref = images.qualified(image)
            message = (f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
                       f"{ref}: not found")
            c.state = {"waiting": {"reason": "ErrImagePull", "message": f"rpc error: code = NotFound desc = {message}"}}
            self.publish()
            self.event("Warning", "Failed", f'Failed to pull image "{image}": {c.state["waiting"]["message"]}', c)
            self.event("Warning", "Failed", "Error: ErrImagePull", c)
            if await self.wait_pod(2.0):
                return False
            c.state = {"waiting": {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{image}": '
                                                                            f"ErrImagePull: {message}"}}
            self.publish()
            self.event("Normal", "BackOff", f'Back-off pulling image "{image}"', c)
            self.event("Warning", "Failed", "Error: ImagePullBackOff", c)
            if await self.wait_pod(backoff):
                return False
            backoff = min(backoff * 2, BACKOFF_MAX)
        return False

    async def run_once(self, c: Container) -> int:
        """Pull, create, start and run the container once; its exit code."""
        if not await self.pull(c):
            return 1
        await self.clock.sleep(START_SECONDS)
        if self.terminating:
            return 0
        if c.terminated:
            c.last_state = {"terminated": c.terminated}
        c.container_id = "containerd://" + secrets.token_hex(32)
        c.files = set()
        c.stop = asyncio.Event()
        self.kubelet.logs.start(self.namespace, self.name, c.name)
        self.event("Normal", "Created", f"Created container: {c.name}", c)
        started_at = _ts()
        c.state = {"running": {"startedAt": started_at}}
        self.event("Normal", "Started", f"Started container {c.name}", c)
        program = program_for(c.spec)
        hook = ((c.spec.get("lifecycle") or {}).get("postStart") or {})
        if hook and not self.run_hook(c, hook, "PostStart"):
            code = 137
        else:
            regular_init = c.init and not c.sidecar
            probes = None if regular_init else asyncio.create_task(self.probe_loop(c, program))
            c.started = regular_init or not c.spec.get("startupProbe")
            c.ready = not regular_init and not c.spec.get("readinessProbe") and c.started
            self.update_phase()
            self.publish()
            try:
                code = await self.execute(c, program)
            finally:
                if probes is not None:
                    probes.cancel()
        reason = "Completed" if code == 0 else "Error"
        c.state = {"terminated": {"exitCode": code, "reason": reason, "startedAt": started_at, "finishedAt": _ts(),
                                  "containerID": c.container_id}}
        c.ready = c.init and not c.sidecar and code == 0
        c.started = False
        self.kubelet.logs.end(self.namespace, self.name, c.name)
        self.update_phase()
        self.publish()
        return code

    def run_hook(self, c: Container, hook: Obj, name: str) -> bool:
        if "exec" in hook:
            code, out = run_exec([str(a) for a in (hook["exec"] or {}).get("command") or []], self.probe_target(c))
            if code != 0:
                # the kubelet keeps the hook's output out of events (it may carry secrets)
                self.event("Warning", f"Failed{name}Hook", f"{name}Hook failed", c)
                if name == "PostStart":
                    self.event("Normal", "Killing", "FailedPostStartHook", c)
                return False
        return True

    async def execute(self, c: Container, program: Program) -> int:
        facts = images.facts(str(c.spec.get("image") or ""))
        for step in program.steps:
            if c.stop.is_set():
                return self.killed_code(c, facts)
            if step.op == "print":
                self.log(c, step.text)
            elif step.op == "sleep":
                if await self.wait_or_stop(c, step.seconds):
                    return self.killed_code(c, facts)
            elif step.op == "touch":
                c.files.add(step.arg)
            elif step.op == "rm":
                c.files.discard(step.arg)
            elif step.op == "exit":
                return step.code
            elif step.op == "wait_service":
                if await self.wait_for_service(c, step):
                    return self.killed_code(c, facts)
            elif step.op == "serve":
                for line in facts.start_lines:
                    self.log(c, self.render_start_line(line, str(c.spec.get("image") or "")))
                await c.stop.wait()
                return self.killed_code(c, facts)
            elif step.op == "loop":
                while True:
                    if step.text:
                        self.log(c, step.text)
                    if await self.wait_or_stop(c, max(step.seconds, 1.0)):
                        return self.killed_code(c, facts)
        return 0

    def killed_code(self, c: Container, facts: images.ImageFacts) -> int:
        """Servers exit 0 on SIGTERM; a shell running `sleep` ignores it and is SIGKILLed (137)."""
        return 0 if facts.stops_quickly else 137

    def render_start_line(self, line: str, image: str) -> str:
        now = datetime.now(timezone.utc)
        return line.format(ts=now.strftime("%Y/%m/%d %H:%M:%S"), rts=now.strftime("%d %b %Y %H:%M:%S.%f")[:-3],
                           ip=self.pod_ip, version=images.version(image, "1.27.3"))

    async def wait_for_service(self, c: Container, step: Step) -> bool:
        name, _, namespace = step.arg.partition(".")
        namespace = namespace.split(".", 1)[0] or self.namespace
        services = resource(self.kubelet.server, "", "v1", "services")
        while True:
            svc = self.kubelet.server.storage.get(services.key(namespace, name))
            if svc is not None:
                ip = (svc.obj.get("spec") or {}).get("clusterIP") or "None"
                self.log(c, f"Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
                            f"Name:      {name}\nAddress 1: {ip} {name}.{namespace}.svc.cluster.local")
                return False
            self.log(c, f"nslookup: can't resolve '{name}'")
            if step.text:
                self.log(c, step.text)
            if await self.wait_or_stop(c, step.seconds or 2.0):
                return True

    # ---- probes -----------------------------------------------------------------------------------

    def probe_target(self, c: Container) -> ProbeTarget:
        program = program_for(c.spec)
        facts = images.facts(str(c.spec.get("image") or ""))
        ports = {str(p.get("name")): int(p.get("containerPort", 0)) for p in c.spec.get("ports") or [] if p.get("name")}
        serving = any(s.op == "serve" for s in program.steps)
        listening = set(facts.ports) | {int(p.get("containerPort", 0)) for p in c.spec.get("ports") or []} \
            if serving else set()
        return ProbeTarget(str(c.spec.get("image") or ""), self.pod_ip, frozenset(listening), ports, frozenset(c.files))

    async def probe_loop(self, c: Container, program: Program) -> None:
        """Startup first; liveness and readiness after it, their initial delays counted from the
        container's start (as the prober's), not from the startup probe's success."""
        spec = c.spec
        loop = asyncio.get_running_loop()
        started = loop.time()
        startup, liveness, readiness = (spec.get(k) for k in ("startupProbe", "livenessProbe", "readinessProbe"))
        if startup:
            if not await self.run_probe(c, "startupProbe", startup):
                return
            c.started = True
            if not readiness:
                c.ready = True
            self.publish()
        elapsed = (loop.time() - started) * self.clock.speed
        loops = [self.run_probe(c, kind, probe, elapsed) for kind, probe in
                 (("livenessProbe", liveness), ("readinessProbe", readiness)) if probe]
        if loops:
            await asyncio.gather(*loops)

    async def run_probe(self, c: Container, kind: str, probe: Obj, elapsed: float = 0.0) -> bool:
        """Probe until the container stops; a startup probe returns True once it succeeds. `elapsed` is
        how many simulated seconds of the initial delay have already passed since the container started."""
        period = float(probe.get("periodSeconds") or 10)
        success_needed = int(probe.get("successThreshold") or 1)
        failure_allowed = int(probe.get("failureThreshold") or 3)
        if await self.wait_or_stop(c, max(0.0, float(probe.get("initialDelaySeconds") or 0) - elapsed)):
            return False
        successes = failures = 0
        facts = images.facts(str(c.spec.get("image") or ""))
        while c.running and not c.stop.is_set():
            outcome: Outcome = evaluate(probe, self.probe_target(c))
            if "httpGet" in probe and facts.access_log and outcome.status:
                now = datetime.now(timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000")
                size = 615 if outcome.status == 200 else 153
                self.log(c, f'{self.node.internal_ip} - - [{now}] "GET {outcome.path} HTTP/1.1" {outcome.status} '
                            f'{size} "-" "kube-probe/1.37" "-"')
            if outcome.ok:
                successes, failures = successes + 1, 0
                if successes >= success_needed:
                    if kind == "startupProbe":
                        return True
                    if kind == "readinessProbe" and not c.ready:
                        c.ready = True
                        self.publish()
            else:
                successes, failures = 0, failures + 1
                self.event("Warning", "Unhealthy", f"{describe_probe(kind)} probe failed: {outcome.message}", c)
                if failures >= failure_allowed:
                    if kind == "readinessProbe":
                        if c.ready:
                            c.ready = False
                            self.publish()
                    else:
                        what = "liveness" if kind == "livenessProbe" else "startup"
                        self.event("Normal", "Killing", f"Container {c.name} failed {what} probe, will be restarted", c)
                        c.stop.set()
                        return False
            if await self.wait_or_stop(c, period):
                return False
        return False

    # ---- phase and termination ----------------------------------------------------------------------

    def update_phase(self) -> None:
        if not self.initialized:
            return
        if any(c.running for c in self.app):
            self.phase = "Running"
            return
        if not all(c.terminated for c in self.app):
            if any(c.restart_count for c in self.app) or any("waiting" in c.state and c.state["waiting"].get("reason") == "CrashLoopBackOff" for c in self.app):
                self.phase = "Running"
            return
        codes = [c.terminated["exitCode"] for c in self.app if c.terminated]
        if self.restart_policy == "Always":
            self.phase = "Running"
        elif all(code == 0 for code in codes):
            self.phase = "Succeeded"
        elif self.restart_policy == "Never":
            self.phase = "Failed"
        else:
            self.phase = "Running"

    async def terminate(self, grace: float) -> None:
        if self.terminating:
            return
        self.terminating = True
        for c in self.init + self.app:
            if c.running:
                self.event("Normal", "Killing", f"Stopping container {c.name}", c)
                hook = (c.spec.get("lifecycle") or {}).get("preStop") or {}
                if hook:
                    self.run_hook(c, hook, "PreStop")
        slow = any(c.running and not images.facts(str(c.spec.get("image") or "")).stops_quickly for c in self.app + self.init)
        await self.clock.sleep(min(grace, grace if slow else STOP_SECONDS))
        self.stopping.set()
        for c in self.init + self.app:
            c.stop.set()
        if self.task is not None:
            self.task.cancel()
        for task in self.tasks:
            task.cancel()
        for c in self.init + self.app:
            if c.running:
                code = 137 if slow else 0
                c.state = {"terminated": {"exitCode": code, "reason": "Completed" if code == 0 else "Error",
                                          "startedAt": c.state["running"].get("startedAt"), "finishedAt": _ts(),
                                          "containerID": c.container_id}}
                c.ready = False
        if self.phase in ("Running", "Pending"):
            codes = [(c.terminated or {}).get("exitCode", 0) for c in self.app]
            self.phase = "Succeeded" if all(code == 0 for code in codes) else "Failed"
        self.publish()
        uid = self.pod["metadata"].get("uid")
        self.kubelet.server.store.finish_graceful_delete(self.kubelet.pods, self.namespace, self.name, uid)

    def cancel(self) -> None:
        self.terminating = True
        self.stopping.set()
        for c in self.init + self.app:
            c.stop.set()
        for task in self.tasks:
            task.cancel()
        if self.task is not None:
            self.task.cancel()


class Kubelet:
    """All simulated kubelets: routes each bound pod to a worker on its node."""

    def __init__(self, server: Server, nodes: list[NodeSpec], clock: SimClock, recorder: EventRecorder,
                 logs: LogStore) -> None:
        self.server = server
        self.nodes = {n.name: n for n in nodes}
        self.clock = clock
        self.recorder = recorder
        self.logs = logs
        self.pods = resource(server, "", "v1", "pods")
        self.workers: dict[str, PodWorker] = {}
        self.images: dict[str, set[str]] = {}
        self._ips: dict[str, itertools.count[int]] = {}
        self._terminations: set[asyncio.Task[None]] = set()

    def allocate_ip(self, node: NodeSpec) -> str:
        counter = self._ips.setdefault(node.name, itertools.count(1))
        return node.pod_ip(next(counter))

    @staticmethod
    def worker_key(pod: Obj) -> str:
        meta = pod["metadata"]
        mirror = (meta.get("annotations") or {}).get(MIRROR_ANNOTATION)
        return f"mirror:{mirror}" if mirror else str(meta.get("uid", ""))

    async def run(self) -> None:
        try:
            await self._sync()
        finally:
            for worker in self.workers.values():
                worker.cancel()
            for task in self._terminations:
                task.cancel()

    async def _sync(self) -> None:
        async for ev in events(self.server, self.pods):
            pod = ev.obj
            node = self.nodes.get((pod.get("spec") or {}).get("nodeName") or "")
            if node is None:
                continue
            key = self.worker_key(pod)
            worker = self.workers.get(key)
            if ev.type == DELETED:
                if worker is not None and worker.pod["metadata"].get("uid") == pod["metadata"].get("uid") \
                        and not key.startswith("mirror:"):
                    worker.cancel()
                    self.workers.pop(key, None)
                continue
            if worker is None:
                if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") or \
                        pod["metadata"].get("deletionTimestamp"):
                    if pod["metadata"].get("deletionTimestamp"):
                        self.server.store.finish_graceful_delete(self.pods, pod["metadata"]["namespace"],
                                                                 pod["metadata"]["name"], pod["metadata"].get("uid"))
                    continue
                self.logs.reset(pod["metadata"]["namespace"], pod["metadata"]["name"])
                worker = PodWorker(self, pod, node)
                self.workers[key] = worker
                worker.task = asyncio.create_task(worker.run())
                continue
            if worker.pod["metadata"].get("uid") != pod["metadata"].get("uid"):
                worker.pod = pod
                worker._written = None
                worker.publish()
                continue
            worker.pod = pod
            if pod["metadata"].get("deletionTimestamp") and not worker.terminating:
                if key.startswith("mirror:"):
                    self.server.store.finish_graceful_delete(self.pods, worker.namespace, worker.name,
                                                             pod["metadata"].get("uid"))
                    continue
                grace = float(pod["metadata"].get("deletionGracePeriodSeconds") or 0)
                task = asyncio.create_task(worker.terminate(grace))
                self._terminations.add(task)
                task.add_done_callback(self._terminations.discard)
                task.add_done_callback(lambda _t, k=key: self.workers.pop(k, None))

    def stop_static(self, key: str) -> None:
        worker = self.workers.pop(key, None)
        if worker is not None:
            worker.cancel()


def stable_hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()
