"""StatefulSet pods and their claims (stateful_set_utils.go and stateful_pod_control.go).

Identity: pod `<set>-<n>` (generateName `<set>-`), labels `statefulset.kubernetes.io/pod-name`,
`apps.kubernetes.io/pod-index` and `controller-revision-hash` (its revision's name), hostname `<set>-<n>`,
subdomain = serviceName. Ordinals below the partition are built from the current revision's template,
the others from the update revision's. Storage: one volume per volumeClaimTemplate, bound to PVC
`<claim>-<set>-<n>` (the claim's labels plus the selector's matchLabels), created before the pod and
never deleted here; persistentVolumeClaimRetentionPolicy only decides the ownerReferences (to the set
for whenDeleted: Delete, to a scaled-away pod for whenScaled: Delete) that let the garbage collector
remove them. Events: `create Pod web-0 in StatefulSet web successful`, `create Claim www-web-0 Pod web-0
in StatefulSet web success`, `delete Pod web-1 in StatefulSet web successful`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.events import EventRecorder
from fakeapi.cluster.workloads import base, revisions
from fakeapi.cluster.workloads.owners import controller_ref
from fakeapi.cluster.workloads.pods import phase, pod_from_template
from fakeapi.errors import StatusError
from fakeapi.registry.resource import ResourceInfo

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]
COMPONENT = "statefulset-controller"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REVISION_LABEL = "controller-revision-hash"
ORDINAL_RE = re.compile(r"(.*)-([0-9]+)$")


def parent_and_ordinal(name: str) -> tuple[str, int]:
    match = ORDINAL_RE.fullmatch(name)
    return (match.group(1), int(match.group(2))) if match else ("", -1)


def start_ordinal(sts: Obj) -> int:
    start = ((sts.get("spec") or {}).get("ordinals") or {}).get("start")
    return start if isinstance(start, int) else 0


def replicas(sts: Obj) -> int:
    value = (sts.get("spec") or {}).get("replicas")
    return value if isinstance(value, int) else 1


def created(pod: Obj) -> bool:
    return bool(phase(pod))


def being_deleted(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


class StatefulPodControl:
    def __init__(self, server: Server, recorder: EventRecorder, pods: ResourceInfo, claims: ResourceInfo) -> None:
        self.server = server
        self.recorder = recorder
        self.pods = pods
        self.claims = claims

    def new_pod(self, sts: Obj, ordinal: int, current: Obj, update: Obj) -> Obj:
        spec = sts.get("spec") or {}
        strategy = spec.get("updateStrategy") or {}
        partition = (strategy.get("rollingUpdate") or {}).get("partition") or 0
        use_current = strategy.get("type", "RollingUpdate") == "RollingUpdate" and \
            strategy.get("rollingUpdate") is not None and ordinal < start_ordinal(sts) + partition
        revision = current if use_current else update
        meta = sts["metadata"]
        name = f"{meta['name']}-{ordinal}"
        pod = pod_from_template(revisions.template_of(revision), controller_ref(sts), namespace=meta["namespace"],
                                generate_name=f"{meta['name']}-")
        pod["metadata"]["name"] = name
        labels = pod["metadata"].setdefault("labels", {})
        labels[POD_NAME_LABEL] = name
        labels[POD_INDEX_LABEL] = str(ordinal)
        labels[REVISION_LABEL] = revision["metadata"]["name"]
        pod_spec = pod["spec"]
        pod_spec["hostname"] = name
        if spec.get("serviceName"):
            pod_spec["subdomain"] = spec["serviceName"]
        claim_volumes = [{"name": c["metadata"]["name"],
                          "persistentVolumeClaim": {"claimName": self.claim_name(sts, c, ordinal)}}
                         for c in self.claim_templates(sts)]
        if claim_volumes:
            names = {v["name"] for v in claim_volumes}
            others = [v for v in pod_spec.get("volumes") or [] if v.get("name") not in names]
            pod_spec["volumes"] = claim_volumes + others
        return pod

    @staticmethod
    def claim_templates(sts: Obj) -> list[Obj]:
        return [c for c in (sts.get("spec") or {}).get("volumeClaimTemplates") or []
                if isinstance(c, dict) and (c.get("metadata") or {}).get("name")]

    @staticmethod
    def claim_name(sts: Obj, template: Obj, ordinal: int) -> str:
        return f"{template['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"

    def ensure_claims(self, sts: Obj, pod: Obj) -> bool:
        """createPersistentVolumeClaims: False when a claim is missing and cannot be made now."""
        meta = sts["metadata"]
        ordinal = parent_and_ordinal(pod["metadata"]["name"])[1]
        match_labels = ((sts.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        ok = True
        for template in self.claim_templates(sts):
            name = self.claim_name(sts, template, ordinal)
            existing = base.get(self.server, self.claims, meta["namespace"], name)
            if existing is not None:
                ok = ok and not being_deleted(existing)
                continue
            tmeta = template.get("metadata") or {}
            pvc: Obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                        "metadata": {"name": name, "namespace": meta["namespace"],
                                     "labels": {**(tmeta.get("labels") or {}), **match_labels}},
                        "spec": base.thaw(template.get("spec") or {})}
            if tmeta.get("annotations"):
                pvc["metadata"]["annotations"] = dict(tmeta["annotations"])
            try:
                self.server.store.create(self.claims, meta["namespace"], pvc)
            except StatusError as exc:
                if exc.reason == "AlreadyExists":
                    continue
                self.event(sts, "Warning", "FailedCreate",
                           f"create Claim {name} Pod {pod['metadata']['name']} in StatefulSet {meta['name']} "
                           f"failed error: {exc.message}")
                ok = False
                continue
            self.event(sts, "Normal", "SuccessfulCreate",
                       f"create Claim {name} Pod {pod['metadata']['name']} in StatefulSet {meta['name']} success")
        return ok

    def apply_retention(self, sts: Obj, pod: Obj) -> None:
        """updateClaimOwnerRefForSetAndPod: claims owned by the set and/or a scaled-away pod, per policy."""
        policy = (sts.get("spec") or {}).get("persistentVolumeClaimRetentionPolicy") or {}
        when_deleted = policy.get("whenDeleted", "Retain")
        when_scaled = policy.get("whenScaled", "Retain")
        parent, ordinal = parent_and_ordinal(pod["metadata"]["name"])
        scaled_away = not start_ordinal(sts) <= ordinal < start_ordinal(sts) + replicas(sts)
        own_by_set = when_deleted == "Delete" and not (when_scaled == "Delete" and scaled_away)
        own_by_pod = when_scaled == "Delete" and scaled_away and bool(pod["metadata"].get("uid"))
        set_ref = {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": sts["metadata"]["name"],
                   "uid": sts["metadata"]["uid"]}
        pod_ref = {"apiVersion": "v1", "kind": "Pod", "name": pod["metadata"]["name"],
                   "uid": pod["metadata"].get("uid", "")}
        for template in self.claim_templates(sts):
            existing = base.get(self.server, self.claims, sts["metadata"]["namespace"],
                                self.claim_name(sts, template, ordinal))
            if existing is None:
                continue
            refs = [r for r in existing["metadata"].get("ownerReferences") or []
                    if r.get("uid") not in (set_ref["uid"], pod_ref["uid"])]
            refs += ([set_ref] if own_by_set else []) + ([pod_ref] if own_by_pod else [])
            if refs == (existing["metadata"].get("ownerReferences") or []):
                continue
            updated = base.thaw(existing)
            if refs:
                updated["metadata"]["ownerReferences"] = refs
            else:
                updated["metadata"].pop("ownerReferences", None)
            try:
                base.update(self.server, self.claims, updated)
            except StatusError:
                continue

    def create_pod(self, sts: Obj, pod: Obj) -> None:
        name = sts["metadata"]["name"]
        if not self.ensure_claims(sts, pod):
            return
        try:
            stored = self.server.store.create(self.pods, sts["metadata"]["namespace"], pod).obj
        except StatusError as exc:
            if exc.reason != "AlreadyExists":
                self.event(sts, "Warning", "FailedCreate",
                           f"create Pod {pod['metadata']['name']} in StatefulSet {name} failed error: {exc.message}")
            return
        self.apply_retention(sts, stored)
        self.event(sts, "Normal", "SuccessfulCreate", f"create Pod {pod['metadata']['name']} in StatefulSet {name} "
                                                      "successful")

    def delete_pod(self, sts: Obj, pod: Obj) -> None:
        meta = pod["metadata"]
        if base.delete(self.server, self.pods, meta["namespace"], meta["name"], uid=meta.get("uid")):
            self.event(sts, "Normal", "SuccessfulDelete",
                       f"delete Pod {meta['name']} in StatefulSet {sts['metadata']['name']} successful")

    def event(self, sts: Obj, type_: str, reason: str, message: str) -> None:
        self.recorder.record(sts, type_, reason, message, component=COMPONENT)
