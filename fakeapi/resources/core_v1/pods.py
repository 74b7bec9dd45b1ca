"""Pods (core/v1): discovery data, the pod strategy, the admission defaults of a default cluster and
kubectl's pod table.

Create runs, in the apiserver's order: defaulting (defaults.go SetDefaults_Pod on top of the PodSpec
defaults in podspec.py), then the mutating admission plugins a kubeadm-style cluster enables
(ServiceAccount, DefaultTolerationSeconds, Priority), then PrepareForCreate (status Pending + QoS class,
generation 1, SchedulingGated condition) and ValidatePodCreate. Mirror pods (config.mirror annotation)
skip the ServiceAccount plugin, as the kubelet requires. Updates only let the image, activeDeadlineSeconds,
added tolerations, removed scheduling gates and a negative grace period fixed to 1 change; `spec` changes
bump metadata.generation (pkg/registry/core/pod/strategy.go).

The table follows printPod in pkg/printers/internalversion/printers.go, Succeeded/Failed rows carry the
Completed row condition, and CheckGracefulDelete decides the grace period. The PodSpec helpers workload
kinds reuse are re-exported from here.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, required
from fakeapi.registry.resource import STATUS, ResourceInfo, Subresource
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age, parse_time
from fakeapi.registry.validation import IMMUTABLE, inclusive_range_error
from fakeapi.resources.core_v1.common import dicts, mapping, quantity_value, semantic, text
from fakeapi.resources.core_v1.podspec import (
    MAX_INT32, default_pod_spec, default_pod_template, validate_pod_spec, validate_pod_template,
    validate_tolerations,
)

__all__ = ["RESOURCE", "TABLE", "PodStrategy", "default_pod_spec", "default_pod_template",
           "validate_pod_spec", "validate_pod_template", "pod_qos_class", "pod_status_reason"]

Obj = dict[str, Any]

MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
DEFAULT_TOLERATIONS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
SYSTEM_PRIORITIES = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}
QOS_RESOURCES = ("cpu", "memory")
UPDATABLE_FIELDS = ",".join((
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
))
COMPLETED_CONDITIONS = {
    "Succeeded": {"type": "Completed", "status": "True", "reason": "Succeeded",
                  "message": "The pod has completed successfully."},
    "Failed": {"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."},
}


# ---- defaulting and admission --------------------------------------------------------------------

def default_pod(pod: Obj) -> None:
    """SetDefaults_Pod over the PodSpec defaults: limits become missing requests, service links, host ports."""
    spec = pod.setdefault("spec", {}) if isinstance(pod.get("spec", {}), dict) else None
    if spec is None:
        return
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in dicts(spec.get(key)):
            resources = mapping(container.get("resources"))
            limits = mapping(resources.get("limits"))
            if limits:
                requests = resources.setdefault("requests", {})
                for name, value in limits.items():
                    requests.setdefault(name, value)
            if spec.get("hostNetwork"):
                for port in dicts(container.get("ports")):
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True


def _token_volume(name: str) -> Obj:
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}}


def admit_service_account(pod: Obj) -> None:
    """ServiceAccount admission (create only): default account and the projected API token volume."""
    spec = pod["spec"]
    if MIRROR_ANNOTATION in mapping(pod["metadata"].get("annotations")):
        return
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = "default"
    spec["serviceAccount"] = spec["serviceAccountName"]
    if spec.get("automountServiceAccountToken") is False:
        return
    containers = [c for key in ("initContainers", "containers") for c in dicts(spec.get(key))
                  if not any(m.get("mountPath") == TOKEN_MOUNT_PATH for m in dicts(c.get("volumeMounts")))]
    if not containers:
        return
    if not isinstance(spec.get("volumes"), list):
        spec["volumes"] = []
    taken = {text(v.get("name")) for v in dicts(spec["volumes"])}
    name = ""
    while not name or name in taken:
        name = "kube-api-access-" + "".join(random.choices(NAME_ALPHABET, k=5))
    for container in containers:
        if not isinstance(container.get("volumeMounts"), list):
            container["volumeMounts"] = []
        container["volumeMounts"].append({"name": name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH})
    spec["volumes"].append(_token_volume(name))


def admit_default_tolerations(pod: Obj) -> None:
    """DefaultTolerationSeconds (create and update): tolerate not-ready/unreachable NoExecute for 300s."""
    spec = pod["spec"]
    tolerations = dicts(spec.get("tolerations"))
    missing = [key for key in DEFAULT_TOLERATIONS if not any(
        text(t.get("key")) in (key, "") and text(t.get("effect")) in ("NoExecute", "") for t in tolerations)]
    if not missing:
        return
    if not isinstance(spec.get("tolerations"), list):
        spec["tolerations"] = []
    spec["tolerations"].extend({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
                               for key in missing)


def admit_priority(pod: Obj) -> None:
    """Priority admission (create only): resolve the value; PreemptLowerPriority unless the class says otherwise."""
    spec = pod["spec"]
    spec["priority"] = SYSTEM_PRIORITIES.get(text(spec.get("priorityClassName")), 0)
    if not spec.get("preemptionPolicy"):
        spec["preemptionPolicy"] = "PreemptLowerPriority"


# ---- QoS -----------------------------------------------------------------------------------------

def pod_qos_class(pod: Obj) -> str:
    """qos.ComputePodQOS: Guaranteed, Burstable or BestEffort from cpu/memory requests and limits."""
    spec = mapping(pod.get("spec"))
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    guaranteed = True
    pod_resources = mapping(spec.get("resources"))
    if pod_resources.get("requests") or pod_resources.get("limits"):
        sources = [pod_resources]
    else:
        sources = [mapping(c.get("resources")) for key in ("containers", "initContainers") for c in dicts(spec.get(key))]
    for resources in sources:
        for bag, target in ((mapping(resources.get("requests")), requests), (mapping(resources.get("limits")), limits)):
            for name in QOS_RESOURCES:
                value = quantity_value(bag.get(name))
                if value is not None and value > 0:
                    target[name] = target.get(name, 0) + value
        found = {n for n in QOS_RESOURCES if (quantity_value(mapping(resources.get("limits")).get(n)) or 0) > 0}
        if found != set(QOS_RESOURCES):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(n) == v for n, v in requests.items()) and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


# ---- validation ----------------------------------------------------------------------------------

def _validate_pod_meta_and_spec(pod: Obj) -> list[FieldError]:
    meta, spec = mapping(pod.get("metadata")), pod.get("spec")
    errs: list[FieldError] = []
    mirror = mapping(meta.get("annotations")).get(MIRROR_ANNOTATION)
    if mirror is not None and not mapping(spec).get("nodeName"):
        errs.append(invalid_value(f"metadata.annotations[{MIRROR_ANNOTATION}]", mirror,
                                  "must set spec.nodeName if mirror pod annotation is set"))
    errs += validate_pod_spec(spec, "spec", is_pod=True)
    spec = mapping(spec)
    if not spec.get("serviceAccountName"):
        for vi, volume in enumerate(dicts(spec.get("volumes"))):
            for si, source in enumerate(dicts(mapping(volume.get("projected")).get("sources"))):
                if source.get("serviceAccountToken") is not None:
                    errs.append(forbidden(f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                                          "must not be specified when serviceAccountName is not set"))
    for key in ("containers", "initContainers"):
        for i, container in enumerate(dicts(spec.get(key))):
            image = container.get("image")
            if isinstance(image, str) and image != image.strip():
                errs.append(invalid_value(f"spec.{key}[{i}].image", image, "must not have leading or trailing whitespace"))
    return errs


def validate_pod_create(pod: Obj) -> list[FieldError]:
    errs = _validate_pod_meta_and_spec(pod)
    spec = mapping(pod.get("spec"))
    if dicts(spec.get("ephemeralContainers")):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and dicts(spec.get("schedulingGates")):
        errs.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
    return errs


def _container_updates(new: list[Obj], old: list[Obj], path: str) -> tuple[list[FieldError], bool]:
    if len(new) != len(old):
        return [forbidden(path, "pod updates may not add or remove containers")], True
    errs: list[FieldError] = []
    for i, container in enumerate(new):
        image = container.get("image")
        if not image:
            errs.append(required(f"{path}[{i}].image"))
        elif isinstance(image, str) and image != image.strip():
            errs.append(invalid_value(f"{path}[{i}].image", image, "must not have leading or trailing whitespace"))
    return errs, False


def _only_added_tolerations(new: list[Obj], old: list[Obj]) -> list[FieldError]:
    for tol in old:
        base = {k: v for k, v in tol.items() if k != "tolerationSeconds"}
        if not any(semantic({k: v for k, v in t.items() if k != "tolerationSeconds"}) == semantic(base) for t in new):
            return [forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")]
    return validate_tolerations(new, "spec.tolerations")


def _annotation_updates(new: Obj, old: Obj) -> list[FieldError]:
    new_ann, old_ann = mapping(new.get("annotations")), mapping(old.get("annotations"))
    path = f"metadata.annotations[{MIRROR_ANNOTATION}]"
    if MIRROR_ANNOTATION in old_ann and new_ann.get(MIRROR_ANNOTATION) != old_ann[MIRROR_ANNOTATION]:
        return [forbidden(path, "may not remove or update mirror pod annotation")]
    if MIRROR_ANNOTATION in new_ann and MIRROR_ANNOTATION not in old_ann:
        return [forbidden(path, "may not add mirror pod annotation")]
    return []


def validate_pod_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidatePodUpdate: everything but a few fields of spec is immutable."""
    errs = _validate_pod_meta_and_spec(new)
    errs += _annotation_updates(mapping(new.get("metadata")), mapping(old.get("metadata")))
    spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
    for key in ("containers", "initContainers"):
        cerrs, stop = _container_updates(dicts(spec.get(key)), dicts(old_spec.get(key)), f"spec.{key}")
        errs += cerrs
        if stop:
            return errs
    deadline, old_deadline = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if deadline is not None:
        if not isinstance(deadline, int) or not 0 <= deadline <= MAX_INT32:
            return errs + [invalid_value("spec.activeDeadlineSeconds", deadline, inclusive_range_error(0, MAX_INT32))]
        if old_deadline is not None and old_deadline < deadline:
            return errs + [invalid_value("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value")]
    elif old_deadline is not None:
        errs.append(invalid_value("spec.activeDeadlineSeconds", None, "must not update from a positive integer to nil value"))
    errs += _only_added_tolerations(dicts(spec.get("tolerations")), dicts(old_spec.get("tolerations")))
    old_gates = {text(g.get("name")) for g in dicts(old_spec.get("schedulingGates"))}
    for i, gate in enumerate(dicts(spec.get("schedulingGates"))):
        if text(gate.get("name")) not in old_gates:
            errs.append(forbidden(f"spec.schedulingGates[{i}].name",
                                  f"only deletion is allowed, but found new scheduling gate '{text(gate.get('name'))}'"))
    if semantic(_munged(spec, old_spec)) != semantic(old_spec):
        errs.append(forbidden("spec", f"pod updates may not change fields other than {UPDATABLE_FIELDS}"))
    return errs


