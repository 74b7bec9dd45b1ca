"""The CronJob controller (pkg/controller/cronjob, v2), in simulated time.

Simulated time runs `speed` times faster than the wall clock from the moment the controller starts
(sim = T0 + (wall - T0) * speed; before T0 the two agree, and at speed 1 they are the same). Schedules
are evaluated in simulated time, so `*/1 * * * *` fires every simulated minute; a Job is named
`<cronjob>-<scheduled time in minutes since the epoch>` (simulated), while the timestamps written to the
API (status.lastScheduleTime, the `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation) are the
wall-clock moments those activations fell due, so clients' ages stay right.

Each sync reconciles status.active with the Jobs the CronJob controls (MissingJob, SawCompletedJob,
lastSuccessfulTime), then, unless suspended or being deleted, starts the most recent missed activation
since lastScheduleTime (or creation), bounded by startingDeadlineSeconds (MissSchedule when too late,
TooManyMissedTimes past 100), under the concurrency policy: Allow, Forbid (JobAlreadyActive) or
Replace (the running Jobs are deleted). Finished Jobs beyond successfulJobsHistoryLimit /
failedJobsHistoryLimit are deleted, oldest first. The CronJob is synced again at its next activation.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fakeapi.cluster.controller import Obj, WorkQueue, delete, get, list_objects, watch
from fakeapi.cluster.platform.base import (
    controller_of, deep, info_of, now, object_ref, owner_ref, parse_time, rfc3339, write_options,
)
from fakeapi.cluster.platform.cron import Schedule, ScheduleError, parse
from fakeapi.cluster.platform.jobs import has_true
from fakeapi.errors import StatusError
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext
    from fakeapi.server import Server

COMPONENT = "cronjob-controller"
SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"
MAX_MISSED = 100
MAX_ITERATIONS = 10_000
FRESH_SECONDS = 2.0
NEXT_SLACK = 0.1  # seconds past the activation the CronJob is synced again (nextScheduleTimeDuration)
STATUS_ORDER = ("active", "lastScheduleTime", "lastSuccessfulTime")


def job_finished(job: Obj) -> str:
    """The finished condition type ("Complete"/"Failed"), or ""."""
    status = job.get("status") or {}
    for ctype in ("Complete", "Failed"):
        if has_true(status, ctype):
            return ctype
    return ""


class SimTime:
    """The simulated clock: anchored at T0, running `speed` times faster after it."""

    def __init__(self, speed: float, t0: datetime | None = None) -> None:
        self.speed = speed
        self.t0 = t0 or now()

    def sim_of(self, wall: datetime) -> datetime:
        return wall if wall <= self.t0 else self.t0 + (wall - self.t0) * self.speed

    def wall_of(self, sim: datetime) -> datetime:
        return sim if sim <= self.t0 else self.t0 + (sim - self.t0) / self.speed

    def now(self) -> datetime:
        return self.sim_of(now())


def format_in(t: datetime, zone: tzinfo) -> str:
    """time.RFC3339 in the CronJob's zone: `Z` for UTC, else the offset."""
    local = t.astimezone(zone).replace(microsecond=0)
    if local.utcoffset() == timedelta(0):
        return local.strftime("%Y-%m-%dT%H:%M:%SZ")
    return local.isoformat()


