"""Describers: one per kind, looked up by `describer_for(group, kind)`, with a generic fallback.

A describer is `describe(factory, obj, *, show_events) -> str`; it receives the object already fetched
(so `describe` can fetch once and reuse for name-prefix matches) and may make its own requests (events,
owned ReplicaSets, EndpointSlices).
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    Describer = Callable[..., str]

# (group, kind) -> "module:function", imported on first use.
DESCRIBERS: dict[tuple[str, str], str] = {
    ("", "Pod"): "fkubectl.describe.pod:describe",
    ("", "Node"): "fkubectl.describe.node:describe",
    ("", "Namespace"): "fkubectl.describe.simple:namespace",
    ("", "ConfigMap"): "fkubectl.describe.simple:config_map",
    ("", "Secret"): "fkubectl.describe.simple:secret",
    ("", "ServiceAccount"): "fkubectl.describe.simple:service_account",
    ("", "Service"): "fkubectl.describe.workloads:service",
    ("", "PersistentVolume"): "fkubectl.describe.storage:persistent_volume",
    ("", "PersistentVolumeClaim"): "fkubectl.describe.storage:persistent_volume_claim",
    ("apps", "Deployment"): "fkubectl.describe.workloads:deployment",
    ("apps", "ReplicaSet"): "fkubectl.describe.workloads:replica_set",
    ("apps", "StatefulSet"): "fkubectl.describe.controllers:stateful_set",
    ("apps", "DaemonSet"): "fkubectl.describe.controllers:daemon_set",
    ("batch", "Job"): "fkubectl.describe.controllers:job",
}
GENERIC = "fkubectl.describe.generic:describe"


def describer_for(group: str, kind: str) -> Describer:
    module, _, name = DESCRIBERS.get((group, kind), GENERIC).partition(":")
    return getattr(import_module(module), name)  # type: ignore[no-any-return]

