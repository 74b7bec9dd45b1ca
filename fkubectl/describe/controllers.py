"""Describers for StatefulSets, DaemonSets and Jobs in kubectl's layout (`describeStatefulSet`,
`describeDaemonSet`, `describeJob` in kubectl/pkg/describe/describe.go).

Their selectors print as a parsed `labels.Selector` (requirements sorted by key, `<none>` never shown),
their pod counts come from the pods matching the selector that the object controls, and the pod template
is written by the shared `describe_pod_template`.
"""

from __future__ import annotations

from fkubectl.describe.common import (controller_of, describe_events, go_bool, meta, print_annotations,
                                      print_labels, rfc1123z, search_events)
from fkubectl.describe.quantity import format_quantity, parse
from fkubectl.describe.workloads import _controlled_by, _list, describe_pod_template
from fkubectl.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter
from fkubectl.printers.gofmt import format_labels

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory


def selector_string(selector: dict[str, Any] | None) -> str:
    """`metav1.LabelSelectorAsSelector(s).String()`: matchLabels as `k=v`, expressions as `k in (a,b)`,
    `k notin (a,b)`, `k`, `!k`, all sorted by key; an absent or empty selector prints as nothing."""
    if not selector:
        return ""
    parts: list[tuple[str, str]] = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        key, op = str(expr.get("key", "")), expr.get("operator", "")
        values = ",".join(sorted(set(expr.get("values") or [])))
        if op == "In":
            parts.append((key, f"{key} in ({values})"))
        elif op == "NotIn":
            parts.append((key, f"{key} notin ({values})"))
        elif op == "Exists":
            parts.append((key, key))
        elif op == "DoesNotExist":
            parts.append((key, f"!{key}"))
    parts.sort(key=lambda p: p[0])
    return ",".join(p[1] for p in parts)


def pod_phase_counts(f: Factory, owner: dict[str, Any], selector: str) -> tuple[int, int, int, int]:
    """kubectl's `getPodStatusForController`: (running, waiting, succeeded, failed) over the pods that match
    `selector` and whose controller is `owner`."""
    pods = _controlled_by(_list(f, "", "pods", "Pod", meta(owner).get("namespace", ""), selector), owner)
    phases = [(p.get("status") or {}).get("phase", "") for p in pods]
    return phases.count("Running"), phases.count("Pending"), phases.count("Succeeded"), phases.count("Failed")


def _pods_status(counts: tuple[int, int, int, int]) -> str:
    running, waiting, succeeded, failed = counts
    return f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"


def storage_quantity(quantity: Any) -> str:
    value, family = parse(quantity)
    return format_quantity(value, family)


def claim_class(pvc: dict[str, Any]) -> str:
    """`storageutil.GetPersistentVolumeClaimClass`: the beta annotation wins over `spec.storageClassName`."""
    annotations = meta(pvc).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str((pvc.get("spec") or {}).get("storageClassName") or "")


def _volume_claim_templates(w: PrefixWriter, templates: list[dict[str, Any]] | None) -> None:
    if not templates:
        w.write(LEVEL_0, "Volume Claims:\t<none>\n")
        return
    w.write(LEVEL_0, "Volume Claims:\n")
    for pvc in templates:
        m, spec = meta(pvc), pvc.get("spec") or {}
        w.write(LEVEL_1, f"Name:\t{m.get('name', '')}\n")
        w.write(LEVEL_1, f"StorageClass:\t{claim_class(pvc)}\n")
        # kubectl prints both maps as labels (`k=v`), annotations included
        print_labels(w, "Labels", m.get("labels"), initial_indent="  ")
        print_labels(w, "Annotations", m.get("annotations"), initial_indent="  ")
        requests = (spec.get("resources") or {}).get("requests") or {}
        capacity = storage_quantity(requests["storage"]) if "storage" in requests else "<default>"
        w.write(LEVEL_1, f"Capacity:\t{capacity}\n")
        w.write(LEVEL_1, f"Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]\n")


