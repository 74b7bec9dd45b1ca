"""Where and how DaemonSet pods run (pkg/controller/daemon/util and NodeShouldRunDaemonPod), I/O-free.

- Every daemon pod tolerates node.kubernetes.io/not-ready and unreachable (NoExecute) and disk-pressure,
  memory-pressure, pid-pressure and unschedulable (NoSchedule), plus network-unavailable when it uses the
  host network, so node problems neither evict it nor keep it off a node.
- A pod is pinned to its node by the required node affinity `matchFields metadata.name In [<node>]`
  (which the scheduler honours), not by spec.nodeName; `target_node` reads either.
- A node should run the pod when nodeName, nodeSelector / required affinity and the NoSchedule and
  NoExecute taints allow it; a pod that only fails on NoSchedule taints may keep running there.
- A pod is up to date when its controller-revision-hash or pod-template-generation label is current.
"""

from __future__ import annotations

import copy
from typing import Any

from fakeapi.cluster import scheduling

Obj = dict[str, Any]
HASH_LABEL = "controller-revision-hash"
GENERATION_LABEL = "pod-template-generation"
DAEMON_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
NETWORK_UNAVAILABLE = ("node.kubernetes.io/network-unavailable", "NoSchedule")


def add_daemon_tolerations(pod_spec: Obj) -> None:
    """AddOrUpdateDaemonPodTolerations."""
    wanted = list(DAEMON_TOLERATIONS) + ([NETWORK_UNAVAILABLE] if pod_spec.get("hostNetwork") else [])
    tolerations = [t for t in pod_spec.get("tolerations") or [] if isinstance(t, dict)]
    for key, effect in wanted:
        toleration = {"key": key, "operator": "Exists", "effect": effect}
        if not any(t.get("key") == key and t.get("effect") == effect and t.get("operator") == "Exists"
                   and not t.get("value") for t in tolerations):
            tolerations.append(toleration)
    pod_spec["tolerations"] = tolerations


def bind_to_node(pod_spec: Obj, node: str) -> None:
    """ReplaceDaemonSetPodNodeNameNodeAffinity: the only required term is metadata.name In [node]."""
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
    affinity = pod_spec.setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    required["nodeSelectorTerms"] = [term]


def target_node(pod: Obj) -> str:
    """GetTargetNodeName: spec.nodeName, else the node the affinity pins the pod to."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return str(spec["nodeName"])
    terms = ((((spec.get("affinity") or {}).get("nodeAffinity") or {})
              .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or [])
    for term in terms:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("operator") == "In" and \
                    len(field.get("values") or []) == 1:
                return str(field["values"][0])
    return ""


def should_run(ds: Obj, node: Obj) -> tuple[bool, bool]:
    """NodeShouldRunDaemonPod: (should run a pod there, may keep running one there)."""
    template_spec = ((ds.get("spec") or {}).get("template") or {}).get("spec") or {}
    node_name = node["metadata"]["name"]
    if template_spec.get("nodeName") and template_spec["nodeName"] != node_name:
        return False, False
    pod = {"spec": copy.deepcopy(template_spec)}
    add_daemon_tolerations(pod["spec"])
    if not scheduling.matches_node_selector(pod, node):
        return False, False
    if scheduling.untolerated_taint(node, pod) is not None:
        return False, scheduling.untolerated_taint(node, pod, ("NoExecute",)) is None
    return True, True


def creation_key(pod: Obj) -> tuple[int, str, str]:
    """podByCreationTimestampAndPhase: scheduled pods first, then oldest, then by name."""
    scheduled = bool((pod.get("spec") or {}).get("nodeName"))
    return 0 if scheduled else 1, str(pod["metadata"].get("creationTimestamp") or ""), pod["metadata"]["name"]


def is_updated(pod: Obj, pod_hash: str, template_generation: int) -> bool:
    """IsPodUpdated."""
    labels = pod["metadata"].get("labels") or {}
    return (bool(pod_hash) and labels.get(HASH_LABEL) == pod_hash) or \
        labels.get(GENERATION_LABEL) == str(template_generation)
