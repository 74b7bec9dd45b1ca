"""Service endpoints: the endpoints and endpointslice controllers, and the apiserver's `kubernetes` Service.

For every Service with a selector (not ExternalName) both controllers list the pods the selector matches:

- Endpoints `<svc>`: pods that have an IP and are not terminal (terminating pods only with
  publishNotReadyAddresses); a Ready pod goes to `addresses`, any other to `notReadyAddresses`, each with
  nodeName and a targetRef, and `hostname` when the pod's subdomain names the Service. Every service port
  is resolved per pod (a named targetPort against the pod's container ports; pods lacking it are left
  out of that port), then the subsets are repacked as endpoints.RepackSubsets does: addresses sharing the
  same ports form one subset. Labels are the Service's, plus `service.kubernetes.io/headless` for a
  headless Service.
- EndpointSlices `<svc>-<5 chars>` (generateName), owned by the Service, labelled
  `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
  endpointslice-controller.k8s.io`: one slice per distinct port mapping (at most 100 endpoints each),
  terminating pods included, conditions ready (Ready and not terminating, or publishNotReadyAddresses),
  serving (Ready) and terminating. A Service without endpoints keeps one placeholder slice.

At start, and whenever it goes missing, the `default/kubernetes` Service (10.96.0.1:443 -> the control
plane node's 6443) is written with its Endpoints and EndpointSlice, as the apiserver's endpoint reconciler does.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.controller import Obj, WorkQueue, delete, get, list_objects, watch
from fakeapi.cluster.platform.base import info_of, owner_ref, pod_ready, pod_terminal, write_options
from fakeapi.errors import StatusError
from fakeapi.registry.objectmeta import now_rfc3339
from fakeapi.registry.selectors import SelectorError, label_selector_from_dict
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext
    from fakeapi.server import Server

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
MANAGED_BY = "endpointslice-controller.k8s.io"
HEADLESS_LABEL = "service.kubernetes.io/headless"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
MAX_ENDPOINTS_PER_SLICE = 100
KUBERNETES_SERVICE_IP = "10.96.0.1"
APISERVER_PORT = 6443


# ---- per-pod resolution --------------------------------------------------------------------------

def selector_of(service: Obj) -> dict[str, str] | None:
    spec = service.get("spec") or {}
    selector = spec.get("selector")
    if spec.get("type") == "ExternalName" or not isinstance(selector, dict) or not selector:
        return None
    return selector


def matches(selector: dict[str, str], labels: Any) -> bool:
    try:
        return label_selector_from_dict({"matchLabels": selector}).matches(labels if isinstance(labels, dict) else {})
    except SelectorError:
        return False


def headless(service: Obj) -> bool:
    return (service.get("spec") or {}).get("clusterIP") == "None"


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """podutil.FindPort: a number as is; a name looked up among the pod's container ports."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int) and not isinstance(target, bool):
        return target
    if not isinstance(target, str):
        return None
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or [])
    containers += [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    protocol = service_port.get("protocol") or "TCP"
    for container in containers:
        for port in container.get("ports") or []:
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return int(port.get("containerPort") or 0) or None
    return None


def in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """endpointsliceutil.ShouldPodBeInEndpoints."""
    status = pod.get("status") or {}
    if pod_terminal(pod) or not (status.get("podIP") or status.get("podIPs")):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def hostname_for(pod: Obj, service: Obj) -> str:
    """endpointsliceutil.ShouldSetHostname: the pod's hostname when its subdomain is this Service."""
    spec = pod.get("spec") or {}
    if spec.get("hostname") and spec.get("subdomain") == service["metadata"]["name"] and \
            pod["metadata"].get("namespace") == service["metadata"].get("namespace"):
        return str(spec["hostname"])
    return ""


def target_ref(pod: Obj) -> Obj:
    meta = pod["metadata"]
    return {"kind": "Pod", "namespace": meta.get("namespace", ""), "name": meta["name"], "uid": meta.get("uid", "")}


def endpoint_port(service_port: Obj, number: int) -> Obj:
    port: Obj = {"name": service_port.get("name") or "", "port": number, "protocol": service_port.get("protocol") or "TCP"}
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    return port


def trigger_time(service: Obj, pods: list[Obj]) -> str:
    """The latest change that shaped the endpoints: a pod's Ready transition or the Service's creation."""
    times = [str(service["metadata"].get("creationTimestamp") or "")]
    for pod in pods:
        for cond in (pod.get("status") or {}).get("conditions") or []:
            if cond.get("type") == "Ready" and cond.get("lastTransitionTime"):
                times.append(str(cond["lastTransitionTime"]))
    return max(t for t in times if t) if any(times) else now_rfc3339()


# ---- Endpoints -----------------------------------------------------------------------------------

def endpoint_subsets(service: Obj, pods: list[Obj]) -> list[Obj]:
    spec = service.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    service_ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    # address key -> (address, ready); port key -> {address key: ready}
    addresses: dict[tuple[str, str], Obj] = {}
    by_port: dict[tuple[Any, ...], dict[tuple[str, str], bool]] = {}
    port_objs: dict[tuple[Any, ...], Obj | None] = {}
    for pod in pods:
        if not in_endpoints(pod, publish):
            continue
        status = pod.get("status") or {}
        address: Obj = {"ip": status.get("podIP") or (status.get("podIPs") or [{}])[0].get("ip", "")}
        hostname = hostname_for(pod, service)
        if hostname:
            address["hostname"] = hostname
        if (pod.get("spec") or {}).get("nodeName"):
            address["nodeName"] = pod["spec"]["nodeName"]
        address["targetRef"] = target_ref(pod)
        key = (address["ip"], address["targetRef"]["uid"])
        ready = publish or pod_ready(pod)
        addresses[key] = address
        if not service_ports:
            if headless(service):
                by_port.setdefault(("",), {})[key] = ready
                port_objs[("",)] = None
            continue
        for service_port in service_ports:
            number = find_port(pod, service_port)
            if number is None:
                continue
            port = endpoint_port(service_port, number)
            pkey = (port["name"], port["port"], port["protocol"], port.get("appProtocol", ""))
            by_port.setdefault(pkey, {})[key] = ready
            port_objs[pkey] = port
    # RepackSubsets: ports offered by exactly the same (address, ready) set share a subset
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for pkey, members in by_port.items():
        groups.setdefault(tuple(sorted(members.items())), []).append(pkey)
    subsets = []
    for members_key, pkeys in groups.items():
        members = dict(members_key)
        ready = sorted((k for k, r in members.items() if r), key=lambda k: k)
        not_ready = sorted((k for k, r in members.items() if not r), key=lambda k: k)
        subset: Obj = {}
        if ready:
            subset["addresses"] = [addresses[k] for k in ready]
        if not_ready:
            subset["notReadyAddresses"] = [addresses[k] for k in not_ready]
        ports = [port_objs[p] for p in sorted(pkeys) if port_objs.get(p) is not None]
        if ports:
            subset["ports"] = ports
        subsets.append(subset)
    subsets.sort(key=lambda s: ((s.get("addresses") or s.get("notReadyAddresses") or [{}])[0].get("ip", ""),
                                [p.get("port") for p in s.get("ports") or []]))
    return subsets


def endpoints_labels(service: Obj) -> dict[str, str]:
    labels = dict(service["metadata"].get("labels") or {})
    if headless(service):
        labels[HEADLESS_LABEL] = ""
    else:
        labels.pop(HEADLESS_LABEL, None)
    return labels


def sync_endpoints(server: Server, service: Obj, pods: list[Obj]) -> None:
    info = info_of(server, "", "v1", "endpoints")
    namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
    subsets = endpoint_subsets(service, pods)
    labels = endpoints_labels(service)
    current = get(server, info, namespace, name)
    stamp = trigger_time(service, pods)
    if current is None:
        meta: Obj = {"name": name, "annotations": {TRIGGER_TIME: stamp}}
        if labels:
            meta["labels"] = labels
        try:
            server.store.create(info, namespace, {"metadata": meta, "subsets": subsets}, write_options())
        except StatusError as exc:
            if exc.code not in (403, 404, 409):
                raise
        return
    if (current.get("subsets") or []) == subsets and (current["metadata"].get("labels") or {}) == labels:
        return

    def update(ep: Obj) -> Obj:
        ep["subsets"] = subsets
        ep["metadata"]["labels"] = labels
        ep["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = stamp
        if not labels:
            ep["metadata"].pop("labels")
        return ep

    server.store.guaranteed_update(info, namespace, name, update, opts=write_options())


# ---- EndpointSlices ------------------------------------------------------------------------------

def slice_endpoints(service: Obj, pods: list[Obj]) -> dict[tuple[Any, ...], tuple[list[Obj], list[Obj]]]:
    """Endpoints grouped by the port mapping their pod resolves: port key -> (ports, endpoints)."""
    spec = service.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    service_ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    groups: dict[tuple[Any, ...], tuple[list[Obj], list[Obj]]] = {}
    for pod in pods:
        if not in_endpoints(pod, True):
            continue
        ports = []
        for service_port in service_ports:
            number = find_port(pod, service_port)
            if number is not None:
                ports.append(endpoint_port(service_port, number))
        if service_ports and not ports:
            continue
        status = pod.get("status") or {}
        serving = pod_ready(pod)
        terminating = bool(pod["metadata"].get("deletionTimestamp"))
        ready = publish or (serving and not terminating)
        endpoint: Obj = {"addresses": [status.get("podIP") or (status.get("podIPs") or [{}])[0].get("ip", "")],
                         "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
        hostname = hostname_for(pod, service)
        if hostname:
            endpoint["hostname"] = hostname
        if (pod.get("spec") or {}).get("nodeName"):
            endpoint["nodeName"] = pod["spec"]["nodeName"]
        endpoint["targetRef"] = target_ref(pod)
        key = tuple((p["name"], p["port"], p["protocol"], p.get("appProtocol", "")) for p in ports)
        groups.setdefault(key, (ports, []))[1].append(endpoint)
    for _ports, endpoints in groups.values():
        endpoints.sort(key=lambda e: (e["addresses"][0], e["targetRef"]["name"]))
    return groups


def _port_key(ports: Any) -> tuple[Any, ...]:
    return tuple((p.get("name") or "", p.get("port"), p.get("protocol") or "TCP", p.get("appProtocol", ""))
                 for p in ports or [])


def slice_labels(service: Obj) -> dict[str, str]:
    labels = endpoints_labels(service)
    labels[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    return labels


def sync_slices(server: Server, service: Obj, pods: list[Obj]) -> None:
    info = info_of(server, "discovery.k8s.io", "v1", "endpointslices")
    namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
    existing = list_objects(server, info, namespace, f"{SERVICE_NAME_LABEL}={name},{MANAGED_BY_LABEL}={MANAGED_BY}")
    existing = [s for s in existing if not s["metadata"].get("deletionTimestamp")]
    groups = slice_endpoints(service, pods)
    desired: list[tuple[list[Obj] | None, list[Obj] | None]] = []
    for ports, endpoints in groups.values():
        for start in range(0, len(endpoints), MAX_ENDPOINTS_PER_SLICE):
            desired.append((ports, endpoints[start:start + MAX_ENDPOINTS_PER_SLICE]))
    if not desired:
        desired.append((None, None))  # the placeholder slice
    labels = slice_labels(service)
    stamp = trigger_time(service, pods)
    # keep slices whose ports still fit; then, as the reconciler's finalize step does, turn what would be
    # a create plus a delete into an update of the slice that would go
    unused = list(existing)
    plan: list[tuple[Obj | None, Any, Any]] = []
    leftovers = []
    for ports, endpoints in desired:
        match = next((s for s in unused if _port_key(s.get("ports")) == _port_key(ports)), None)
        if match is None:
            leftovers.append((ports, endpoints))
        else:
            unused.remove(match)
            plan.append((match, ports, endpoints))
    for ports, endpoints in leftovers:
        plan.append((unused.pop(0) if unused else None, ports, endpoints))
    for current, ports, endpoints in plan:
        if current is None:
            obj = {"metadata": {"generateName": f"{name}-", "labels": labels, "annotations": {TRIGGER_TIME: stamp},
                                "ownerReferences": [owner_ref(service)]},
                   "addressType": "IPv4", "endpoints": endpoints, "ports": ports}
            try:
                server.store.create(info, namespace, obj, write_options())
            except StatusError as exc:
                if exc.code not in (403, 404, 409):
                    raise
            continue
        if current.get("endpoints") == endpoints and current.get("ports") == ports and \
                current["metadata"].get("labels") == labels:
            continue

        def update(s: Obj, ports: Any = ports, endpoints: Any = endpoints) -> Obj:
            s["endpoints"] = endpoints
            s["ports"] = ports
            s["metadata"]["labels"] = labels
            s["metadata"].setdefault("annotations", {})[TRIGGER_TIME] = stamp
            return s

        server.store.guaranteed_update(info, namespace, current["metadata"]["name"], update, opts=write_options())
    for stale in unused:
        delete(server, info, namespace, stale["metadata"]["name"])


def remove_service_endpoints(server: Server, namespace: str, name: str) -> None:
    delete(server, info_of(server, "", "v1", "endpoints"), namespace, name)
    slices = info_of(server, "discovery.k8s.io", "v1", "endpointslices")
    for s in list_objects(server, slices, namespace, f"{SERVICE_NAME_LABEL}={name},{MANAGED_BY_LABEL}={MANAGED_BY}"):
        delete(server, slices, namespace, s["metadata"]["name"])


# ---- the apiserver's kubernetes Service ----------------------------------------------------------

def ensure_kubernetes_service(server: Server, ip: str) -> None:
    services = info_of(server, "", "v1", "services")
    endpoints = info_of(server, "", "v1", "endpoints")
    slices = info_of(server, "discovery.k8s.io", "v1", "endpointslices")
    opts = write_options("kube-apiserver")
    port = {"name": "https", "port": APISERVER_PORT, "protocol": "TCP"}
    wanted = [
        (services, {"metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
                    "spec": {"type": "ClusterIP", "clusterIP": KUBERNETES_SERVICE_IP,
                             "clusterIPs": [KUBERNETES_SERVICE_IP], "sessionAffinity": "None",
                             "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                        "targetPort": APISERVER_PORT}]}}),
        (endpoints, {"metadata": {"name": "kubernetes", "labels": {SKIP_MIRROR_LABEL: "true"}},
                     "subsets": [{"addresses": [{"ip": ip}], "ports": [dict(port)]}]}),
        (slices, {"metadata": {"name": "kubernetes", "labels": {SERVICE_NAME_LABEL: "kubernetes"}},
                  "addressType": "IPv4", "endpoints": [{"addresses": [ip], "conditions": {"ready": True}}],
                  "ports": [dict(port)]}),
    ]
    for info, obj in wanted:
        if get(server, info, "default", "kubernetes") is not None:
            continue
        try:
            server.store.create(info, "default", obj, opts)
        except StatusError as exc:
            if exc.code not in (403, 404, 409):
                raise


# ---- the controller ------------------------------------------------------------------------------

async def endpoints(ctx: ClusterContext) -> None:
    server = ctx.server
    services = info_of(server, "", "v1", "services")
    pods = info_of(server, "", "v1", "pods")
    endpoints_info = info_of(server, "", "v1", "endpoints")
    slices = info_of(server, "discovery.k8s.io", "v1", "endpointslices")
    control_plane = next((n for n in ctx.nodes if n.control_plane), ctx.nodes[0] if ctx.nodes else None)
    apiserver_ip = control_plane.internal_ip if control_plane is not None else "172.18.0.2"
    queue = WorkQueue(ctx.clock)
    selectors: dict[str, dict[str, dict[str, str]]] = {}  # namespace -> service -> selector
    pod_services: dict[tuple[str, str], set[str]] = {}  # (namespace, pod) -> services it was last seen in
    kubernetes_key = ("default", "kubernetes")

    def sync(key: tuple[str, str]) -> None:
        namespace, name = key
        if key == kubernetes_key:
            ensure_kubernetes_service(server, apiserver_ip)
        service = get(server, services, namespace, name)
        if service is None:
            if key != kubernetes_key:
                remove_service_endpoints(server, namespace, name)
            return
        selector = selector_of(service)
        if selector is None:
            return
        selected = [p for p in list_objects(server, pods, namespace) if matches(selector, p["metadata"].get("labels"))]
        sync_endpoints(server, service, selected)
        sync_slices(server, service, selected)

    def on_service(ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        namespace, name = meta["namespace"], meta["name"]
        if ev.type == DELETED:
            selectors.get(namespace, {}).pop(name, None)
        else:
            selector = selector_of(ev.obj)
            if selector is None:
                selectors.get(namespace, {}).pop(name, None)
            else:
                selectors.setdefault(namespace, {})[name] = selector
        queue.add((namespace, name))

    def on_pod(ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        namespace = meta["namespace"]
        pod_key = (namespace, meta["name"])
        before = pod_services.pop(pod_key, set())
        now: set[str] = set()
        if ev.type != DELETED:
            labels = meta.get("labels") or {}
            now = {svc for svc, sel in selectors.get(namespace, {}).items() if matches(sel, labels)}
            if now:
                pod_services[pod_key] = now
        for svc in before | now:
            queue.add((namespace, svc))

    def on_endpoints(ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        key = (meta["namespace"], meta["name"])
        if ev.type == DELETED and (key == kubernetes_key or meta["name"] in selectors.get(meta["namespace"], {})):
            queue.add(key)

    def on_slice(ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
        if ev.type == DELETED and service:
            queue.add((meta["namespace"], service))

    queue.add(kubernetes_key)
    await asyncio.gather(queue.run(sync), watch(server, services, on_service), watch(server, pods, on_pod),
                         watch(server, endpoints_info, on_endpoints), watch(server, slices, on_slice))
