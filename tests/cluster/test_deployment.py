"""The deployment controller against a running simulated cluster (speed 50: a simulated second is 20 ms):
ReplicaSet naming, labels, ownership and annotations, rolling and recreate rollouts, scaling, rollback,
restart, history pruning, pausing, progress deadlines and minReadySeconds; plus its pure arithmetic."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from fakeapi.cluster.workloads import deployutil as du, rollout
from fakeapi.cluster.workloads.hashing import compute_hash, safe_encode, scaled_value
from fakeapi.config import Config
from fakeapi.testing import RunningServer
from tests.cluster.workload_api import Api, deployment, wait_for

NS = "default"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield Api(running.url)


def rolled_out(api: Api, name: str, replicas: int) -> dict:
    def check() -> dict | None:
        d = api.get("deployments", NS, name)
        assert d is not None
        st = d.get("status") or {}
        done = (st.get("observedGeneration") == d["metadata"]["generation"] and st.get("updatedReplicas") == replicas
                and st.get("replicas") == replicas and st.get("availableReplicas") == replicas)
        return d if done else None
    return wait_for(check, what=f"deployment {name} rolled out")


def replicasets(api: Api, name: str) -> list[dict]:
    return api.items("replicasets", NS, f"app={name}")


def rs_with_revision(api: Api, name: str, revision: str) -> dict:
    return next(rs for rs in replicasets(api, name)
                if rs["metadata"]["annotations"].get(du.REVISION) == revision)


# ---- pure arithmetic -----------------------------------------------------------------------------

@pytest.mark.parametrize(("surge", "unavailable", "replicas", "expected"), [
    ("25%", "25%", 10, (3, 2)),
    ("25%", "25%", 1, (1, 0)),
    ("25%", "25%", 4, (1, 1)),
    (0, "10%", 5, (0, 1)),
    (2, 3, 10, (2, 3)),
])
def test_fenceposts_round_surge_up_and_unavailable_down(surge: object, unavailable: object, replicas: int,
                                                         expected: tuple[int, int]) -> None:
    d = deployment("x", replicas=replicas,
                   strategy={"type": "RollingUpdate",
                             "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}})
    assert du.fenceposts(d) == expected
    assert du.max_unavailable(d) == min(expected[1], replicas)


def test_hash_is_stable_safe_encoded_and_ignores_empty_values() -> None:
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "a", "image": "nginx"}]}}
    noisy = {"metadata": {"labels": {"app": "web"}, "creationTimestamp": None},
             "spec": {"containers": [{"name": "a", "image": "nginx", "resources": {}}]}}
    assert compute_hash(template, None) == compute_hash(noisy, None)
    assert compute_hash(template, None) != compute_hash(template, 1)
    assert set(compute_hash(template, None)) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert safe_encode("0123456789") == "456789bcdf"
    assert scaled_value("33%", 10, round_up=True) == 4 and scaled_value("33%", 10, round_up=False) == 3


# ---- the controller ------------------------------------------------------------------------------

def test_create_makes_a_replicaset_kubectl_can_link(api: Api) -> None:
    d = api.create("deployments", NS, deployment("web", replicas=3))
    d = rolled_out(api, "web", 3)
    [rs] = replicasets(api, "web")
    pod_hash = rs["metadata"]["labels"][du.HASH_LABEL]
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", du.HASH_LABEL: pod_hash}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", du.HASH_LABEL: pod_hash}
    assert du.equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"])
    assert rs["metadata"]["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                                  "uid": d["metadata"]["uid"], "controller": True,
                                                  "blockOwnerDeletion": True}]
    annotations = rs["metadata"]["annotations"]
    assert annotations[du.REVISION] == "1"
    assert annotations[du.DESIRED_REPLICAS] == "3" and annotations[du.MAX_REPLICAS] == "4"
    assert d["metadata"]["annotations"][du.REVISION] == "1"
    status = d["status"]
    assert status["readyReplicas"] == 3 and "unavailableReplicas" not in status
    conditions = {c["type"]: c for c in status["conditions"]}
    assert [c["type"] for c in status["conditions"]] == ["Available", "Progressing"]
    assert conditions["Available"]["reason"] == "MinimumReplicasAvailable"
    assert conditions["Available"]["message"] == "Deployment has minimum availability."
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert conditions["Progressing"]["message"] == f'ReplicaSet "web-{pod_hash}" has successfully progressed.'
    pods = api.items("pods", NS, "app=web")
    assert len(pods) == 3
    assert all(p["metadata"]["generateName"] == f"web-{pod_hash}-" for p in pods)
    assert all(p["metadata"]["labels"][du.HASH_LABEL] == pod_hash for p in pods)
    assert f"Scaled up replica set web-{pod_hash} from 0 to 3" in api.messages(NS, "web", "ScalingReplicaSet")


def test_rolling_update_moves_one_pod_at_a_time_with_surge_1_unavailable_0(api: Api) -> None:
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    api.create("deployments", NS, deployment("roll", replicas=3, strategy=strategy))
    rolled_out(api, "roll", 3)
    api.patch("deployments", NS, "roll", {"spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx:1.26"}]}}}}, kind="strategic")
    rolled_out(api, "roll", 3)
    old, new = rs_with_revision(api, "roll", "1"), rs_with_revision(api, "roll", "2")
    assert old["spec"]["replicas"] == 0 and new["spec"]["replicas"] == 3
    old_name, new_name = old["metadata"]["name"], new["metadata"]["name"]
    scaling = api.messages(NS, "roll", "ScalingReplicaSet")
    assert f"Scaled up replica set {new_name} from 0 to 1" in scaling
    initial = f"Scaled up replica set {old_name} from 0 to 3"
    steps = [m for m in scaling if (old_name in m or new_name in m) and m != initial]
    assert len(steps) == 6, scaling
    for message in steps:
        before, after = (int(n) for n in message.rsplit("from ", 1)[1].split(" to "))
        assert abs(after - before) == 1, scaling
    assert {p["metadata"]["labels"][du.HASH_LABEL] for p in api.items("pods", NS, "app=roll")} == \
        {new["metadata"]["labels"][du.HASH_LABEL]}


def test_recreate_scales_old_to_zero_before_creating_the_new_set(api: Api) -> None:
    api.create("deployments", NS, deployment("recreate", replicas=2, strategy={"type": "Recreate"}))
    rolled_out(api, "recreate", 2)
    api.patch("deployments", NS, "recreate", {"spec": {"template": {"metadata": {"labels": {"app": "recreate",
                                                                                           "v": "2"}}}}})
    rolled_out(api, "recreate", 2)
    old, new = rs_with_revision(api, "recreate", "1"), rs_with_revision(api, "recreate", "2")
    scaling = api.messages(NS, "recreate", "ScalingReplicaSet")
    down = scaling.index(f"Scaled down replica set {old['metadata']['name']} from 2 to 0")
    up = scaling.index(f"Scaled up replica set {new['metadata']['name']} from 0 to 2")
    assert down < up


def test_scale_resizes_the_current_replicaset_without_a_new_one(api: Api) -> None:
    api.create("deployments", NS, deployment("scaled", replicas=2))
    rolled_out(api, "scaled", 2)
    api.patch("deployments", NS, "scaled", {"spec": {"replicas": 5}}, subresource="scale")
    rolled_out(api, "scaled", 5)
    [rs] = replicasets(api, "scaled")
    assert rs["spec"]["replicas"] == 5
    assert rs["metadata"]["annotations"][du.DESIRED_REPLICAS] == "5"
    assert rs["metadata"]["annotations"][du.REVISION] == "1"
    assert any(m.endswith("from 2 to 5") for m in api.messages(NS, "scaled", "ScalingReplicaSet"))


def test_undo_makes_the_old_replicaset_new_with_the_next_revision(api: Api) -> None:
    api.create("deployments", NS, deployment("undo", replicas=2))
    rolled_out(api, "undo", 2)
    api.patch("deployments", NS, "undo", {"spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx:1.26"}]}}}}, kind="strategic")
    d = rolled_out(api, "undo", 2)
    first = rs_with_revision(api, "undo", "1")
    template = du.template_without_hash(first["spec"]["template"])
    annotations = {k: v for k, v in d["metadata"]["annotations"].items()}
    api.patch("deployments", NS, "undo", [{"op": "replace", "path": "/spec/template", "value": template},
                                          {"op": "replace", "path": "/metadata/annotations", "value": annotations}],
              kind="json")
    rolled_out(api, "undo", 2)
    restored = wait_for(lambda: next((rs for rs in replicasets(api, "undo")
                                      if rs["metadata"]["uid"] == first["metadata"]["uid"]
                                      and rs["metadata"]["annotations"][du.REVISION] == "3"), None),
                        what="the old ReplicaSet to get revision 3")
    assert restored["metadata"]["annotations"][du.REVISION_HISTORY] == "1"
    assert restored["spec"]["replicas"] == 2
    assert len(replicasets(api, "undo")) == 2
    assert wait_for(lambda: api.get("deployments", NS, "undo")["metadata"]["annotations"][du.REVISION] == "3")


def test_restart_annotation_makes_a_new_replicaset_and_change_cause_travels(api: Api) -> None:
    d = deployment("restart", replicas=1)
    d["metadata"]["annotations"] = {"kubernetes.io/change-cause": "first release"}
    api.create("deployments", NS, d)
    rolled_out(api, "restart", 1)
    assert replicasets(api, "restart")[0]["metadata"]["annotations"]["kubernetes.io/change-cause"] == "first release"
    api.patch("deployments", NS, "restart", {"metadata": {"annotations": {"kubernetes.io/change-cause": "restart"}},
                                             "spec": {"template": {"metadata": {"annotations": {
                                                 "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"}}}}},
              kind="strategic")
    rolled_out(api, "restart", 1)
    new = rs_with_revision(api, "restart", "2")
    assert new["metadata"]["annotations"]["kubernetes.io/change-cause"] == "restart"
    assert rs_with_revision(api, "restart", "1")["metadata"]["annotations"]["kubernetes.io/change-cause"] == \
        "first release"


def test_revision_history_limit_prunes_old_scaled_down_replicasets(api: Api) -> None:
    api.create("deployments", NS, deployment("pruned", replicas=1, revisionHistoryLimit=1))
    rolled_out(api, "pruned", 1)
    for tag in ("1.26", "1.27", "1.28"):
        api.patch("deployments", NS, "pruned", {"spec": {"template": {"spec": {"containers": [
            {"name": "app", "image": f"nginx:{tag}"}]}}}}, kind="strategic")
        rolled_out(api, "pruned", 1)
    revisions = wait_for(lambda: (r := sorted(rs["metadata"]["annotations"][du.REVISION]
                                             for rs in replicasets(api, "pruned"))) == ["3", "4"] and r,
                         what="only revisions 3 and 4 to remain")
    assert revisions == ["3", "4"]


def test_paused_deployment_only_scales(api: Api) -> None:
    api.create("deployments", NS, deployment("paused", replicas=2))
    rolled_out(api, "paused", 2)
    api.patch("deployments", NS, "paused", {"spec": {"paused": True}})
    cond = wait_for(lambda: next((c for c in api.get("deployments", NS, "paused")["status"]["conditions"]
                                  if c["type"] == "Progressing" and c["reason"] == "DeploymentPaused"), None))
    assert cond["status"] == "Unknown" and cond["message"] == "Deployment is paused"
    api.patch("deployments", NS, "paused", {"spec": {"replicas": 3, "template": {"spec": {"containers": [
        {"name": "app", "image": "nginx:1.26"}]}}}}, kind="strategic")
    wait_for(lambda: replicasets(api, "paused")[0]["spec"]["replicas"] == 3, what="the paused set to scale")
    time.sleep(0.2)
    assert len(replicasets(api, "paused")) == 1
    api.patch("deployments", NS, "paused", {"spec": {"paused": False}})
    rolled_out(api, "paused", 3)
    assert len(replicasets(api, "paused")) == 2


def test_progress_deadline_exceeded_when_pods_never_become_available(api: Api) -> None:
    api.create("deployments", NS, deployment("stuck", replicas=1, image="nginx:doesnotexist",
                                             progressDeadlineSeconds=20))

    def timed_out() -> dict | None:
        conds = (api.get("deployments", NS, "stuck").get("status") or {}).get("conditions") or []
        return next((c for c in conds if c["type"] == "Progressing" and c["reason"] == "ProgressDeadlineExceeded"),
                    None)
    cond = wait_for(timed_out, what="ProgressDeadlineExceeded")
    [rs] = replicasets(api, "stuck")
    assert cond["status"] == "False"
    assert cond["message"] == f'ReplicaSet "{rs["metadata"]["name"]}" has timed out progressing.'
    available = next(c for c in api.get("deployments", NS, "stuck")["status"]["conditions"]
                     if c["type"] == "Available")
    assert (available["status"], available["reason"]) == ("False", "MinimumReplicasUnavailable")


def test_min_ready_seconds_delays_availability(api: Api) -> None:
    api.create("deployments", NS, deployment("slow", replicas=2, minReadySeconds=30))
    ready_at = wait_for(lambda: (api.get("deployments", NS, "slow").get("status") or {}).get("readyReplicas") == 2
                        and time.monotonic())
    d = api.get("deployments", NS, "slow")
    assert (d.get("status") or {}).get("availableReplicas", 0) < 2
    wait_for(lambda: (api.get("deployments", NS, "slow").get("status") or {}).get("availableReplicas") == 2)
    assert time.monotonic() - ready_at > 0.3
    assert replicasets(api, "slow")[0]["spec"]["minReadySeconds"] == 30


class RecordingScaler:
    """Stands in for the controller: records the sizes `rollout.scale` asks for."""

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}

    def scale(self, rs: dict, size: int, d: dict, *, always: bool = False) -> bool:
        self.sizes[rs["metadata"]["name"]] = size
        return True


def test_scaling_during_a_rollout_is_proportional() -> None:
    d = deployment("prop", replicas=15,
                   strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
    d["status"] = {"replicas": 13}

    def rs(name: str, size: int, created: str) -> dict:
        return {"metadata": {"name": name, "creationTimestamp": created,
                             "annotations": {du.DESIRED_REPLICAS: "10", du.MAX_REPLICAS: "13"}},
                "spec": {"replicas": size, "template": {}}, "status": {"availableReplicas": size}}

    old, new = rs("prop-old", 8, "2026-01-01T00:00:00Z"), rs("prop-new", 5, "2026-01-01T00:01:00Z")
    scaler = RecordingScaler()
    rollout.scale(scaler, d, new, [old])  # type: ignore[arg-type]
    assert scaler.sizes == {"prop-old": 12, "prop-new": 7}
    scaler = RecordingScaler()
    d["spec"]["replicas"] = 5
    rollout.scale(scaler, d, new, [old])  # type: ignore[arg-type]
    assert sum(scaler.sizes.values()) == 5 + du.max_surge(d) and scaler.sizes["prop-old"] > scaler.sizes["prop-new"]
