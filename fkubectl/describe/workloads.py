"""Describers for Deployments and ReplicaSets (kubectl's `describeDeployment`, `describeReplicaSet`,
`DescribePodTemplate`), and for Services (`describeService`, endpoints from EndpointSlices)."""

from __future__ import annotations

from fkubectl.describe.common import (controller_of, describe_events, format_selector, meta, print_annotations,
                                      print_labels, print_tolerations, rfc1123z, search_events)
from fkubectl.describe.pod import describe_containers, describe_topology_spread, describe_volumes
from fkubectl.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter
from fkubectl.printers.gofmt import format_labels

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory


def describe_pod_template(w: PrefixWriter, template: dict[str, Any] | None) -> None:
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    m, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels(w, "  Labels", m.get("labels"))
    if m.get("annotations"):
        print_annotations(w, "  Annotations", m["annotations"])
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, space="  ")
    describe_containers(w, "Containers", spec.get("containers") or [], None, space="  ")
    describe_volumes(w, spec.get("volumes"), space="  ")
    describe_topology_spread(w, spec.get("topologySpreadConstraints"))
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels(w, "Node-Selectors", spec.get("nodeSelector"), initial_indent="  ")
    print_tolerations(w, "Tolerations", spec.get("tolerations"), initial_indent="  ")


def _conditions(w: PrefixWriter, conditions: list[dict[str, Any]] | None) -> None:
    if not conditions:
        return
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
    w.write(LEVEL_1, "----\t------\t------\n")
    for c in conditions:
        w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _list(f: Factory, group: str, resource: str, kind: str, namespace: str, selector: str) -> list[dict[str, Any]]:
    from fkubectl.client.mapping import Mapping
    from fkubectl.client.request import list_request

    mapping = Mapping(group, "v1", resource, kind, True)
    return list(f.client().json(list_request(mapping, namespace, label_selector=selector)).get("items") or [])


def _controlled_by(items: list[dict[str, Any]], owner: dict[str, Any]) -> list[dict[str, Any]]:
    uid = meta(owner).get("uid")
    return [i for i in items
            if any(r.get("controller") and r.get("uid") == uid for r in meta(i).get("ownerReferences") or [])]


