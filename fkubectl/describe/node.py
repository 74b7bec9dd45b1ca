"""`describe node` (kubectl `describeNode` and `describeNodeResource`): roles, taints, the node's Lease,
conditions, addresses, capacity, system info, the non-terminated pods with their requests and limits as
a share of allocatable, totals, and events (searched by the node's uid and by its name, as kubelets
record them)."""

from __future__ import annotations

from fractions import Fraction

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.client.mapping import Mapping
from fkubectl.describe.common import describe_events, meta, print_annotations, print_labels, rfc1123z, search_events
from fkubectl.describe.quantity import format_quantity, parse
from fkubectl.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter
from fkubectl.printers.duration import age

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory

STANDARD = {"cpu", "memory", "ephemeral-storage", "storage", "pods"}


def _roles(labels: dict[str, str]) -> list[str]:
    roles = set()
    for key, value in labels.items():
        if key.startswith("node-role.kubernetes.io/") and key[len("node-role.kubernetes.io/"):]:
            roles.add(key[len("node-role.kubernetes.io/"):])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def _taints(w: PrefixWriter, taints: list[dict[str, Any]] | None) -> None:
    w.write(LEVEL_0, "Taints:\t")
    if not taints:
        w.line("<none>")
        return
    for i, t in enumerate(taints):
        if i:
            w.write(LEVEL_0, "\t")
        value = f"={t['value']}" if t.get("value") else ""
        w.write(LEVEL_0, f"{t.get('key', '')}{value}:{t.get('effect', '')}\n")


