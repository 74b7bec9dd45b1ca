"""The Job controller (pkg/controller/job), and Job TTL-after-finished clean-up.

Pods are made from the template with generateName `<job>-` (`<job>-<index>-` for Indexed Jobs, which
also get the completion-index annotation and label, JOB_COMPLETION_INDEX and hostname `<job>-<index>`),
a controller ownerReference and the `batch.kubernetes.io/job-tracking` finalizer. A pod is counted in
status.succeeded / status.failed exactly when the controller removes that finalizer from it, so a
finished pod is never counted twice; a pod being deleted counts as failed (podReplacementPolicy
TerminatingOrFailed) unless it succeeded.

Each sync: count newly finished pods; decide whether the Job failed (failed > backoffLimit, or for
restartPolicy OnFailure the container restarts of live pods reach backoffLimit: BackoffLimitExceeded;
activeDeadlineSeconds since startTime: DeadlineExceeded) - then the interim FailureTarget condition is
written, live pods are deleted and Failed follows once none is left terminating; otherwise keep
min(parallelism, completions - succeeded) pods active (none while suspended, with Suspended/Resumed
conditions and events), holding replacements back after failures with the exponential back-off
(10s doubling, capped at 10 minutes, in simulated time, reset by a success). Enough successes give
SuccessCriteriaMet then Complete (reason CompletionsReached, "Reached expected number of succeeded
pods") with completionTime and a Completed event. status.ready and status.terminating are always
written, as is an empty uncountedTerminatedPods (this controller removes finalizers before it counts).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.controller import Obj, WorkQueue, delete, get, list_objects, watch
from fakeapi.cluster.platform.base import (
    controller_of, deep, info_of, now, owner_ref, parse_time, pod_ready, pod_terminal, rfc3339, write_options,
)
from fakeapi.errors import StatusError
from fakeapi.registry.selectors import SelectorError, label_selector_from_dict
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext
    from fakeapi.server import Server

COMPONENT = "job-controller"
TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
INDEX_KEY = "batch.kubernetes.io/job-completion-index"
INDEX_ENV = "JOB_COMPLETION_INDEX"
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 600.0
MAX_CREATE_PER_SYNC = 500
COMPLETE_MESSAGE = "Reached expected number of succeeded pods"
BACKOFF_MESSAGE = "Job has reached the specified backoff limit"
DEADLINE_MESSAGE = "Job was active longer than specified deadline"
#: JobStatus field order, for `-o json`
STATUS_ORDER = ("conditions", "startTime", "completionTime", "active", "succeeded", "failed", "terminating",
                "completedIndexes", "failedIndexes", "uncountedTerminatedPods", "ready")


def condition(status: Obj, ctype: str) -> Obj | None:
    for cond in status.get("conditions") or []:
        if cond.get("type") == ctype:
            return cond
    return None


def has_true(status: Obj, ctype: str) -> bool:
    cond = condition(status, ctype)
    return cond is not None and cond.get("status") == "True"


def finished(job: Obj) -> bool:
    status = job.get("status") or {}
    return has_true(status, "Complete") or has_true(status, "Failed")


def ensure_condition(status: Obj, ctype: str, value: str, reason: str, message: str) -> bool:
    """ensureJobConditionStatus: True when the conditions changed."""
    stamp = rfc3339(now())
    cond = condition(status, ctype)
    if cond is None:
        if value == "False":
            return False
        status.setdefault("conditions", []).append({"type": ctype, "status": value, "lastProbeTime": stamp,
                                                    "lastTransitionTime": stamp, "reason": reason,
                                                    "message": message})
        return True
    if cond.get("status") == value and cond.get("reason") == reason and cond.get("message") == message:
        return False
    if cond.get("status") != value:
        cond["lastTransitionTime"] = stamp
    cond.update({"status": value, "lastProbeTime": stamp, "reason": reason, "message": message})
    return True


def backoff_delay(failures: int) -> float:
    delay = BACKOFF_INITIAL
    for _ in range(1, failures):
        delay *= 2
        if delay >= BACKOFF_MAX:
            return BACKOFF_MAX
    return delay


def completion_index(pod: Obj) -> int | None:
    meta = pod["metadata"]
    raw = (meta.get("annotations") or {}).get(INDEX_KEY, (meta.get("labels") or {}).get(INDEX_KEY))
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def parse_intervals(text: str) -> set[int]:
    out: set[int] = set()
    for part in (text or "").split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            out.update(range(int(lo), int(hi or lo) + 1))
        except ValueError:
            continue
    return out


def format_intervals(indexes: set[int]) -> str:
    """`1,3-5`: the completedIndexes notation."""
    parts = []
    ordered = sorted(indexes)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


class JobController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server: Server = ctx.server
        self.jobs = info_of(self.server, "batch", "v1", "jobs")
        self.pods = info_of(self.server, "", "v1", "pods")
        self.queue = WorkQueue(ctx.clock)
        #: job uid -> (failures since the last success, monotonic time of the last failure)
        self.backoff: dict[str, tuple[int, float]] = {}
        #: job uid -> monotonic time of startTime / of finishing: the stored timestamps only have
        #: whole seconds, which `speed` would stretch into many simulated seconds
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}

    def event(self, obj: Obj, type_: str, reason: str, message: str) -> None:
        self.ctx.recorder.record(obj, type_, reason, message, component=COMPONENT)

    def sim_since(self, stamp: Any, precise: float | None = None) -> float:
        if precise is not None:
            return (time.monotonic() - precise) * self.ctx.clock.speed
        start = parse_time(stamp)
        if start is None:
            return 0.0
        return (now() - start).total_seconds() * self.ctx.clock.speed

    # ---- pods --------------------------------------------------------------------------------

    def owned_pods(self, job: Obj) -> list[Obj]:
        meta = job["metadata"]
        try:
            selector = label_selector_from_dict((job.get("spec") or {}).get("selector"))
        except SelectorError:
            return []
        out = []
        for pod in list_objects(self.server, self.pods, meta["namespace"]):
            ref = controller_of(pod)
            if ref is not None and ref.get("uid") == meta["uid"] and selector.matches(pod["metadata"].get("labels") or {}):
                out.append(pod)
        return out

    def remove_finalizer(self, pod: Obj) -> bool:
        meta = pod["metadata"]
        if TRACKING_FINALIZER not in (meta.get("finalizers") or []):
            return True

        def drop(p: Obj) -> Obj:
            p["metadata"]["finalizers"] = [f for f in p["metadata"].get("finalizers") or [] if f != TRACKING_FINALIZER]
            if not p["metadata"]["finalizers"]:
                del p["metadata"]["finalizers"]
            return p

        try:
            self.server.store.guaranteed_update(self.pods, meta["namespace"], meta["name"], drop, opts=write_options())
        except StatusError as exc:
            return exc.code == 404
        return True

    def create_pod(self, job: Obj, index: int | None) -> bool:
        meta, spec = job["metadata"], job.get("spec") or {}
        template = deep(spec.get("template") or {})
        tmeta = template.get("metadata") or {}
        labels = dict(tmeta.get("labels") or {})
        annotations = dict(tmeta.get("annotations") or {})
        pod_spec = template.get("spec") or {}
        prefix = f"{meta['name']}-"
        if index is not None:
            prefix = f"{meta['name']}-{index}-"
            annotations[INDEX_KEY] = str(index)
            labels[INDEX_KEY] = str(index)
            if not pod_spec.get("hostname"):
                pod_spec["hostname"] = f"{meta['name']}-{index}"
            env_var = {"name": INDEX_ENV, "valueFrom": {"fieldRef": {
                "fieldPath": f"metadata.annotations['{INDEX_KEY}']"}}}
            for key in ("initContainers", "containers"):
                for container in pod_spec.get(key) or []:
                    env = container.setdefault("env", [])
                    if not any(e.get("name") == INDEX_ENV for e in env):
                        env.append(dict(env_var))
        pod_meta: Obj = {"generateName": prefix, "labels": labels, "ownerReferences": [owner_ref(job)],
                         "finalizers": [TRACKING_FINALIZER]}
        if annotations:
            pod_meta["annotations"] = annotations
        pod = {"metadata": pod_meta, "spec": pod_spec}
        try:
            kv = self.server.store.create(self.pods, meta["namespace"], pod, write_options())
        except StatusError as exc:
            if exc.code in (403, 404) or exc.code == 422:
                self.event(job, "Warning", "FailedCreate", f"Error creating: {exc.message}")
                return False
            raise
        self.event(job, "Normal", "SuccessfulCreate", f"Created pod: {kv.obj['metadata']['name']}")
        return True

    def delete_pods(self, job: Obj, pods: list[Obj], *, count_as_failed: bool = False) -> int:
        """deleteJobPods drops the tracking finalizer first (the pod will not count); deleteActivePods of a
        failed Job keeps it, so the pod is counted as failed."""
        deleted = 0
        for pod in pods:
            if not count_as_failed:
                self.remove_finalizer(pod)
            if delete(self.server, self.pods, pod["metadata"]["namespace"], pod["metadata"]["name"],
                      uid=pod["metadata"].get("uid")):
                deleted += 1
                self.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}")
        return deleted

    # ---- sync --------------------------------------------------------------------------------

    def sync(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        job = get(self.server, self.jobs, namespace, name)
        self.release_orphans(namespace, name, job)
        if job is None:
            return None
        spec = job.get("spec") or {}
        if spec.get("managedBy") not in (None, "kubernetes.io/job-controller"):
            return None
        if finished(job):
            for pod in self.owned_pods(job):
                self.remove_finalizer(pod)
            return self.expire(job)
        return self.sync_job(job)

    def release_orphans(self, namespace: str, name: str, job: Obj | None) -> None:
        """Pods of a Job that is gone (or replaced) must not keep the tracking finalizer."""
        uid = job["metadata"]["uid"] if job is not None else None
        for pod in list_objects(self.server, self.pods, namespace):
            ref = controller_of(pod)
            if TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or []) and ref is not None and \
                    ref.get("kind") == "Job" and ref.get("name") == name and ref.get("uid") != uid:
                self.remove_finalizer(pod)

    def pod_failed(self, job: Obj, pod: Obj) -> bool:
        """isPodFailed: Failed, or deleted before it could succeed."""
        phase = (pod.get("status") or {}).get("phase")
        if phase == "Failed":
            return True
        if not pod["metadata"].get("deletionTimestamp") or phase == "Succeeded":
            return False
        if (job.get("spec") or {}).get("podReplacementPolicy") == "Failed":
            return pod["metadata"].get("deletionGracePeriodSeconds") == 0
        return True

    def sync_job(self, job: Obj) -> float | None:
        meta, spec = job["metadata"], job.get("spec") or {}
        status = deep(job.get("status") or {})
        old_status = deep(status)
        uid = meta["uid"]
        indexed = spec.get("completionMode") == "Indexed"
        completions = spec.get("completions")
        backoff_limit = int(spec.get("backoffLimit") if spec.get("backoffLimit") is not None else 6)
        suspended = bool(spec.get("suspend"))
        deleting = bool(meta.get("deletionTimestamp"))
        pods = self.owned_pods(job)
        again: list[float] = []

        if not suspended and not status.get("startTime"):
            status["startTime"] = rfc3339(now())
            self.started[uid] = time.monotonic()

        # -- account for pods that finished since the last sync (remove the finalizer, then count)
        tracked = [p for p in pods if TRACKING_FINALIZER in (p["metadata"].get("finalizers") or [])]
        new_succeeded = [p for p in tracked if (p.get("status") or {}).get("phase") == "Succeeded"]
        new_failed = [p for p in tracked if p not in new_succeeded and self.pod_failed(job, p)]
        succeeded_indexes = parse_intervals(str(status.get("completedIndexes") or "")) if indexed else set()
        counted_s = [p for p in new_succeeded if self.remove_finalizer(p)]
        counted_f = [p for p in new_failed if self.remove_finalizer(p)]
        if indexed:
            for p in counted_s:
                ix = completion_index(p)
                if ix is not None and isinstance(completions, int) and ix < completions:
                    succeeded_indexes.add(ix)
            status["completedIndexes"] = format_intervals(succeeded_indexes)
            succeeded = len(succeeded_indexes)
        else:
            succeeded = int(status.get("succeeded") or 0) + len(counted_s)
        failed = int(status.get("failed") or 0) + len(counted_f)
        self.record_backoff(uid, counted_s, counted_f)

        if deleting:  # a Job being deleted (foreground) lets go of all its pods
            for p in tracked:
                self.remove_finalizer(p)
        active = [p for p in pods if not pod_terminal(p) and not p["metadata"].get("deletionTimestamp")]
        terminating = [p for p in pods if not pod_terminal(p) and p["metadata"].get("deletionTimestamp")]

        # -- failure conditions
        failure: tuple[str, str] | None = None
        target = condition(status, "FailureTarget")
        if target is not None and target.get("status") == "True":
            failure = (str(target.get("reason") or ""), str(target.get("message") or ""))
        elif failed > backoff_limit or self.past_backoff_on_failure(job, active, backoff_limit):
            failure = ("BackoffLimitExceeded", BACKOFF_MESSAGE)
        elif spec.get("activeDeadlineSeconds") is not None and not suspended and status.get("startTime"):
            left = float(spec["activeDeadlineSeconds"]) - self.sim_since(status["startTime"], self.started.get(uid))
            if left <= 0:
                failure = ("DeadlineExceeded", DEADLINE_MESSAGE)
            else:
                again.append(left)

        success_met = has_true(status, "SuccessCriteriaMet")
        if failure is not None:
            ensure_condition(status, "FailureTarget", "True", *failure)
            if active:
                self.delete_pods(job, active, count_as_failed=True)
                terminating += active
                for p in active:  # a killed pod of a failed Job counts as failed now
                    if self.remove_finalizer(p):
                        failed += 1
                active = []
        elif not success_met and not deleting:
            active, terminating, created_wait = self.manage(job, status, pods, active, terminating,
                                                            succeeded, succeeded_indexes, suspended)
            if created_wait is not None:
                again.append(created_wait)
            if completions is None:
                complete = succeeded > 0 and not active
            else:
                complete = succeeded >= int(completions) and not active
            if complete:
                ensure_condition(status, "SuccessCriteriaMet", "True", "CompletionsReached", COMPLETE_MESSAGE)
                success_met = True
        if success_met and active:
            self.delete_pods(job, active)
            terminating += active
            active = []

        ready = sum(1 for p in active if pod_ready(p))
        for key, value in (("active", len(active)), ("succeeded", succeeded), ("failed", failed)):
            if value:
                status[key] = value
            else:
                status.pop(key, None)
        status["ready"] = ready
        status["terminating"] = len(terminating)
        status["uncountedTerminatedPods"] = {}
        if indexed and not status.get("completedIndexes"):
            status.pop("completedIndexes", None)

        # -- the terminal condition once nothing is left running
        finished_now: str | None = None
        if not terminating and not active:
            if failure is not None:
                ensure_condition(status, "Failed", "True", *failure)
                finished_now = "Failed"
            elif success_met:
                ensure_condition(status, "Complete", "True", "CompletionsReached", COMPLETE_MESSAGE)
                status["completionTime"] = rfc3339(now())
                finished_now = "Complete"
        status = {k: status[k] for k in STATUS_ORDER if k in status} | \
            {k: v for k, v in status.items() if k not in STATUS_ORDER}
        if status != old_status:
            def write(j: Obj) -> Obj:
                if j["metadata"].get("uid") != uid:
                    raise StatusError(409, "Conflict", "job was replaced")
                j["status"] = status
                return j

            kv = self.server.store.guaranteed_update(self.jobs, meta["namespace"], meta["name"], write,
                                                     subresource="status", opts=write_options())
            job = kv.obj
            if finished_now == "Complete":
                if isinstance(completions, int) and succeeded > completions:
                    self.event(job, "Warning", "TooManySucceededPods",
                               "Too many succeeded pods running after completion count reached")
                self.event(job, "Normal", "Completed", "Job completed")
            elif finished_now == "Failed" and failure is not None:
                self.event(job, "Warning", failure[0], failure[1])
        if finished_now is not None:
            self.backoff.pop(uid, None)
            self.started.pop(uid, None)
            self.ended[uid] = time.monotonic()
            return self.expire(job)
        return min(again) if again else None

    def past_backoff_on_failure(self, job: Obj, active: list[Obj], limit: int) -> bool:
        """pastBackoffLimitOnFailure: container restarts of live pods when restartPolicy is OnFailure."""
        template_spec = ((job.get("spec") or {}).get("template") or {}).get("spec") or {}
        if template_spec.get("restartPolicy") != "OnFailure":
            return False
        restarts = 0
        for pod in active:
            status = pod.get("status") or {}
            if status.get("phase") not in ("Running", "Pending"):
                continue
            for key in ("initContainerStatuses", "containerStatuses"):
                restarts += sum(int(c.get("restartCount") or 0) for c in status.get(key) or [])
        return restarts > 0 if limit == 0 else restarts >= limit

    def record_backoff(self, uid: str, succeeded: list[Obj], failed: list[Obj]) -> None:
        count, last = self.backoff.get(uid, (0, 0.0))
        if succeeded:
            count, last = 0, 0.0
        if failed:
            count, last = count + len(failed), time.monotonic()
        if count:
            self.backoff[uid] = (count, last)
        else:
            self.backoff.pop(uid, None)

    def backoff_remaining(self, uid: str) -> float:
        count, last = self.backoff.get(uid, (0, 0.0))
        if not count:
            return 0.0
        elapsed = (time.monotonic() - last) * self.ctx.clock.speed
        return max(0.0, backoff_delay(count) - elapsed)

    def manage(self, job: Obj, status: Obj, pods: list[Obj], active: list[Obj], terminating: list[Obj],
               succeeded: int, succeeded_indexes: set[int], suspended: bool
               ) -> tuple[list[Obj], list[Obj], float | None]:
        """manageJob: suspend, scale down, or create what is missing (after the failure back-off)."""
        spec = job.get("spec") or {}
        if suspended:
            if ensure_condition(status, "Suspended", "True", "JobSuspended", "Job suspended"):
                self.event(job, "Normal", "Suspended", "Job suspended")
            if active:
                self.delete_pods(job, active)
                return [], terminating + active, None
            return active, terminating, None
        if ensure_condition(status, "Suspended", "False", "JobResumed", "Job resumed"):
            self.event(job, "Normal", "Resumed", "Job resumed")
            status["startTime"] = rfc3339(now())
            self.started[job["metadata"]["uid"]] = time.monotonic()
        parallelism = int(spec.get("parallelism") if spec.get("parallelism") is not None else 1)
        completions = spec.get("completions")
        indexed = spec.get("completionMode") == "Indexed"
        if completions is None:
            want = len(active) if succeeded > 0 else parallelism
        else:
            want = max(0, min(parallelism, int(completions) - succeeded))
        if indexed and isinstance(completions, int):
            # pods whose index already succeeded, or is out of range, are surplus
            surplus = [p for p in active if completion_index(p) is None or completion_index(p) in succeeded_indexes
                       or (completion_index(p) or 0) >= completions]
            if surplus:
                self.delete_pods(job, surplus)
                active = [p for p in active if p not in surplus]
                return active, terminating + surplus, None
        if len(active) > want:
            extra = sorted(active, key=lambda p: (pod_ready(p), (p.get("status") or {}).get("phase") == "Running",
                                                  str(p["metadata"].get("creationTimestamp") or "")))[:len(active) - want]
            self.delete_pods(job, extra)
            return [p for p in active if p not in extra], terminating + extra, None
        replace_terminating = spec.get("podReplacementPolicy") == "Failed"
        missing = want - len(active) - (len(terminating) if replace_terminating else 0)
        if missing <= 0:
            return active, terminating, None
        wait = self.backoff_remaining(job["metadata"]["uid"])
        if wait > 0:
            return active, terminating, wait
        missing = min(missing, MAX_CREATE_PER_SYNC)
        if indexed and isinstance(completions, int):
            busy = {completion_index(p) for p in active + terminating} | succeeded_indexes
            indexes: list[int | None] = [i for i in range(completions) if i not in busy][:missing]
        else:
            indexes = [None] * missing
        for index in indexes:
            if not self.create_pod(job, index):
                break
        # the new pods are read back on the sync their ADDED events trigger
        return active, terminating, None

    def expire(self, job: Obj) -> float | None:
        """The TTL-after-finished controller: delete a finished Job once its TTL has passed."""
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if ttl is None or job["metadata"].get("deletionTimestamp"):
            return None
        status = job.get("status") or {}
        done = status.get("completionTime")
        if not done:
            cond = condition(status, "Failed")
            done = cond.get("lastTransitionTime") if cond else None
        if not done:
            return None
        left = float(ttl) - self.sim_since(done, self.ended.get(job["metadata"]["uid"]))
        if left > 0:
            return left
        delete(self.server, self.jobs, job["metadata"]["namespace"], job["metadata"]["name"],
               uid=job["metadata"]["uid"])
        return None

    # ---- watches -----------------------------------------------------------------------------

    def on_job(self, ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        if ev.type == DELETED:
            for memory in (self.backoff, self.started, self.ended):
                memory.pop(meta.get("uid", ""), None)
        self.queue.add((meta["namespace"], meta["name"]))

    def on_pod(self, ev: WatchEvent) -> None:
        pod = ev.obj
        ref = controller_of(pod)
        meta = pod["metadata"]
        if ref is not None and ref.get("kind") == "Job" and str(ref.get("apiVersion", "")).startswith("batch/"):
            self.queue.add((meta["namespace"], str(ref.get("name"))))
        elif ev.type != DELETED and TRACKING_FINALIZER in (meta.get("finalizers") or []):
            self.remove_finalizer(pod)  # an orphan: nobody will count it

    async def run(self) -> None:
        await asyncio.gather(self.queue.run(self.sync), watch(self.server, self.jobs, self.on_job),
                             watch(self.server, self.pods, self.on_pod))


async def jobs(ctx: ClusterContext) -> None:
    await JobController(ctx).run()