def _equal_ignore_hash(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def strip(t: dict[str, Any]) -> dict[str, Any]:
        import copy

        t = copy.deepcopy(t)
        (t.get("metadata") or {}).get("labels", {}).pop("pod-template-hash", None)
        return t

    return strip(a) == strip(b)


def _rs_revision(rs: dict[str, Any]) -> int:
    try:
        return int((meta(rs).get("annotations") or {}).get("deployment.kubernetes.io/revision", "0"))
    except ValueError:
        return 0


def deployment_replica_sets(f: Factory, d: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """(old, new) ReplicaSets of a Deployment, as kubectl's `deploymentutil.GetAllReplicaSets` finds them."""
    from fkubectl.printers.duration import parse_rfc3339

    selector = format_selector((d.get("spec") or {}).get("selector"))
    items = _list(f, "apps", "replicasets", "ReplicaSet", meta(d).get("namespace", ""),
                  "" if selector == "<none>" else selector)
    owned = _controlled_by(items, d)
    owned.sort(key=lambda rs: (parse_rfc3339(meta(rs).get("creationTimestamp", "")) or 0, meta(rs).get("name", "")))
    template = (d.get("spec") or {}).get("template") or {}
    new = next((rs for rs in owned if _equal_ignore_hash((rs.get("spec") or {}).get("template") or {}, template)),
               None)
    old = [rs for rs in owned if rs is not new and ((rs.get("spec") or {}).get("replicas") or 0) > 0]
    return old, new


def _rs_text(rses: list[dict[str, Any]]) -> str:
    text = ", ".join(f"{meta(rs).get('name', '')} ({(rs.get('status') or {}).get('replicas', 0)}/"
                     f"{(rs.get('spec') or {}).get('replicas', 0)} replicas created)" for rs in rses)
    return text or "<none>"


def deployment(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{rfc1123z(m.get('creationTimestamp'))}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{format_selector(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
                     f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
                     f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(LEVEL_0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(LEVEL_0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(LEVEL_0, f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable', '25%')} max unavailable, "
                         f"{rolling.get('maxSurge', '25%')} max surge\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions"))
    try:
        old, new = deployment_replica_sets(f, obj)
    except Exception:  # noqa: BLE001 - kubectl omits the lines when the lookup fails
        old, new = [], None
    if old or new:
        w.write(LEVEL_0, f"OldReplicaSets:\t{_rs_text(old)}\n")
        w.write(LEVEL_0, f"NewReplicaSet:\t{_rs_text([new] if new else [])}\n")
    describe_events(w, events)
    return w.text()


def replica_set(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec, status = meta(obj), obj.get("spec") or {}, obj.get("status") or {}
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    selector = format_selector(spec.get("selector"))
    w.write(LEVEL_0, f"Selector:\t{selector}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    controller = controller_of(obj)
    if controller:
        w.write(LEVEL_0, f"Controlled By:\t{controller}\n")
    w.write(LEVEL_0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    w.write(LEVEL_0, "Pods Status:\t")
    try:
        pods = _controlled_by(_list(f, "", "pods", "Pod", m.get("namespace", ""),
                                    "" if selector == "<none>" else selector), obj)
        phases = [(p.get("status") or {}).get("phase", "") for p in pods]
        w.write(LEVEL_0, f"{phases.count('Running')} Running / {phases.count('Pending')} Waiting / "
                         f"{phases.count('Succeeded')} Succeeded / {phases.count('Failed')} Failed\n")
    except Exception as exc:  # noqa: BLE001 - kubectl prints the error in place
        w.write(LEVEL_0, f"error in fetching pods: {exc}\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions"))
    describe_events(w, events)
    return w.text()


def _endpoints(slices: list[dict[str, Any]], port_name: str | None) -> str:
    if not slices:
        return "<none>"
    items: list[str] = []
    count = 0
    for s in slices:
        ports = s.get("ports") or []
        endpoints = [e for e in s.get("endpoints") or [] if e.get("addresses")]
        if not ports:
            for e in endpoints:
                if len(items) < 3:
                    items.append(e["addresses"][0])
                count += 1
            continue
        for p in ports:
            if port_name is None or (p.get("name") or "") == port_name:
                for e in endpoints:
                    if len(items) < 3:
                        address = e["addresses"][0]
                        host = f"[{address}]" if ":" in address else address
                        items.append(f"{host}:{p.get('port', 0)}")
                    count += 1
    text = ",".join(items)
    return f"{text} + {count - 3} more..." if count > 3 else text


def service(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m, spec = meta(obj), obj.get("spec") or {}
    events = search_events(f, obj) if show_events else None
    try:
        slices = _list(f, "discovery.k8s.io", "endpointslices", "EndpointSlice", m.get("namespace", ""),
                       f"kubernetes.io/service-name={m.get('name', '')}")
    except Exception:  # noqa: BLE001 - no EndpointSlices: shown as <none>
        slices = []
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{format_labels(spec.get('selector')) if spec.get('selector') else ''}\n")
    w.write(LEVEL_0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(LEVEL_0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(LEVEL_0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(LEVEL_0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(LEVEL_0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(LEVEL_0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(LEVEL_0, f"IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(LEVEL_0, f"External Name:\t{spec['externalName']}\n")
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.write(LEVEL_0, f"LoadBalancer Ingress:\t{', '.join(i.get('ip') or i.get('hostname', '') for i in ingress)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "TCP")
        w.write(LEVEL_0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        w.write(LEVEL_0, f"TargetPort:\t{port.get('targetPort', port.get('port', 0))}/{protocol}\n")
        if port.get("nodePort"):
            w.write(LEVEL_0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(LEVEL_0, f"Endpoints:\t{_endpoints(slices, port.get('name') or '')}\n")
    if not spec.get("ports"):
        w.write(LEVEL_0, f"Endpoints:\t{_endpoints(slices, None)}\n")
    w.write(LEVEL_0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(LEVEL_0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(LEVEL_0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(LEVEL_0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(LEVEL_0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    describe_events(w, events)
    return w.text()
