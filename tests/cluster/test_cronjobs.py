"""The CronJob controller in simulated time: the cron evaluation, Jobs named after their scheduled
minute, status.active / lastScheduleTime / lastSuccessfulTime, history limits, the concurrency
policies and suspend, with the controller's events."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest

from fakeapi.cluster.platform.cron import parse
from fakeapi.cluster.platform.cronjobs import SimTime
from fakeapi.config import Config
from fakeapi.testing import RunningServer

T = TypeVar("T")
Obj = dict[str, Any]
SPEED = 200  # a simulated minute is 0.3 s
MERGE = {"Content-Type": "application/merge-patch+json"}


def wait_for(fn: Callable[[], T], timeout: float = 15.0) -> T:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting; last value: {last!r}")


# ---- cron evaluation --------------------------------------------------------------------------

T0 = datetime(2024, 5, 22, 1, 27, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize(("spec", "expected"), [
    ("*/1 * * * *", datetime(2024, 5, 22, 1, 28, tzinfo=timezone.utc)),
    ("*/5 * * * *", datetime(2024, 5, 22, 1, 30, tzinfo=timezone.utc)),
    ("0 0 * * *", datetime(2024, 5, 23, tzinfo=timezone.utc)),
    ("@hourly", datetime(2024, 5, 22, 2, tzinfo=timezone.utc)),
    ("0 9 * * 1-5", datetime(2024, 5, 22, 9, tzinfo=timezone.utc)),
    ("30 2 1 * mon", datetime(2024, 5, 27, 2, 30, tzinfo=timezone.utc)),  # day-of-month OR day-of-week
    ("0 0 29 feb *", datetime(2028, 2, 29, tzinfo=timezone.utc)),
    ("@every 90s", datetime(2024, 5, 22, 1, 28, 38, tzinfo=timezone.utc)),
])
def test_next_activation(spec: str, expected: datetime) -> None:
    assert parse(spec).next(T0) == expected


def test_time_zone() -> None:
    assert parse("0 9 * * *").next(T0, ZoneInfo("Asia/Shanghai")) == datetime(2024, 5, 23, 1, tzinfo=timezone.utc)


def test_simulated_time_maps_both_ways() -> None:
    sim = SimTime(60, t0=T0)
    later = datetime(2024, 5, 22, 1, 27, 9, tzinfo=timezone.utc)
    assert sim.sim_of(later) == datetime(2024, 5, 22, 1, 28, 8, tzinfo=timezone.utc)
    assert sim.wall_of(sim.sim_of(later)) == later
    assert sim.sim_of(T0.replace(year=2023)) == T0.replace(year=2023)


# ---- the controller ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with RunningServer(Config(storage="memory", speed=SPEED)) as running:
        with httpx.Client(base_url=running.url, timeout=10) as client:
            yield client


def cronjob(name: str, script: str, schedule: str = "*/1 * * * *", **spec: Any) -> Obj:
    return {"metadata": {"name": name}, "spec": {"schedule": schedule, **spec, "jobTemplate": {
        "metadata": {"labels": {"from": name}},
        "spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [
            {"name": "hello", "image": "busybox:1.28", "command": ["sh", "-c", script]}]}}}}}}


def jobs(api: httpx.Client, ns: str) -> list[Obj]:
    return api.get(f"/apis/batch/v1/namespaces/{ns}/jobs").json()["items"]


def get_cj(api: httpx.Client, ns: str, name: str) -> Obj:
    return api.get(f"/apis/batch/v1/namespaces/{ns}/cronjobs/{name}").json()


def events(api: httpx.Client, ns: str) -> list[Obj]:
    return [e for e in api.get(f"/api/v1/namespaces/{ns}/events").json()["items"]
            if e["involvedObject"]["kind"] == "CronJob"]


def complete(job: Obj) -> bool:
    return any(c["type"] == "Complete" and c["status"] == "True" for c in job.get("status", {}).get("conditions", []))


def test_schedules_jobs_and_keeps_history(api: httpx.Client, ns: str) -> None:
    body = cronjob("hello", "date; echo Hello from the Kubernetes cluster", successfulJobsHistoryLimit=2)
    assert api.post(f"/apis/batch/v1/namespaces/{ns}/cronjobs", json=body).status_code == 201
    wait_for(lambda: {"SuccessfulCreate", "SawCompletedJob", "SuccessfulDelete"} <= {e["reason"] for e in events(api, ns)})
    cj = wait_for(lambda: (x := get_cj(api, ns, "hello")) and x.get("status", {}).get("lastSuccessfulTime") and x)
    assert cj["status"]["lastScheduleTime"]
    owned = [j for j in jobs(api, ns) if not j["metadata"].get("deletionTimestamp")]
    assert 1 <= len([j for j in owned if complete(j)]) <= 2
    for j in owned:
        name = j["metadata"]["name"]
        assert name.startswith("hello-") and name[len("hello-"):].isdigit()
        assert j["metadata"]["labels"] == {"from": "hello"}
        assert j["metadata"]["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "hello",
                                                     "uid": cj["metadata"]["uid"], "controller": True,
                                                     "blockOwnerDeletion": True}]
        stamp = j["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
        assert stamp.endswith("Z")
    minutes = sorted(int(j["metadata"]["name"][len("hello-"):]) for j in owned)
    assert minutes == list(range(minutes[0], minutes[0] + len(minutes)))  # one Job per simulated minute
    messages = {e["reason"]: e["message"] for e in events(api, ns)}
    assert messages["SuccessfulCreate"].startswith("Created job hello-")
    assert messages["SawCompletedJob"].startswith("Saw completed job: hello-")
    assert messages["SawCompletedJob"].endswith(", condition: Complete")
    assert messages["SuccessfulDelete"].startswith("Deleted job hello-")
    assert all(e["source"]["component"] == "cronjob-controller" for e in events(api, ns))


def test_active_list_tracks_running_jobs(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/cronjobs", json=cronjob("busy", "sleep 3600", concurrencyPolicy="Forbid"))
    cj = wait_for(lambda: (x := get_cj(api, ns, "busy")) and x.get("status", {}).get("active") and x)
    ref = cj["status"]["active"][0]
    job = jobs(api, ns)[0]
    assert (ref["kind"], ref["apiVersion"], ref["namespace"], ref["name"], ref["uid"]) == \
        ("Job", "batch/v1", ns, job["metadata"]["name"], job["metadata"]["uid"])
    wait_for(lambda: any(e["reason"] == "JobAlreadyActive" for e in events(api, ns)))
    message = [e for e in events(api, ns) if e["reason"] == "JobAlreadyActive"][0]["message"]
    assert message == "Not starting job because prior execution is running and concurrency policy is Forbid"
    assert len(jobs(api, ns)) == 1


def test_replace_deletes_the_running_job(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/cronjobs", json=cronjob("swap", "sleep 3600", concurrencyPolicy="Replace"))
    first = wait_for(lambda: (x := get_cj(api, ns, "swap")) and x.get("status", {}).get("active") and x)
    first_name = first["status"]["active"][0]["name"]
    later = wait_for(lambda: (x := get_cj(api, ns, "swap")) and x.get("status", {}).get("active")
                     and x["status"]["active"][0]["name"] != first_name and x)
    assert len(later["status"]["active"]) == 1
    assert any(e["reason"] == "SuccessfulDelete" and e["message"] == f"Deleted job {first_name}" for e in events(api, ns))


def test_suspended_cronjob_starts_nothing(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/cronjobs", json=cronjob("paused", "echo hi", suspend=True))
    time.sleep(0.8)  # more than two simulated minutes
    assert jobs(api, ns) == []
    assert "lastScheduleTime" not in get_cj(api, ns, "paused").get("status", {})
    api.patch(f"/apis/batch/v1/namespaces/{ns}/cronjobs/paused", json={"spec": {"suspend": False}}, headers=MERGE)
    wait_for(lambda: jobs(api, ns))