def _munged(spec: Obj, old: Obj) -> Obj:
    """The new spec with every updatable field put back to its old value."""
    munged = dict(spec)
    for key in ("containers", "initContainers"):
        olds = dicts(old.get(key))
        if key in munged:
            munged[key] = [{**c, "image": olds[i].get("image")} if i < len(olds) else c
                           for i, c in enumerate(dicts(munged[key]))]
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in old:
            munged[key] = old[key]
    old_grace = old.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    return munged


# ---- table ---------------------------------------------------------------------------------------

def _later(current: datetime | None, candidate: object) -> datetime | None:
    t = parse_time(candidate if isinstance(candidate, str) else None)
    return t if t is not None and (current is None or t > current) else current


def _terminated_reason(terminated: Obj, prefix: str = "") -> str:
    if terminated.get("reason"):
        return prefix + text(terminated["reason"])
    if terminated.get("signal"):
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{terminated.get('exitCode', 0)}"


def _condition_true(status: Obj, ctype: str) -> bool:
    return any(c.get("type") == ctype and c.get("status") == "True" for c in dicts(status.get("conditions")))


def pod_status_reason(pod: Obj) -> tuple[str, int, int, int, datetime | None]:
    """printPod's STATUS column: (reason, ready, total, restarts, last restart time)."""
    spec, status, meta = mapping(pod.get("spec")), mapping(pod.get("status")), mapping(pod.get("metadata"))
    phase = text(status.get("phase"))
    reason = text(status.get("reason")) or phase
    if any(c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated" for c in dicts(status.get("conditions"))):
        reason = "SchedulingGated"
    init_specs = {text(c.get("name")): c for c in dicts(spec.get("initContainers"))}
    sidecars = {name for name, c in init_specs.items() if c.get("restartPolicy") == "Always"}
    total = len(dicts(spec.get("containers"))) + len(sidecars)
    ready = restarts = sidecar_restarts = 0
    last: datetime | None = None
    sidecar_last: datetime | None = None
    initializing = False
    for i, cs in enumerate(dicts(status.get("initContainerStatuses"))):
        count = cs.get("restartCount") or 0
        finished = mapping(mapping(cs.get("lastState")).get("terminated")).get("finishedAt")
        restarts += count
        last = _later(last, finished)
        is_sidecar = text(cs.get("name")) in sidecars
        if is_sidecar:
            sidecar_restarts += count
            sidecar_last = _later(sidecar_last, finished)
        state = mapping(cs.get("state"))
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if isinstance(terminated, dict) and terminated.get("exitCode", 0) == 0:
            continue
        if is_sidecar and cs.get("started"):
            ready += 1 if cs.get("ready") else 0
            continue
        initializing = True
        if isinstance(terminated, dict):
            reason = _terminated_reason(terminated, "Init:")
        elif isinstance(waiting, dict) and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + text(waiting["reason"])
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        break
    if not initializing or _condition_true(status, "Initialized"):
        restarts, last = sidecar_restarts, sidecar_last
        running = False
        for cs in reversed(dicts(status.get("containerStatuses"))):
            restarts += cs.get("restartCount") or 0
            last = _later(last, mapping(mapping(cs.get("lastState")).get("terminated")).get("finishedAt"))
            state = mapping(cs.get("state"))
            waiting, terminated = mapping(state.get("waiting")), state.get("terminated")
            if waiting.get("reason"):
                reason = text(waiting["reason"])
            elif isinstance(terminated, dict):
                reason = _terminated_reason(terminated)
            elif cs.get("ready") and isinstance(state.get("running"), dict):
                running = True
                ready += 1
        if reason == "Completed" and running:
            reason = "Running" if _condition_true(status, "Ready") else "NotReady"
    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason, ready, total, restarts, last


def _readiness_gates(spec: Obj, status: Obj) -> str:
    gates = dicts(spec.get("readinessGates"))
    if not gates:
        return "<none>"
    first: dict[Any, Any] = {}
    for condition in dicts(status.get("conditions")):
        first.setdefault(condition.get("type"), condition.get("status"))
    true = sum(1 for gate in gates if first.get(gate.get("conditionType")) == "True")
    return f"{true}/{len(gates)}"


def _pod_cells(pod: Obj, now: datetime) -> list[Any]:
    spec, status, meta = mapping(pod.get("spec")), mapping(pod.get("status")), mapping(pod.get("metadata"))
    reason, ready, total, restarts, last = pod_status_reason(pod)
    restarts_cell = str(restarts)
    if restarts and last is not None:
        restarts_cell = f"{restarts} ({age(last.strftime('%Y-%m-%dT%H:%M:%SZ'), now)} ago)"
    ips = dicts(status.get("podIPs"))
    ip = text(ips[0].get("ip")) if ips else text(status.get("podIP"))
    return [meta.get("name", ""), f"{ready}/{total}", reason, restarts_cell, age(meta.get("creationTimestamp"), now),
            ip or "<none>", text(spec.get("nodeName")) or "<none>",
            text(status.get("nominatedNodeName")) or "<none>", _readiness_gates(spec, status)]


def _pod_conditions(pod: Obj) -> list[dict[str, Any]]:
    phase = mapping(pod.get("status")).get("phase")
    return [dict(COMPLETED_CONDITIONS[phase])] if phase in COMPLETED_CONDITIONS else []


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
        Column("Status", description="The aggregate status of the containers in this pod."),
        Column("Restarts", description="The number of times the containers in this pod have been restarted "
                                       "and when the last container in this pod has restarted."),
        AGE_COLUMN,
        Column("IP", priority=1, description="podIP address allocated to the pod. Routable at least within the "
                                             "cluster. Empty if not yet allocated."),
        Column("Node", priority=1, description=(
            "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for "
            "scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this "
            "node becomes responsible for the lifecycle of this pod. This field should not be used to express a "
            "desire for the pod to be scheduled on a specific node. "
            "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename")),
        Column("Nominated Node", priority=1, description=(
            "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be "
            "scheduled right away as preemption victims receive their graceful termination periods. This field "
            "does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the "
            "pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the "
            "resources on this node to a higher priority pod that is created after preemption. As a result, "
            "this field may be different than PodSpec.nodeName when the pod is scheduled.")),
        Column("Readiness Gates", priority=1, description=(
            "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its "
            "containers are ready AND all conditions specified in the readiness gates have status equal to "
            '"True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates')),
    ],
    cells=_pod_cells,
    conditions=_pod_conditions,
)


