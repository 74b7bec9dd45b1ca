"""Status viewers (kubectl polymorphichelpers/rollout_status.go): `viewer(obj) -> (message, done)`; a
failed rollout raises `CommandError`. Messages end with a newline, as kubectl prints them verbatim."""

from __future__ import annotations

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _parts(obj: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}


def deployment(obj: dict[str, Any], revision: int = 0) -> tuple[str, bool]:
    meta, spec, status = _parts(obj)
    name = meta.get("name", "")
    if revision > 0:
        current = int((meta.get("annotations") or {}).get("deployment.kubernetes.io/revision", "0") or 0)
        if current != revision:
            raise CommandError(f"desired revision ({revision}) is different from the running revision ({current})")
    if meta.get("generation", 0) <= status.get("observedGeneration", 0):
        for cond in status.get("conditions") or []:
            if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
                raise CommandError(f'deployment "{name}" exceeded its progress deadline')
        desired = spec.get("replicas", 1)
        updated = status.get("updatedReplicas", 0)
        replicas = status.get("replicas", 0)
        available = status.get("availableReplicas", 0)
        if updated < desired:
            return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {desired} new replicas '
                    "have been updated...\n", False)
        if replicas > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {replicas - updated} old replicas are '
                    "pending termination...\n", False)
        if available < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas '
                    "are available...\n", False)
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False


def daemon_set(obj: dict[str, Any], revision: int = 0) -> tuple[str, bool]:
    meta, spec, status = _parts(obj)
    name = meta.get("name", "")
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        raise CommandError("rollout status is only available for RollingUpdate strategy type")
    if meta.get("generation", 0) <= status.get("observedGeneration", 0):
        desired = status.get("desiredNumberScheduled", 0)
        updated = status.get("updatedNumberScheduled", 0)
        available = status.get("numberAvailable", 0)
        if updated < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} new pods have '
                    "been updated...\n", False)
        if available < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} updated pods are '
                    "available...\n", False)
        return f'daemon set "{name}" successfully rolled out\n', True
    return "Waiting for daemon set spec update to be observed...\n", False


def stateful_set(obj: dict[str, Any], revision: int = 0) -> tuple[str, bool]:
    meta, spec, status = _parts(obj)
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise CommandError("rollout status is only available for RollingUpdate strategy type")
    if not status.get("observedGeneration") or meta.get("generation", 0) > status.get("observedGeneration", 0):
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = spec.get("replicas", 1)
    if status.get("readyReplicas", 0) < replicas:
        return f"Waiting for {replicas - status.get('readyReplicas', 0)} pods to be ready...\n", False
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if partition is not None and status.get("updatedReplicas", 0) < replicas - partition:
            return (f"Waiting for partitioned roll out to finish: {status.get('updatedReplicas', 0)} out of "
                    f"{replicas - partition} new pods have been updated...\n", False)
        updated = status.get("updatedReplicas", 0)
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {status.get('updatedReplicas', 0)} pods at "
                f"revision {status.get('updateRevision', '')}...\n", False)
    return (f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at revision "
            f"{status.get('currentRevision', '')}...\n", True)