def stateful_set(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    selector = selector_string(spec.get("selector"))
    counts = pod_phase_counts(f, obj, selector)
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'))}\n")
    w.write(LEVEL_0, f"Selector:\t{selector}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    if spec.get("serviceName"):
        w.write(LEVEL_0, f"Service Name:\t{spec['serviceName']}\n")
    if spec.get("podManagementPolicy"):
        w.write(LEVEL_0, f"Pod Management Policy:\t{spec['podManagementPolicy']}\n")
    replicas = spec.get("replicas", 1)
    w.write(LEVEL_0, f"Replicas:\t{replicas} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(LEVEL_0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None and rolling.get("partition") is not None:
        w.write(LEVEL_1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(LEVEL_1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        w.write(LEVEL_0, "Persistent Volume Claim Retention Policy:\n")
        w.write(LEVEL_1, f"WhenDeleted:\t{retention.get('whenDeleted', '')}\n")
        w.write(LEVEL_1, f"WhenScaled:\t{retention.get('whenScaled', '')}\n")
    w.write(LEVEL_0, f"Pods Status:\t{_pods_status(counts)}\n")
    describe_pod_template(w, spec.get("template"))
    _volume_claim_templates(w, spec.get("volumeClaimTemplates"))
    describe_events(w, events)
    return w.text()


def daemon_set(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    selector = selector_string(spec.get("selector"))
    counts = pod_phase_counts(f, obj, selector)
    events = search_events(f, obj) if show_events else None
    template_spec = (spec.get("template") or {}).get("spec") or {}
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{selector}\n")
    w.write(LEVEL_0, f"Node-Selector:\t{format_labels(template_spec.get('nodeSelector'))}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(LEVEL_0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    w.write(LEVEL_0, f"Pods Status:\t{_pods_status(counts)}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events)
    return w.text()


def cap_indexes(indexes: str | None, soft_limit: int = 50) -> str:
    """kubectl's `capIndexesListOrNone`: the list cut at the first comma past `soft_limit`, then `...`."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    if cut < 0 or len(indexes) <= soft_limit:
        return indexes
    return indexes[:cut + 1] + "..."


def job(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    from fkubectl.printers.duration import human_duration, parse_rfc3339

    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    controller = controller_of(obj)
    if controller:
        w.write(LEVEL_0, f"Controlled By:\t{controller}\n")
    if spec.get("parallelism") is not None:
        w.write(LEVEL_0, f"Parallelism:\t{spec['parallelism']}\n")
    if spec.get("completions") is not None:
        w.write(LEVEL_0, f"Completions:\t{spec['completions']}\n")
    else:
        w.write(LEVEL_0, "Completions:\t<unset>\n")
    if spec.get("completionMode") is not None:
        w.write(LEVEL_0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(LEVEL_0, f"Suspend:\t{go_bool(spec['suspend'])}\n")
    if spec.get("backoffLimit") is not None:
        w.write(LEVEL_0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(LEVEL_0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    start, completion = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(LEVEL_0, f"Start Time:\t{rfc1123z(start)}\n")
    if completion:
        w.write(LEVEL_0, f"Completed At:\t{rfc1123z(completion)}\n")
    if start and completion:
        elapsed = (parse_rfc3339(completion) or 0.0) - (parse_rfc3339(start) or 0.0)
        w.write(LEVEL_0, f"Duration:\t{human_duration(elapsed)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, succeeded, failed = status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0)
    if status.get("ready") is None:
        w.write(LEVEL_0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")
    else:
        w.write(LEVEL_0, f"Pods Statuses:\t{active} Active ({status['ready']} Ready) / {succeeded} Succeeded / "
                         f"{failed} Failed\n")
    if spec.get("completionMode") == "Indexed":
        w.write(LEVEL_0, f"Completed Indexes:\t{cap_indexes(status.get('completedIndexes'))}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events)
    return w.text()
