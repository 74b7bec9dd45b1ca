"""Deployment controller: ReplicaSets `<deployment>-<pod-template-hash>` rolled as the strategy says.

Contract (pkg/controller/deployment, and what kubectl's rollout commands read back):
- The new ReplicaSet carries the Deployment's template verbatim plus the `pod-template-hash` label (also
  in its labels and selector), a controllerRef with the Deployment's uid, the Deployment's annotations
  (kubernetes.io/change-cause among them) and `deployment.kubernetes.io/revision`, `desired-replicas`,
  `max-replicas`. The Deployment carries the newest revision. `rollout undo` (a patch restoring an old
  template) makes that old ReplicaSet the new one again, with the next revision number.
- Status: replicas, updated/ready/available/unavailable counts summed over the ReplicaSets,
  observedGeneration, and the Available and Progressing conditions with the controller's own reasons
  and messages; ProgressDeadlineExceeded once progressDeadlineSeconds of simulated time pass without
  progress. Events: `ScalingReplicaSet` `Scaled up replica set web-7d4b9c8f5 from 0 to 3`.
- A paused Deployment is only resized; a Deployment being deleted only reports status.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.informer import resource
from fakeapi.cluster.workloads import base, deployutil as du, rollout
from fakeapi.cluster.workloads.hashing import compute_hash
from fakeapi.cluster.workloads.owners import claim, controller_of, controller_ref, deleting, selector_of
from fakeapi.errors import StatusError
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext

Obj = dict[str, Any]
COMPONENT = "deployment-controller"
Key = tuple[str, str]


class DeploymentController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server = ctx.server
        self.deployments = resource(self.server, "apps", "v1", "deployments")
        self.replicasets = resource(self.server, "apps", "v1", "replicasets")
        self.pods = resource(self.server, "", "v1", "pods")
        self.queue = base.WorkQueue(ctx.clock)

    async def run(self) -> None:
        await asyncio.gather(
            base.watch(self.server, self.deployments, self.on_deployment),
            base.watch(self.server, self.replicasets, self.on_replicaset),
            base.watch(self.server, self.pods, self.on_pod),
            self.queue.run(self.sync),
        )

    # ---- event handlers ----------------------------------------------------------------------------

    def on_deployment(self, event: WatchEvent) -> None:
        meta = event.obj["metadata"]
        self.queue.add((meta["namespace"], meta["name"]))

    def on_replicaset(self, event: WatchEvent) -> None:
        rs = event.obj
        namespace = rs["metadata"]["namespace"]
        ref = controller_of(rs)
        if ref is not None:
            if ref.get("kind") == "Deployment":
                self.queue.add((namespace, ref["name"]))
            return
        if event.type == DELETED:
            return
        labels = rs["metadata"].get("labels")
        for d in base.list_objects(self.server, self.deployments, namespace):
            if selector_of(d).matches(labels):
                self.queue.add((namespace, d["metadata"]["name"]))

    def on_pod(self, event: WatchEvent) -> None:
        if event.type != DELETED:
            return
        pod = event.obj
        ref = controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        namespace = pod["metadata"]["namespace"]
        rs = base.get(self.server, self.replicasets, namespace, ref["name"])
        owner = controller_of(rs) if rs is not None else None
        if owner is not None and owner.get("kind") == "Deployment":
            self.queue.add((namespace, owner["name"]))

    # ---- sync --------------------------------------------------------------------------------------

    def sync(self, key: Key) -> float | None:
        namespace, name = key
        stored = base.get(self.server, self.deployments, namespace, name)
        if stored is None:
            return None
        d = base.thaw(stored)
        selector = du.spec(d).get("selector")
        if isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get("matchExpressions"):
            self.ctx.recorder.record(d, "Warning", "SelectingAll", "This deployment is selecting all pods. "
                                     "A non-empty selector is required.", component=COMPONENT)
            if int(du.status(d).get("observedGeneration") or 0) < int(d["metadata"].get("generation") or 0):
                d.setdefault("status", {})["observedGeneration"] = d["metadata"].get("generation")
                self.write_status(d)
            return None
        rss = self.claim_replicasets(d)
        if deleting(d):
            new_rs, old_rss = self.new_and_old(d, rss, create=False)
            self.sync_status(self.present(new_rs, old_rss), new_rs, d)
            return None
        self.check_paused(d)
        if du.spec(d).get("paused"):
            return self.resize(d, rss)
        scaling = self.scaling_event(d, rss)
        rss = self.refresh(rss)
        if scaling:
            return self.resize(d, rss)
        if (du.spec(d).get("strategy") or {}).get("type") == "Recreate":
            return rollout.recreate(self, d, rss)
        return rollout.rolling_update(self, d, rss)

    def claim_replicasets(self, d: Obj) -> list[Obj]:
        candidates = base.list_objects(self.server, self.replicasets, d["metadata"]["namespace"])
        return claim(self.server, self.replicasets, d, candidates, selector_of(d))

    @staticmethod
    def present(new_rs: Obj | None, old_rss: list[Obj]) -> list[Obj]:
        return [*old_rss, *([new_rs] if new_rs is not None else [])]

    def resize(self, d: Obj, rss: list[Obj]) -> float | None:
        """sync(): scaling only, then status without progress estimation."""
        new_rs, old_rss = self.new_and_old(d, rss, create=False)
        rollout.scale(self, d, new_rs, old_rss)
        new_rs, old_rss = self.refresh_one(new_rs), self.refresh(old_rss)
        if du.spec(d).get("paused"):
            rollout.cleanup(self, old_rss, d)
        self.sync_status(self.present(new_rs, old_rss), new_rs, d)
        return None

    def scaling_event(self, d: Obj, rss: list[Obj]) -> bool:
        new_rs, old_rss = self.new_and_old(d, rss, create=False)
        for rs in du.active(self.present(new_rs, old_rss)):
            desired = du.int_annotation(rs, du.DESIRED_REPLICAS)
            if desired is not None and desired != du.replicas(d):
                return True
        return False

    def check_paused(self, d: Obj) -> None:
        if not du.has_progress_deadline(d):
            return
        st = d.setdefault("status", {})
        cond = du.get_condition(st, du.PROGRESSING)
        if cond is not None and cond.get("reason") == du.TIMED_OUT:
            return
        paused_cond = cond is not None and cond.get("reason") == du.PAUSED
        if du.spec(d).get("paused") and not paused_cond:
            du.set_condition(st, du.new_condition(du.PROGRESSING, "Unknown", du.PAUSED, "Deployment is paused"))
        elif not du.spec(d).get("paused") and paused_cond:
            du.set_condition(st, du.new_condition(du.PROGRESSING, "Unknown", du.RESUMED, "Deployment is resumed"))
        else:
            return
        self.write_status(d)

    # ---- the new ReplicaSet and revisions ------------------------------------------------------------

    def new_and_old(self, d: Obj, rss: list[Obj], *, create: bool) -> tuple[Obj | None, list[Obj]]:
        """getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and all old ones."""
        existing = du.find_new_rs(d, rss)
        old_rss = [rs for rs in rss if existing is None or rs["metadata"]["uid"] != existing["metadata"]["uid"]]
        return self.new_rs(d, rss, old_rss, existing, create=create), old_rss

    def new_rs(self, d: Obj, rss: list[Obj], old_rss: list[Obj], existing: Obj | None, *,
               create: bool) -> Obj | None:
        new_revision = du.max_revision(old_rss) + 1
        st = d.setdefault("status", {})
        if existing is not None:
            rs = base.thaw(existing)
            changed = du.set_new_rs_annotations(d, rs, new_revision, exists=True)
            min_ready = du.spec(d).get("minReadySeconds") or 0
            if changed or (du.spec(rs).get("minReadySeconds") or 0) != min_ready:
                if min_ready:
                    rs["spec"]["minReadySeconds"] = min_ready
                else:
                    rs["spec"].pop("minReadySeconds", None)
                return base.update(self.server, self.replicasets, rs)
            needs_update = du.set_deployment_revision(d, du.annotations_of(rs).get(du.REVISION, ""))
            if du.has_progress_deadline(d) and du.get_condition(st, du.PROGRESSING) is None:
                du.set_condition(st, du.new_condition(du.PROGRESSING, "True", du.FOUND_NEW_RS,
                                                      f'Found new replica set "{rs["metadata"]["name"]}"'))
                needs_update = True
            if needs_update:
                self.write_status(d)
            return existing
        if not create:
            return None
        return self.create_rs(d, old_rss, new_revision)

    def create_rs(self, d: Obj, old_rss: list[Obj], new_revision: int) -> Obj | None:
        namespace, name = d["metadata"]["namespace"], d["metadata"]["name"]
        st = d.setdefault("status", {})
        template = base.thaw(du.spec(d).get("template") or {})
        pod_hash = compute_hash(template, st.get("collisionCount"))
        template.setdefault("metadata", {})
        template["metadata"]["labels"] = {**(template["metadata"].get("labels") or {}), du.HASH_LABEL: pod_hash}
        selector = base.thaw(du.spec(d).get("selector") or {})
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}), du.HASH_LABEL: pod_hash}
        rs: Obj = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": f"{name}-{pod_hash}", "namespace": namespace,
                         "labels": dict(template["metadata"]["labels"]), "ownerReferences": [controller_ref(d)]},
            "spec": {"replicas": 0, "selector": selector, "template": template},
        }
        if du.spec(d).get("minReadySeconds"):
            rs["spec"]["minReadySeconds"] = du.spec(d)["minReadySeconds"]
        rs["spec"]["replicas"] = du.new_rs_replicas(d, [*old_rss, rs], rs)
        du.set_new_rs_annotations(d, rs, new_revision, exists=False)
        already_exists = False
        try:
            created = self.server.store.create(self.replicasets, namespace, rs).obj
        except StatusError as exc:
            if exc.reason != "AlreadyExists":
                raise
            already_exists = True
            found = base.get(self.server, self.replicasets, namespace, rs["metadata"]["name"])
            ref = controller_of(found) if found is not None else None
            if found is None or ref is None or ref.get("uid") != d["metadata"]["uid"] or \
                    not du.equal_ignore_hash(du.spec(d).get("template"), du.spec(found).get("template")):
                st["collisionCount"] = int(st.get("collisionCount") or 0) + 1
                self.write_status(d)
                raise
            created = found
        size = du.rs_replicas(created)
        if not already_exists and size > 0:
            self.record(d, f"Scaled up replica set {created['metadata']['name']} from 0 to {size}")
        needs_update = du.set_deployment_revision(d, str(new_revision))
        if not already_exists and du.has_progress_deadline(d):
            du.set_condition(st, du.new_condition(du.PROGRESSING, "True", du.NEW_RS_CREATED,
                                                  f'Created new replica set "{created["metadata"]["name"]}"'))
            needs_update = True
        if needs_update:
            self.write_status(d)
        return created

    # ---- writes ------------------------------------------------------------------------------------

    def scale(self, rs: Obj, size: int, d: Obj, *, always: bool = False) -> bool:
        """scaleReplicaSet(AndRecordEvent): resize and stamp the replica annotations; True if resized."""
        current = self.refresh_one(rs)
        if current is None:
            return False
        if du.rs_replicas(current) == size and not always:
            return False
        maximum = du.replicas(d) + du.max_surge(d)
        resize = du.rs_replicas(current) != size
        if not resize and not du.replicas_annotations_need_update(current, du.replicas(d), maximum):
            return False
        old_size = du.rs_replicas(current)
        updated = base.thaw(current)
        updated["spec"]["replicas"] = size
        du.set_replicas_annotations(updated, du.replicas(d), maximum)
        base.update(self.server, self.replicasets, updated)
        if resize:
            direction = "up" if old_size < size else "down"
            self.record(d, f"Scaled {direction} replica set {current['metadata']['name']} from {old_size} to {size}")
        return resize

    def delete_rs(self, rs: Obj) -> None:
        base.delete(self.server, self.replicasets, rs["metadata"]["namespace"], rs["metadata"]["name"],
                    uid=rs["metadata"]["uid"])

    def write_status(self, d: Obj) -> None:
        """UpdateStatus: the status and (the revision) annotations, which the /status strategy lets through."""
        namespace, name = d["metadata"]["namespace"], d["metadata"]["name"]
        uid = d["metadata"]["uid"]
        status, annotations = base.thaw(d.get("status") or {}), dict(du.annotations_of(d))

        def mutate(current: Obj) -> Obj:
            if current["metadata"].get("uid") != uid:
                raise StatusError(409, "Conflict", "deployment was replaced")
            current["status"] = status
            if annotations:
                current["metadata"]["annotations"] = annotations
            return current

        self.server.store.guaranteed_update(self.deployments, namespace, name, mutate, subresource="status")

    def record(self, d: Obj, message: str) -> None:
        self.ctx.recorder.record(d, "Normal", "ScalingReplicaSet", message, component=COMPONENT)

    def refresh_one(self, rs: Obj | None) -> Obj | None:
        if rs is None:
            return None
        current = base.get(self.server, self.replicasets, rs["metadata"]["namespace"], rs["metadata"]["name"])
        if current is None or current["metadata"].get("uid") != rs["metadata"].get("uid"):
            return None
        return current

    def refresh(self, rss: list[Obj]) -> list[Obj]:
        return [current for current in (self.refresh_one(rs) for rs in rss) if current is not None]

    def pods_of(self, d: Obj) -> list[Obj]:
        selector = selector_of(d)
        return [p for p in base.list_objects(self.server, self.pods, d["metadata"]["namespace"])
                if selector.matches(p["metadata"].get("labels"))]

    # ---- status ------------------------------------------------------------------------------------

    def sync_status(self, all_rss: list[Obj], new_rs: Obj | None, d: Obj) -> None:
        """syncDeploymentStatus: counts and Available only."""
        st = du.calculate_status(all_rss, new_rs, d)
        if st != du.status(d):
            d["status"] = st
            self.write_status(d)

    def sync_rollout_status(self, all_rss: list[Obj], new_rs: Obj | None, d: Obj) -> float | None:
        """syncRolloutStatus: counts plus the Progressing condition; the delay until the deadline check."""
        st = du.calculate_status(all_rss, new_rs, d)
        if not du.has_progress_deadline(d):
            du.remove_condition(st, du.PROGRESSING)
        current = du.get_condition(du.status(d), du.PROGRESSING)
        done = (int(st.get("replicas") or 0) == int(st.get("updatedReplicas") or 0) and current is not None
                and current.get("reason") == du.NEW_RS_AVAILABLE)
        speed = self.ctx.clock.speed
        subject = f'ReplicaSet "{new_rs["metadata"]["name"]}"' if new_rs is not None \
            else f'Deployment "{d["metadata"]["name"]}"'
        if du.has_progress_deadline(d) and not done:
            if du.complete(d, st):
                du.set_condition(st, du.new_condition(du.PROGRESSING, "True", du.NEW_RS_AVAILABLE,
                                                      f"{subject} has successfully progressed."))
            elif du.progressing(d, st):
                cond = du.new_condition(du.PROGRESSING, "True", du.RS_UPDATED, f"{subject} is progressing.")
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    du.remove_condition(st, du.PROGRESSING)
                du.set_condition(st, cond)
            elif du.timed_out(d, st, speed):
                du.set_condition(st, du.new_condition(du.PROGRESSING, "False", du.TIMED_OUT,
                                                      f"{subject} has timed out progressing."))
        failure = next((c for rs in all_rss for c in du.status(rs).get("conditions") or []
                        if c.get("type") == du.REPLICA_FAILURE and c.get("status") == "True"), None)
        if failure is not None:
            du.set_condition(st, {"type": du.REPLICA_FAILURE, "status": "True",
                                  "lastUpdateTime": failure.get("lastTransitionTime"),
                                  "lastTransitionTime": failure.get("lastTransitionTime"),
                                  "reason": failure.get("reason", ""), "message": failure.get("message", "")})
        else:
            du.remove_condition(st, du.REPLICA_FAILURE)
        if st == du.status(d):
            return self.stuck_requeue(d, st)
        d["status"] = st
        self.write_status(d)
        return None

    def stuck_requeue(self, d: Obj, st: Obj) -> float | None:
        """requeueStuckDeployment: look again when the progress deadline would pass."""
        cond = du.get_condition(du.status(d), du.PROGRESSING)
        if not du.has_progress_deadline(d) or cond is None:
            return None
        if du.complete(d, st) or cond.get("reason") == du.TIMED_OUT:
            return None
        left = du.deadline_left(d, du.status(d), self.ctx.clock.speed)
        if left is None:
            return None
        return max(left, 0.0) + 1.0


async def deployment_controller(ctx: ClusterContext) -> None:
    await DeploymentController(ctx).run()