def rfc1123z(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")


class CronJobController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server: Server = ctx.server
        self.cronjobs = info_of(self.server, "batch", "v1", "cronjobs")
        self.jobs = info_of(self.server, "batch", "v1", "jobs")
        self.queue = WorkQueue(ctx.clock)
        self.time = SimTime(ctx.clock.speed)
        #: cronjob uid -> the (simulated) activation last acted upon; finer than the stored seconds
        self.last_scheduled: dict[str, datetime] = {}

    def event(self, obj: Obj, type_: str, reason: str, message: str) -> None:
        self.ctx.recorder.record(obj, type_, reason, message, component=COMPONENT)

    def sync(self, key: tuple[str, str]) -> float | None:
        namespace, name = key
        cronjob = get(self.server, self.cronjobs, namespace, name)
        if cronjob is None:
            return None
        meta = cronjob["metadata"]
        uid = meta["uid"]
        owned = [j for j in list_objects(self.server, self.jobs, namespace)
                 if (controller_of(j) or {}).get("uid") == uid]
        status = deep(cronjob.get("status") or {})
        old_status = deep(status)
        active = self.reconcile_active(cronjob, status, owned)
        delay: float | None = None
        if not meta.get("deletionTimestamp"):
            delay = self.schedule(cronjob, status, active)
        status["active"] = active
        if not active:
            status.pop("active")
        status = {k: status[k] for k in STATUS_ORDER if k in status} | \
            {k: v for k, v in status.items() if k not in STATUS_ORDER}
        if status != old_status:
            def write(cj: Obj) -> Obj:
                if cj["metadata"].get("uid") != uid:
                    raise StatusError(409, "Conflict", "cronjob was replaced")
                cj["status"] = status
                return cj

            cronjob = self.server.store.guaranteed_update(self.cronjobs, namespace, name, write,
                                                          subresource="status", opts=write_options()).obj
        if not meta.get("deletionTimestamp"):
            self.cleanup(cronjob, [j for j in list_objects(self.server, self.jobs, namespace)
                                   if (controller_of(j) or {}).get("uid") == uid])
        return delay

    def reconcile_active(self, cronjob: Obj, status: Obj, owned: list[Obj]) -> list[Obj]:
        active: list[Obj] = [dict(ref) for ref in status.get("active") or [] if isinstance(ref, dict)]
        by_uid = {j["metadata"]["uid"]: j for j in owned}
        for ref in list(active):
            if ref.get("uid") in by_uid:
                continue
            job = get(self.server, self.jobs, cronjob["metadata"]["namespace"], str(ref.get("name") or ""))
            if job is None or job["metadata"].get("uid") != ref.get("uid"):
                active.remove(ref)
                self.event(cronjob, "Warning", "MissingJob", f"Active job went missing: {ref.get('name')}")
        active_uids = {ref.get("uid") for ref in active}
        for job in owned:
            done = job_finished(job)
            listed = job["metadata"]["uid"] in active_uids
            if not done and not listed and not job["metadata"].get("deletionTimestamp"):
                active.append(object_ref(job))
                self.event(cronjob, "Warning", "UnexpectedJob",
                           f"Saw a job that the controller did not create or forgot: {job['metadata']['name']}")
            elif done and listed:
                active = [ref for ref in active if ref.get("uid") != job["metadata"]["uid"]]
                self.event(cronjob, "Normal", "SawCompletedJob",
                           f"Saw completed job: {job['metadata']['name']}, condition: {done}")
            if done == "Complete":
                finished_at = parse_time((job.get("status") or {}).get("completionTime"))
                last = parse_time(status.get("lastSuccessfulTime"))
                if finished_at is not None and (last is None or finished_at > last):
                    status["lastSuccessfulTime"] = rfc3339(finished_at)
        return active

    def zone(self, cronjob: Obj) -> tzinfo | None:
        name = (cronjob.get("spec") or {}).get("timeZone")
        if name is None:
            return timezone.utc
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            self.event(cronjob, "Warning", "UnknownTimeZone", f'invalid timeZone: "{name}": {exc}')
            return None

    def schedule(self, cronjob: Obj, status: Obj, active: list[Obj]) -> float | None:
        """syncCronJob's second half: maybe start a Job; the simulated seconds until the next activation."""
        meta, spec = cronjob["metadata"], cronjob.get("spec") or {}
        zone = self.zone(cronjob)
        if zone is None or spec.get("suspend"):
            return None
        try:
            sched = parse(str(spec.get("schedule") or ""))
        except ScheduleError as exc:
            self.event(cronjob, "Warning", "InvalidSchedule", f"invalid schedule: {spec.get('schedule')} : {exc}")
            return None
        sim_now = self.time.now()
        earliest = self.time.sim_of(parse_time(status.get("lastScheduleTime")) or
                                    parse_time(meta.get("creationTimestamp")) or now())
        created = parse_time(meta.get("creationTimestamp"))
        if meta["uid"] not in self.last_scheduled and not status.get("lastScheduleTime") and created is not None \
                and (now() - created).total_seconds() < FRESH_SECONDS:
            # just created: its whole-second creationTimestamp may lie many simulated seconds back
            self.last_scheduled[meta["uid"]] = sim_now
        remembered = self.last_scheduled.get(meta["uid"])
        if remembered is not None and remembered > earliest:
            earliest = remembered
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and sim_now - timedelta(seconds=float(deadline)) > earliest:
            earliest = sim_now - timedelta(seconds=float(deadline))
        scheduled, missed = self.most_recent(sched, zone, earliest, sim_now)
        next_at = sched.next(sim_now, zone)
        delay = (next_at - sim_now).total_seconds() + NEXT_SLACK if next_at is not None else None
        if scheduled is None:
            return delay
        if missed > MAX_MISSED:
            self.event(cronjob, "Warning", "TooManyMissedTimes",
                       f"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds "
                       "or check clock skew")
        if deadline is not None and scheduled + timedelta(seconds=float(deadline)) < sim_now:
            self.event(cronjob, "Warning", "MissSchedule",
                       f"Missed scheduled time to start a job: {rfc1123z(self.time.wall_of(scheduled))}")
            return delay
        job_name = f"{meta['name']}-{int(scheduled.timestamp()) // 60}"
        if any(ref.get("name") == job_name for ref in active):
            return delay
        policy = spec.get("concurrencyPolicy") or "Allow"
        if policy == "Forbid" and active:
            self.event(cronjob, "Normal", "JobAlreadyActive",
                       "Not starting job because prior execution is running and concurrency policy is Forbid")
            return delay
        if policy == "Replace":
            for ref in list(active):
                if delete(self.server, self.jobs, meta["namespace"], str(ref.get("name")),
                          uid=ref.get("uid")):
                    self.event(cronjob, "Normal", "SuccessfulDelete", f"Deleted job {ref.get('name')}")
                active.remove(ref)
        job = self.job_from_template(cronjob, job_name, scheduled, zone)
        try:
            made = self.server.store.create(self.jobs, meta["namespace"], job, write_options()).obj
        except StatusError as exc:
            if exc.reason == "AlreadyExists":
                self.last_scheduled[meta["uid"]] = scheduled
                return delay
            if exc.code in (403, 404, 422):
                self.event(cronjob, "Warning", "FailedCreate", f"Error creating job: {exc.message}")
                return delay
            raise
        self.event(cronjob, "Normal", "SuccessfulCreate", f"Created job {job_name}")
        active.append(object_ref(made))
        self.last_scheduled[meta["uid"]] = scheduled
        status["lastScheduleTime"] = rfc3339(self.time.wall_of(scheduled))
        return delay

    @staticmethod
    def most_recent(sched: Schedule, zone: tzinfo, earliest: datetime, sim_now: datetime
                    ) -> tuple[datetime | None, int]:
        """mostRecentScheduleTime: the last activation in (earliest, now] and how many there were."""
        t = sched.next(earliest, zone)
        last, count = None, 0
        while t is not None and t <= sim_now and count < MAX_ITERATIONS:
            last, count = t, count + 1
            t = sched.next(t, zone)
        return last, count

    def job_from_template(self, cronjob: Obj, name: str, scheduled: datetime, zone: tzinfo) -> Obj:
        template = deep(((cronjob.get("spec") or {}).get("jobTemplate")) or {})
        tmeta = template.get("metadata") or {}
        annotations = dict(tmeta.get("annotations") or {})
        annotations[SCHEDULED_ANNOTATION] = format_in(self.time.wall_of(scheduled), zone)
        meta: Obj = {"name": name, "annotations": annotations, "ownerReferences": [owner_ref(cronjob)]}
        if tmeta.get("labels"):
            meta["labels"] = dict(tmeta["labels"])
        return {"metadata": meta, "spec": template.get("spec") or {}}

    def cleanup(self, cronjob: Obj, owned: list[Obj]) -> None:
        """cleanupFinishedJobs: keep the newest successful/failed Jobs up to the history limits."""
        spec = cronjob.get("spec") or {}
        for kind, limit_key in (("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")):
            limit = spec.get(limit_key)
            if limit is None:
                continue
            done = [j for j in owned if job_finished(j) == kind and not j["metadata"].get("deletionTimestamp")]
            if len(done) <= int(limit):
                continue
            done.sort(key=lambda j: (str((j.get("status") or {}).get("startTime") or
                                         j["metadata"].get("creationTimestamp") or ""), j["metadata"]["name"]))
            for job in done[:len(done) - int(limit)]:
                if delete(self.server, self.jobs, job["metadata"]["namespace"], job["metadata"]["name"],
                          uid=job["metadata"]["uid"]):
                    self.event(cronjob, "Normal", "SuccessfulDelete", f"Deleted job {job['metadata']['name']}")

    # ---- watches -----------------------------------------------------------------------------

    def on_cronjob(self, ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        if ev.type == DELETED:
            self.last_scheduled.pop(meta.get("uid", ""), None)
            return
        self.queue.add((meta["namespace"], meta["name"]))

    def on_job(self, ev: WatchEvent) -> None:
        ref = controller_of(ev.obj)
        if ref is not None and ref.get("kind") == "CronJob":
            self.queue.add((ev.obj["metadata"]["namespace"], str(ref.get("name"))))

    async def run(self) -> None:
        await asyncio.gather(self.queue.run(self.sync), watch(self.server, self.cronjobs, self.on_cronjob),
                             watch(self.server, self.jobs, self.on_job))


async def cronjobs(ctx: ClusterContext) -> None:
    await CronJobController(ctx).run()
