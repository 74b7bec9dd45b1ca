"""The Job controller: pods per completions/parallelism with the job labels, owner and tracking
finalizer; status counters and conditions; backoffLimit and its back-off; activeDeadlineSeconds;
suspend/resume; Indexed completion; TTL after finished; events."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from fakeapi.cluster.platform.jobs import backoff_delay, format_intervals, parse_intervals

T = TypeVar("T")
Obj = dict[str, Any]
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


def job(name: str, script: str, restart: str = "Never", **spec: Any) -> Obj:
    return {"metadata": {"name": name}, "spec": {**spec, "template": {"spec": {
        "restartPolicy": restart, "containers": [{"name": "main", "image": "busybox:1.28",
                                                  "command": ["sh", "-c", script]}]}}}}


def get_job(api: httpx.Client, ns: str, name: str) -> Obj:
    return api.get(f"/apis/batch/v1/namespaces/{ns}/jobs/{name}").json()


def conditions(j: Obj) -> dict[str, Obj]:
    return {c["type"]: c for c in (j.get("status") or {}).get("conditions") or []}


def finished(api: httpx.Client, ns: str, name: str, kind: str = "Complete") -> Obj:
    return wait_for(lambda: (j := get_job(api, ns, name)) and kind in conditions(j) and j)


def pods(api: httpx.Client, ns: str) -> list[Obj]:
    return api.get(f"/api/v1/namespaces/{ns}/pods").json()["items"]


def events(api: httpx.Client, ns: str, kind: str = "Job") -> list[Obj]:
    return [e for e in api.get(f"/api/v1/namespaces/{ns}/events").json()["items"]
            if e["involvedObject"]["kind"] == kind]


def test_backoff_delays_and_interval_notation() -> None:
    assert [backoff_delay(n) for n in (1, 2, 3, 4, 6, 7, 20)] == [10, 20, 40, 80, 320, 600, 600]
    assert format_intervals({0, 1, 2, 4, 6, 7}) == "0-2,4,6-7"
    assert parse_intervals("0-2,4,6-7") == {0, 1, 2, 4, 6, 7}


def test_completions_and_parallelism(api: httpx.Client, ns: str) -> None:
    assert api.post(f"/apis/batch/v1/namespaces/{ns}/jobs",
                    json=job("pi", "echo 3.14159", completions=3, parallelism=2)).status_code == 201
    j = finished(api, ns, "pi")
    status = j["status"]
    assert status["succeeded"] == 3 and "failed" not in status and "active" not in status
    assert status["ready"] == 0 and status["terminating"] == 0 and status["uncountedTerminatedPods"] == {}
    assert status["startTime"] and status["completionTime"]
    conds = conditions(j)
    for ctype in ("SuccessCriteriaMet", "Complete"):
        assert conds[ctype]["status"] == "True"
        assert conds[ctype]["reason"] == "CompletionsReached"
        assert conds[ctype]["message"] == "Reached expected number of succeeded pods"
    assert status["completionTime"] == conds["Complete"]["lastTransitionTime"]
    created = pods(api, ns)
    assert len(created) == 3
    uid = j["metadata"]["uid"]
    for p in created:
        meta = p["metadata"]
        assert meta["name"].startswith("pi-") and len(meta["name"]) == len("pi-") + 5
        assert meta["labels"]["batch.kubernetes.io/job-name"] == "pi" and meta["labels"]["job-name"] == "pi"
        assert meta["labels"]["controller-uid"] == uid and meta["labels"]["batch.kubernetes.io/controller-uid"] == uid
        assert meta["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "Job", "name": "pi", "uid": uid,
                                            "controller": True, "blockOwnerDeletion": True}]
        assert not meta.get("finalizers")
        assert p["status"]["phase"] == "Succeeded"
    reasons = [e["reason"] for e in events(api, ns)]
    assert reasons.count("SuccessfulCreate") == 3 and reasons.count("Completed") == 1
    created_msgs = {e["message"] for e in events(api, ns) if e["reason"] == "SuccessfulCreate"}
    assert created_msgs == {f"Created pod: {p['metadata']['name']}" for p in created}
    completed = [e for e in events(api, ns) if e["reason"] == "Completed"][0]
    assert (completed["message"], completed["source"]["component"]) == ("Job completed", "job-controller")


def test_running_pods_carry_the_tracking_finalizer(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=job("long", "sleep 3600"))
    j = wait_for(lambda: (x := get_job(api, ns, "long")) and x["status"].get("ready") == 1 and x)
    assert j["status"]["active"] == 1
    p = pods(api, ns)[0]
    assert p["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    # deleting the Job releases its pods' finalizers
    assert api.delete(f"/apis/batch/v1/namespaces/{ns}/jobs/long").status_code == 200
    wait_for(lambda: not pods(api, ns)[0]["metadata"].get("finalizers"))


def test_backoff_limit_exceeded(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=job("fail", "exit 1", backoffLimit=1))
    j = finished(api, ns, "fail", "Failed")
    assert j["status"]["failed"] == 2 and "succeeded" not in j["status"] and "completionTime" not in j["status"]
    conds = conditions(j)
    for ctype in ("FailureTarget", "Failed"):
        assert (conds[ctype]["reason"], conds[ctype]["message"]) == \
            ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert len(pods(api, ns)) == 2
    warning = [e for e in events(api, ns) if e["reason"] == "BackoffLimitExceeded"]
    assert warning and warning[0]["type"] == "Warning"


def test_on_failure_restarts_count_against_the_backoff_limit(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=job("crash", "exit 2", restart="OnFailure", backoffLimit=1))
    j = finished(api, ns, "crash", "Failed")
    assert conditions(j)["Failed"]["reason"] == "BackoffLimitExceeded"
    assert j["status"]["failed"] == 1


def test_active_deadline(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=job("slow", "sleep 3600", activeDeadlineSeconds=20))
    j = finished(api, ns, "slow", "Failed")
    assert (conditions(j)["Failed"]["reason"], conditions(j)["Failed"]["message"]) == \
        ("DeadlineExceeded", "Job was active longer than specified deadline")
    assert j["status"]["failed"] == 1 and "active" not in j["status"]
    wait_for(lambda: pods(api, ns) == [] or all(p["metadata"].get("deletionTimestamp") for p in pods(api, ns)))


def test_suspend_and_resume(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=job("later", "echo done", suspend=True))
    j = wait_for(lambda: (x := get_job(api, ns, "later")) and "Suspended" in conditions(x) and x)
    cond = conditions(j)["Suspended"]
    assert (cond["status"], cond["reason"], cond["message"]) == ("True", "JobSuspended", "Job suspended")
    assert "startTime" not in j["status"]
    time.sleep(0.2)
    assert pods(api, ns) == []
    r = api.patch(f"/apis/batch/v1/namespaces/{ns}/jobs/later", json={"spec": {"suspend": False}}, headers=MERGE)
    assert r.status_code == 200
    j = finished(api, ns, "later")
    cond = conditions(j)["Suspended"]
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "JobResumed", "Job resumed")
    assert {"Suspended", "Resumed", "Completed"} <= {e["reason"] for e in events(api, ns)}


def test_indexed_completion(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs",
             json=job("idx", "echo $JOB_COMPLETION_INDEX", completions=3, parallelism=3, completionMode="Indexed"))
    j = finished(api, ns, "idx")
    assert j["status"]["completedIndexes"] == "0-2" and j["status"]["succeeded"] == 3
    by_index = {p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]: p for p in pods(api, ns)}
    assert sorted(by_index) == ["0", "1", "2"]
    for index, p in by_index.items():
        assert p["metadata"]["name"].startswith(f"idx-{index}-")
        assert p["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == index
        assert p["spec"]["hostname"] == f"idx-{index}"
        env = p["spec"]["containers"][0]["env"]
        assert env[0]["name"] == "JOB_COMPLETION_INDEX"


def test_ttl_after_finished_deletes_the_job(api: httpx.Client, ns: str) -> None:
    api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=job("brief", "echo hi", ttlSecondsAfterFinished=5))
    wait_for(lambda: api.get(f"/apis/batch/v1/namespaces/{ns}/jobs/brief").status_code == 404)


def test_work_queue_job_without_completions(api: httpx.Client, ns: str) -> None:
    spec = job("queue", "echo item", parallelism=2)
    spec["spec"]["completions"] = None
    assert api.post(f"/apis/batch/v1/namespaces/{ns}/jobs", json=spec).status_code == 201
    j = finished(api, ns, "queue")
    assert j["status"]["succeeded"] >= 1