def _pod_totals(pod: dict[str, Any]) -> tuple[dict[str, Fraction], dict[str, Fraction], dict[str, str]]:
    """kubectl's `PodRequestsAndLimits`: sum of containers, max'd with each init container, plus overhead."""
    spec = pod.get("spec") or {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    families: dict[str, str] = {}

    def add(target: dict[str, Fraction], values: dict[str, Any] | None) -> None:
        for name, raw in (values or {}).items():
            value, family = parse(raw)
            families.setdefault(name, family)
            target[name] = target.get(name, Fraction(0)) + value

    for c in spec.get("containers") or []:
        add(requests, (c.get("resources") or {}).get("requests"))
        add(limits, (c.get("resources") or {}).get("limits"))
    for c in spec.get("initContainers") or []:
        for target, key in ((requests, "requests"), (limits, "limits")):
            for name, raw in ((c.get("resources") or {}).get(key) or {}).items():
                value, family = parse(raw)
                families.setdefault(name, family)
                target[name] = max(target.get(name, Fraction(0)), value)
    add(requests, spec.get("overhead"))
    add(limits, spec.get("overhead"))
    return requests, limits, families


def _pct(value: Fraction, total: Fraction) -> int:
    return int(value / total * 100) if total else 0


def describe(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    name = m.get("name", "")
    client = f.client()
    try:
        lease = client.json(rq.get_request(Mapping("coordination.k8s.io", "v1", "leases", "Lease", True),
                                           "kube-node-lease", name))
    except ApiError:
        lease = None
    pods: list[dict[str, Any]] | None
    try:
        selector = f"spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
        pods = client.json(rq.list_request(Mapping("", "v1", "pods", "Pod", True), "",
                                           field_selector=selector)).get("items") or []
    except ApiError:
        pods = None
    events = None
    if show_events:
        events = search_events(f, obj) or []
        by_name = search_events(f, {**obj, "metadata": {**m, "uid": name}}) or []
        events = events + by_name
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{name}\n")
    roles = _roles(m.get("labels") or {})
    w.write(LEVEL_0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'))}\n")
    _taints(w, spec.get("taints"))
    w.write(LEVEL_0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    lease_spec = (lease or {}).get("spec") or {}
    w.write(LEVEL_0, "Lease:\n")
    w.write(LEVEL_1, f"HolderIdentity:\t{lease_spec.get('holderIdentity') or '<unset>'}\n")
    for label, key in (("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")):
        w.write(LEVEL_1, f"{label}:\t{rfc1123z(lease_spec[key]) if lease_spec.get(key) else '<unset>'}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastHeartbeatTime'))} "
                             f"\t{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} "
                             f"\t{c.get('message', '')}\n")
    w.write(LEVEL_0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(LEVEL_1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(LEVEL_0, f"{title}:\n")
            for resource in sorted(values):
                w.write(LEVEL_0, f"  {resource}:\t{values[resource]}\n")
    info = status.get("nodeInfo") or {}
    w.write(LEVEL_0, "System Info:\n")
    for label, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion")):
        w.write(LEVEL_0, f"  {label}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(LEVEL_0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(LEVEL_0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(LEVEL_0, f"ProviderID:\t{spec['providerID']}\n")
    if pods is None:
        w.write(LEVEL_0, "Pods:\tnot authorized\n")
    else:
        _resources(w, pods, status.get("allocatable") or status.get("capacity") or {})
    describe_events(w, events)
    return w.text()


def _resources(w: PrefixWriter, pods: list[dict[str, Any]], allocatable: dict[str, Any]) -> None:
    cpu_total = parse(allocatable.get("cpu"))[0]
    mem_total = parse(allocatable.get("memory"))[0]
    w.write(LEVEL_0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(LEVEL_1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    total_req: dict[str, Fraction] = {}
    total_lim: dict[str, Fraction] = {}
    families: dict[str, str] = {}
    for pod in pods:
        req, lim, fam = _pod_totals(pod)
        families.update({k: v for k, v in fam.items() if k not in families})
        for k, v in req.items():
            total_req[k] = total_req.get(k, Fraction(0)) + v
        for k, v in lim.items():
            total_lim[k] = total_lim.get(k, Fraction(0)) + v
        cells = []
        for values, name, total in ((req, "cpu", cpu_total), (lim, "cpu", cpu_total), (req, "memory", mem_total),
                                    (lim, "memory", mem_total)):
            value = values.get(name, Fraction(0))
            cells.append(f"{format_quantity(value, fam.get(name, 'DecimalSI'))} ({_pct(value, total)}%)")
        pm = pod.get("metadata") or {}
        w.write(LEVEL_1, f"{pm.get('namespace', '')}\t{pm.get('name', '')}\t\t{cells[0]}\t{cells[1]}\t{cells[2]}\t"
                         f"{cells[3]}\t{age(pm.get('creationTimestamp'))}\n")
    w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")
    for name in ("cpu", "memory", "ephemeral-storage"):
        total = parse(allocatable.get(name))[0]
        r, li = total_req.get(name, Fraction(0)), total_lim.get(name, Fraction(0))
        family = families.get(name, "DecimalSI")
        w.write(LEVEL_1, f"{name}\t{format_quantity(r, family)} ({_pct(r, total)}%)\t"
                         f"{format_quantity(li, family)} ({_pct(li, total)}%)\n")
    huge = sorted(k for k in allocatable if k.startswith("hugepages-"))
    extended = sorted(k for k in allocatable if k not in STANDARD and not k.startswith("hugepages-")
                      and "/" in k)
    for name in huge:
        total = parse(allocatable.get(name))[0]
        r, li = total_req.get(name, Fraction(0)), total_lim.get(name, Fraction(0))
        family = families.get(name, "BinarySI")
        w.write(LEVEL_1, f"{name}\t{format_quantity(r, family)} ({_pct(r, total)}%)\t"
                         f"{format_quantity(li, family)} ({_pct(li, total)}%)\n")
    for name in extended:
        r, li = total_req.get(name, Fraction(0)), total_lim.get(name, Fraction(0))
        w.write(LEVEL_1, f"{name}\t{format_quantity(r)}\t{format_quantity(li)}\n")