# ---- strategy ------------------------------------------------------------------------------------

class PodStrategy(GenericStrategy):
    def defaults(self, obj: Obj) -> None:
        default_pod(obj)

    def initial_status(self, obj: Obj) -> Any:
        status: Obj = {"phase": "Pending", "qosClass": pod_qos_class(obj)}
        if dicts(mapping(obj.get("spec")).get("schedulingGates")):
            status["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated",
                                     "message": "Scheduling is blocked due to non-empty scheduling gates",
                                     "lastProbeTime": None, "lastTransitionTime": None}]
        return status

    def prepare_for_create(self, obj: Obj) -> None:
        if isinstance(obj.get("spec"), dict):
            admit_service_account(obj)
            admit_default_tolerations(obj)
            admit_priority(obj)
        super().prepare_for_create(obj)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        if isinstance(new.get("spec"), dict):
            admit_default_tolerations(new)
        super().prepare_for_update(new, old)

    def prepare_for_status_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_status_update(new, old)
        status = new.get("status")
        if isinstance(status, dict) and not status.get("qosClass"):
            old_qos = mapping(old.get("status")).get("qosClass")
            if old_qos:
                status["qosClass"] = old_qos

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return semantic(new.get("spec")) != semantic(old.get("spec"))

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_pod_create(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        errs = validate_pod_update(new, old)
        qos, old_qos = mapping(new.get("status")).get("qosClass"), mapping(old.get("status")).get("qosClass")
        if qos != old_qos:
            errs.append(invalid_value("status.qosClass", qos or "", IMMUTABLE))
        return errs

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
        ips = dicts(status.get("podIPs"))
        fields = super().selectable_fields(obj)
        fields.update({
            "spec.nodeName": text(spec.get("nodeName")),
            "spec.restartPolicy": text(spec.get("restartPolicy")),
            "spec.schedulerName": text(spec.get("schedulerName")),
            "spec.serviceAccountName": text(spec.get("serviceAccountName")),
            "spec.hostNetwork": "true" if spec.get("hostNetwork") else "false",
            "status.phase": text(status.get("phase")),
            "status.podIP": text(ips[0].get("ip")) if ips else text(status.get("podIP")),
            "status.nominatedNodeName": text(status.get("nominatedNodeName")),
        })
        return fields

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        spec, status = mapping(obj.get("spec")), mapping(obj.get("status"))
        period = requested if requested is not None else spec.get("terminationGracePeriodSeconds") or 0
        if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
            period = 0
        return 1 if period < 0 else period


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Pod", plural="pods", singular="pod", namespaced=True,
    short_names=("po",), categories=("all",),
    subresources={
        "attach": Subresource("PodAttachOptions", ("create", "get")),
        "binding": Subresource("Binding", ("create",)),
        "ephemeralcontainers": Subresource("Pod", ("get", "patch", "update")),
        "eviction": Subresource("Eviction", ("create",), group="policy", version="v1"),
        "exec": Subresource("PodExecOptions", ("create", "get")),
        "log": Subresource("Pod", ("get",)),
        "portforward": Subresource("PodPortForwardOptions", ("create", "get")),
        "proxy": Subresource("PodProxyOptions", ("create", "delete", "get", "patch", "update")),
        "resize": Subresource("Pod", ("get", "patch", "update")),
        "status": STATUS,
    },
    return_deleted_object=True,
    selectable_fields=("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                       "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
)
RESOURCE.strategy = PodStrategy(RESOURCE)
RESOURCE.table = TABLE
