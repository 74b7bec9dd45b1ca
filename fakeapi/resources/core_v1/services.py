"""Services (core/v1): defaulting, the REST layer's IP/port allocation, validation and kubectl's table.

Defaults follow SetDefaults_Service (type ClusterIP, sessionAffinity None, TCP, targetPort = port,
internalTrafficPolicy Cluster, externalTrafficPolicy Cluster for externally reachable types,
allocateLoadBalancerNodePorts for LoadBalancer). What the apiserver's service REST storage does in
beginCreate/beginUpdate happens in prepare_for_create/prepare_for_update: clusterIP/clusterIPs from the
service CIDR, ipFamilies/ipFamilyPolicy (single-stack IPv4 cluster), nodePorts and healthCheckNodePort
from the node-port range, values kept from the old object when a client omits them (patchAllocatedValues)
and type-dependent fields dropped on type changes. Requested IPs/ports outside the ranges are the
allocator's 422s, reported alone like the allocator's early failure.

Allocation is random within the ranges; `ServiceStrategy.in_use` may be set to a callable returning the
(cluster IPs, node ports) already taken to get the allocator's uniqueness and "already allocated" errors.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, duplicate, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo, Subresource
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age, map_selector_string
from fakeapi.registry.validation import (
    GoRenderedInvalid, go_string_slice, is_dns1123_label, is_dns1123_subdomain, is_qualified_name,
    is_valid_port_num, validate_labels,
)
from fakeapi.resources.core_v1.common import GoRenderedDuplicate, dicts, mapping, text
from fakeapi.resources.core_v1.podspec import validate_port_num_or_name

Obj = dict[str, Any]

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)
STATIC_BAND = 256
TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
PROTOCOLS = ("SCTP", "TCP", "UDP")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
MAX_AFFINITY_SECONDS = 86400
IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def _port_key(protocol: str, port: object) -> str:
    return (f'core.ServicePort{{Name:"", Protocol:"{protocol}", AppProtocol:(*string)(nil), Port:{port}, '
            'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}')


def needs_cluster_ip(spec: Obj) -> bool:
    return spec.get("type") != "ExternalName"


def needs_node_port(spec: Obj) -> bool:
    return spec.get("type") in ("NodePort", "LoadBalancer")


def needs_health_check(spec: Obj) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def externally_accessible(spec: Obj) -> bool:
    return needs_node_port(spec) or (spec.get("type") == "ClusterIP" and bool(spec.get("externalIPs")))


def is_headless(spec: Obj) -> bool:
    ips = spec.get("clusterIPs")
    return isinstance(ips, list) and len(ips) == 1 and ips[0] == "None"


# ---- defaulting and allocation -------------------------------------------------------------------

def default_service(obj: Obj) -> None:
    """SetDefaults_Service."""
    spec = obj.setdefault("spec", {}) if isinstance(obj.get("spec", {}), dict) else {}
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = mapping(mapping(spec.get("sessionAffinityConfig")).get("clientIP"))
        if client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in dicts(spec.get("ports")):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in ("ClusterIP", "NodePort", "LoadBalancer"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True


def _random_ip(taken: set[str]) -> str:
    size = SERVICE_CIDR.num_addresses
    while True:
        ip = str(SERVICE_CIDR.network_address + random.randrange(STATIC_BAND, size - 1))
        if ip not in taken:
            return ip


def _random_port(taken: set[int]) -> int:
    while True:
        port = random.randint(*NODE_PORT_RANGE)
        if port not in taken:
            return port


def _init_ip_families(spec: Obj) -> None:
    if spec.get("ipFamilies"):
        spec.setdefault("ipFamilyPolicy", "SingleStack" if len(spec["ipFamilies"]) == 1 else "RequireDualStack")
        return
    if spec.get("clusterIP") == "None" and not spec.get("selector") and spec.get("ipFamilyPolicy") != "SingleStack":
        spec.setdefault("ipFamilyPolicy", "RequireDualStack")
        spec["ipFamilies"] = ["IPv4", "IPv6"]
        return
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    spec["ipFamilies"] = ["IPv4"]


def _allocate(spec: Obj, in_use: tuple[set[str], set[int]]) -> None:
    ips, ports = in_use
    if needs_cluster_ip(spec):
        if not spec.get("clusterIP"):
            spec["clusterIP"] = _random_ip(ips)
            spec["clusterIPs"] = [spec["clusterIP"]]
        _init_ip_families(spec)
    used = {p.get("nodePort") for p in dicts(spec.get("ports"))}
    if needs_node_port(spec) and spec.get("allocateLoadBalancerNodePorts") is not False:
        for port in dicts(spec.get("ports")):
            if not port.get("nodePort"):
                port["nodePort"] = _random_port(ports | {u for u in used if isinstance(u, int)})
                used.add(port["nodePort"])
    if needs_health_check(spec) and not spec.get("healthCheckNodePort"):
        spec["healthCheckNodePort"] = _random_port(ports | {u for u in used if isinstance(u, int)})


def _normalize_cluster_ips(spec: Obj, old: Obj | None) -> None:
    """normalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that only send one."""
    if old is None:
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]
        return
    if old.get("clusterIPs") and not spec.get("clusterIPs") and old.get("clusterIP") == spec.get("clusterIP"):
        spec["clusterIPs"] = old["clusterIPs"]
    if old.get("clusterIP") == spec.get("clusterIP") or spec.get("clusterIPs") != old.get("clusterIPs"):
        return
    if old.get("clusterIP") and not spec.get("clusterIP"):
        spec.pop("clusterIPs", None)
    else:
        spec["clusterIPs"] = [spec["clusterIP"]]


def _patch_allocated(spec: Obj, old: Obj) -> None:
    """patchAllocatedValues: keep what the server allocated when a resubmitted manifest omits it."""
    if needs_cluster_ip(old) and needs_cluster_ip(spec):
        if not spec.get("clusterIP") and old.get("clusterIP"):
            spec["clusterIP"] = old["clusterIP"]
        if not spec.get("clusterIPs") and old.get("clusterIPs"):
            spec["clusterIPs"] = old["clusterIPs"]
    if needs_node_port(old) and needs_node_port(spec):
        new_used = {p.get("nodePort") for p in dicts(spec.get("ports")) if p.get("nodePort")}
        both = {p.get("nodePort") for p in dicts(old.get("ports")) if p.get("nodePort")} & new_used
        by_name = {text(p.get("name")): p.get("nodePort") for p in dicts(old.get("ports"))}
        for port in dicts(spec.get("ports")):
            value = by_name.get(text(port.get("name")))
            if not port.get("nodePort") and value and value not in both:
                port["nodePort"] = value
    if needs_health_check(old) and needs_health_check(spec) and not spec.get("healthCheckNodePort"):
        spec["healthCheckNodePort"] = old.get("healthCheckNodePort")


def _drop_type_dependent(spec: Obj, old: Obj) -> None:
    if needs_cluster_ip(old) and not needs_cluster_ip(spec):
        for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if spec.get(key) == old.get(key):
                spec.pop(key, None)
    if needs_node_port(old) and not needs_node_port(spec):
        if [p.get("nodePort") for p in dicts(spec.get("ports"))] == [p.get("nodePort") for p in dicts(old.get("ports"))]:
            for port in dicts(spec.get("ports")):
                port.pop("nodePort", None)
    if needs_health_check(old) and not needs_health_check(spec) and \
            spec.get("healthCheckNodePort") == old.get("healthCheckNodePort"):
        spec.pop("healthCheckNodePort", None)
    if spec.get("type") != "LoadBalancer":
        spec.pop("allocateLoadBalancerNodePorts", None)
        if spec.get("loadBalancerClass") == old.get("loadBalancerClass"):
            spec.pop("loadBalancerClass", None)
    if externally_accessible(old) and not externally_accessible(spec) and \
            spec.get("externalTrafficPolicy") == old.get("externalTrafficPolicy"):
        spec.pop("externalTrafficPolicy", None)


# ---- validation ----------------------------------------------------------------------------------

def _ip_errors(ip: object, path: str) -> list[FieldError]:
    try:
        ipaddress.ip_address(text(ip))
    except ValueError:
        return [invalid_value(path, ip, IP_MSG)]
    return []


def allocation_errors(spec: Obj, in_use: tuple[set[str], set[int]] | None = None,
                      old: Obj | None = None) -> list[FieldError]:
    """What the IP and port allocators reject before validation runs."""
    errs: list[FieldError] = []
    ips, ports = in_use or (set(), set())
    old_ports = {p.get("nodePort") for p in dicts(mapping(old).get("ports"))}
    for i, port in enumerate(dicts(spec.get("ports"))):
        node_port = port.get("nodePort")
        if not needs_node_port(spec) or not isinstance(node_port, int) or not node_port or node_port in old_ports:
            continue
        if not NODE_PORT_RANGE[0] <= node_port <= NODE_PORT_RANGE[1]:
            errs.append(invalid_value(f"spec.ports[{i}].nodePort", node_port,
                                      "provided port is not in the valid range. The range of valid ports is "
                                      f"{NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]}"))
        elif node_port in ports:
            errs.append(invalid_value(f"spec.ports[{i}].nodePort", node_port, "provided port is already allocated"))
    cluster_ips = [ip for ip in (spec.get("clusterIPs") or []) if isinstance(ip, str)]
    if needs_cluster_ip(spec) and cluster_ips and cluster_ips != mapping(old).get("clusterIPs"):
        ip = cluster_ips[0]
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return errs
        if addr not in SERVICE_CIDR or addr in (SERVICE_CIDR.network_address, SERVICE_CIDR.broadcast_address):
            errs.append(GoRenderedInvalid("Invalid", "spec.clusterIPs", go_string_slice(cluster_ips),
                                          f"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid "
                                          f"range. The range of valid IPs is {SERVICE_CIDR}"))
        elif ip in ips:
            errs.append(GoRenderedInvalid("Invalid", "spec.clusterIPs", go_string_slice(cluster_ips),
                                          f"failed to allocate IP {ip}: provided IP is already allocated"))
    return errs


def _cluster_ip_fields(spec: Obj) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields."""
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    cluster_ip, ips = text(spec.get("clusterIP")), [text(i) for i in spec.get("clusterIPs") or []]
    if cluster_ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errs.append(GoRenderedInvalid("Invalid", "spec.clusterIPs", go_string_slice(ips), "first value must match `clusterIP`"))
    elif ips:
        errs.append(GoRenderedInvalid("Invalid", "spec.clusterIPs", go_string_slice(ips),
                                      "must be empty when `clusterIP` is not specified"))
    seen: set[str] = set()
    for i, family in enumerate(spec.get("ipFamilies") or []):
        if family not in IP_FAMILIES:
            errs.append(not_supported(f"spec.ipFamilies[{i}]", family, IP_FAMILIES))
        if family in seen:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errs.append(not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                errs.append(GoRenderedInvalid("Invalid", "spec.clusterIPs", go_string_slice(ips),
                                              "'None' must be the first and only value"))
            continue
        errs += _ip_errors(ip, f"spec.clusterIPs[{i}]")
    if len(ips) > 2:
        errs.append(GoRenderedInvalid("Invalid", "spec.clusterIPs", go_string_slice(ips), "may only hold up to 2 values"))
    return errs


def _service_port(port: Obj, path: str, require_name: bool, names: set[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    name = text(port.get("name"))
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += [invalid_value(f"{path}.name", name, m) for m in is_dns1123_label(name)]
        if name in names:
            errs.append(duplicate(f"{path}.name", name))
        names.add(name)
    number = port.get("port")
    errs += [invalid_value(f"{path}.port", number, m)
             for m in is_valid_port_num(number if isinstance(number, int) and not isinstance(number, bool) else 0)]
    protocol = text(port.get("protocol"))
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    errs += validate_port_num_or_name(port.get("targetPort"), f"{path}.targetPort")
    if port.get("appProtocol") is not None:
        app = text(port.get("appProtocol"))
        errs += [invalid_value(f"{path}.appProtocol", app, m) for m in is_qualified_name(app)]
    return errs


def _type_rules(spec: Obj) -> list[FieldError]:
    kind = spec.get("type")
    if kind in ("LoadBalancer", "NodePort") and is_headless(spec):
        return [invalid_value("spec.clusterIPs[0]", "None", f"may not be set to 'None' for {kind} services")]
    if kind != "ExternalName":
        return []
    errs = [forbidden(f"spec.{key}", "may not be set for ExternalName services")
            for key in ("clusterIPs", "ipFamilies") if spec.get(key)]
    if spec.get("ipFamilyPolicy") is not None:
        errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
    cname = text(spec.get("externalName")).removesuffix(".")
    if cname:
        errs += [invalid_value("spec.externalName", cname, m) for m in is_dns1123_subdomain(cname)]
    else:
        errs.append(required("spec.externalName"))
    return errs


def _affinity(spec: Obj) -> list[FieldError]:
    affinity = spec.get("sessionAffinity")
    if not affinity:
        return [required("spec.sessionAffinity")]
    if affinity not in AFFINITIES:
        return [not_supported("spec.sessionAffinity", affinity, AFFINITIES)]
    config = spec.get("sessionAffinityConfig")
    if affinity == "None":
        return [forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None")] if config else []
    path = "spec.sessionAffinityConfig"
    for key in ("clientIP", "timeoutSeconds"):
        if not isinstance(config, dict) or config.get(key) is None:
            return [required(path, "when session affinity type is ClientIP")]
        config, path = config[key], f"{path}.{key}"
    if not isinstance(config, int) or not 0 < config <= MAX_AFFINITY_SECONDS:
        return [invalid_value(path, config, f"must be greater than 0 and less than {MAX_AFFINITY_SECONDS}")]
    return []


def _port_list(spec: Obj) -> list[FieldError]:
    ports = dicts(spec.get("ports"))
    names: set[str] = set()
    errs: list[FieldError] = []
    for i, port in enumerate(ports):
        errs += _service_port(port, f"spec.ports[{i}]", len(ports) > 1, names)
    return errs


def _port_conflicts(spec: Obj) -> list[FieldError]:
    ports = dicts(spec.get("ports"))
    errs: list[FieldError] = []
    if spec.get("type") == "ClusterIP":
        errs += [forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'")
                 for i, port in enumerate(ports) if port.get("nodePort")]
    node_ports: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        key = (text(port.get("protocol")), port.get("nodePort"))
        if key[1]:
            if key in node_ports:
                errs.append(duplicate(f"spec.ports[{i}].nodePort", key[1]))
            node_ports.add(key)
    keys: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        key = (text(port.get("protocol")), port.get("port"))
        if key in keys:
            errs.append(GoRenderedDuplicate("Duplicate", f"spec.ports[{i}]", _port_key(*key)))
        keys.add(key)
    return errs


def _traffic_policies(spec: Obj) -> list[FieldError]:
    errs: list[FieldError] = []
    etp = spec.get("externalTrafficPolicy")
    if not externally_accessible(spec):
        if etp:
            errs.append(invalid_value("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"))
    elif not etp:
        errs.append(required("spec.externalTrafficPolicy"))
    elif etp not in TRAFFIC_POLICIES:
        errs.append(not_supported("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES))
    hcnp = spec.get("healthCheckNodePort")
    if not needs_health_check(spec):
        if hcnp:
            errs.append(invalid_value("spec.healthCheckNodePort", hcnp,
                                      "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif not hcnp:
        errs.append(required("spec.healthCheckNodePort"))
    itp = spec.get("internalTrafficPolicy")
    if itp is None and spec.get("type") in ("ClusterIP", "NodePort", "LoadBalancer"):
        errs.append(required("spec.internalTrafficPolicy"))
    elif itp is not None and itp not in TRAFFIC_POLICIES:
        errs.append(not_supported("spec.internalTrafficPolicy", itp, TRAFFIC_POLICIES))
    return errs


def validate_service(obj: Obj) -> list[FieldError]:
    """ValidateService (metadata is the store's)."""
    spec = mapping(obj.get("spec"))
    errs: list[FieldError] = []
    if not dicts(spec.get("ports")) and not is_headless(spec) and spec.get("type") != "ExternalName":
        errs.append(required("spec.ports"))
    errs += _type_rules(spec)
    errs += _port_list(spec)
    if spec.get("selector") is not None:
        errs += validate_labels(spec.get("selector"), "spec.selector")
    errs += _affinity(spec)
    errs += _cluster_ip_fields(spec)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        errs += _ip_errors(ip, f"spec.externalIPs[{i}]")
    kind = spec.get("type")
    if not kind:
        errs.append(required("spec.type"))
    elif kind not in TYPES:
        errs.append(not_supported("spec.type", kind, TYPES))
    errs += _port_conflicts(spec)
    if spec.get("loadBalancerSourceRanges") and kind != "LoadBalancer":
        errs.append(forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"))
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    return errs + _traffic_policies(spec)


def _cluster_ip_update(spec: Obj, old: Obj) -> list[FieldError]:
    """validateUpgradeDowngradeClusterIPs."""
    if "ExternalName" in (spec.get("type"), old.get("type")) or (is_headless(spec) and is_headless(old)):
        return []
    new_ips, old_ips = list(spec.get("clusterIPs") or []), list(old.get("clusterIPs") or [])
    shown = go_string_slice([text(i) for i in new_ips]) if new_ips else "[]string(nil)"
    if len(new_ips) == len(old_ips):
        return [GoRenderedInvalid("Invalid", f"spec.clusterIPs[{i}]", shown, "may not change once set")
                for i, ip in enumerate(old_ips) if ip != new_ips[i]]
    if not new_ips:
        return [GoRenderedInvalid("Invalid", "spec.clusterIPs[0]", shown, "primary clusterIP can not be unset")]
    if old_ips and new_ips[0] != old_ips[0]:
        return [GoRenderedInvalid("Invalid", "spec.clusterIPs[0]", shown, "may not change once set")]
    return []


# ---- table ---------------------------------------------------------------------------------------

def _external_ip(spec: Obj, status: Obj) -> str:
    external = [text(ip) for ip in spec.get("externalIPs") or []]
    kind = spec.get("type")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        ingress = dicts(mapping(status.get("loadBalancer")).get("ingress"))
        lb = sorted({text(i.get("ip")) or text(i.get("hostname")) for i in ingress} - {""})
        if external:
            return ",".join(lb + external)
        return ",".join(lb) if lb else "<pending>"
    if kind == "ExternalName":
        return text(spec.get("externalName"))
    return "<unknown>"


def port_string(ports: list[Obj]) -> str:
    pieces = []
    for port in ports:
        node_port = port.get("nodePort")
        head = f"{port.get('port', 0)}:{node_port}" if node_port else f"{port.get('port', 0)}"
        pieces.append(f"{head}/{text(port.get('protocol'))}")
    return ",".join(pieces)


def _service_cells(obj: Obj, now: datetime) -> list[Any]:
    meta, spec, status = mapping(obj.get("metadata")), mapping(obj.get("spec")), mapping(obj.get("status"))
    ips = spec.get("clusterIPs") or []
    return [meta.get("name", ""), text(spec.get("type")), ips[0] if ips else "<none>", _external_ip(spec, status),
            port_string(dicts(spec.get("ports"))) or "<none>", age(meta.get("creationTimestamp"), now),
            map_selector_string(mapping(spec.get("selector")))]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Type", description=(
            'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, '
            'ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for '
            'load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by '
            'manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no '
            'virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual '
            'IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same '
            'endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer '
            '(if supported in the current cloud) which routes to the same endpoints as the clusterIP. '
            '"ExternalName" aliases this service to the specified externalName. Several other fields do not apply '
            'to ExternalName services. More info: '
            'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types')),
        Column("Cluster-IP", description=(
            'clusterIP is the IP address of the service and is usually assigned randomly. If an address is '
            'specified manually, is in-range (as per system configuration), and is not in use, it will be '
            'allocated to the service; otherwise creation of the service will fail. This field may not be changed '
            'through updates unless the type field is also being changed to ExternalName (which requires this '
            'field to be blank) or the type field is being changed from ExternalName (in which case this field '
            'may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a '
            'valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful '
            'when direct endpoint connections are preferred and proxying is not required.  Only applies to types '
            'ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type '
            'ExternalName, creation will fail. This field will be wiped when updating a Service to type '
            'ExternalName. More info: '
            'https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies')),
        Column("External-IP", description=(
            'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for '
            'this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that '
            'traffic arrives at a node with this IP.  A common example is external load-balancers that are not '
            'part of the Kubernetes system.')),
        Column("Port(s)", description=(
            'The list of ports that are exposed by this service. More info: '
            'https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies')),
        AGE_COLUMN,
        Column("Selector", priority=1, description=(
            'Route service traffic to pods with label keys and values matching this selector. If empty or not '
            'present, the service is assumed to have an external process managing its endpoints, which Kubernetes '
            'will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is '
            'ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/')),
    ],
    cells=_service_cells,
)


# ---- strategy ------------------------------------------------------------------------------------

class ServiceStrategy(GenericStrategy):
    name_rule = "dns1035"
    tracks_generation = False

    def __init__(self, info: ResourceInfo) -> None:
        super().__init__(info)
        #: optional provider of the (cluster IPs, node ports) already taken, for unique allocation
        self.in_use: Callable[[], tuple[set[str], set[int]]] | None = None

    def _taken(self) -> tuple[set[str], set[int]]:
        return self.in_use() if self.in_use is not None else (set(), set())

    def defaults(self, obj: Obj) -> None:
        default_service(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"loadBalancer": {}}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        spec = mapping(obj.get("spec"))
        _normalize_cluster_ips(spec, None)
        if not allocation_errors(spec, self._taken()):
            _allocate(spec, self._taken())

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
        _patch_allocated(spec, old_spec)
        _normalize_cluster_ips(spec, old_spec)
        _drop_type_dependent(spec, old_spec)
        if not allocation_errors(spec, self._taken(), old_spec):
            _allocate(spec, self._taken())
        if spec.get("type") != "LoadBalancer" and isinstance(new.get("status"), dict):
            new["status"]["loadBalancer"] = {}

    def validate(self, obj: Obj) -> list[FieldError]:
        return allocation_errors(mapping(obj.get("spec")), self._taken()) or validate_service(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
        early = allocation_errors(spec, self._taken(), old_spec)
        if early:
            return early
        errs = _cluster_ip_update(spec, old_spec)
        if needs_health_check(spec) and needs_health_check(old_spec) and \
                spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            errs.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
        return errs + validate_service(new)

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        spec = mapping(obj.get("spec"))
        fields = super().selectable_fields(obj)
        fields.update({"spec.clusterIP": text(spec.get("clusterIP")), "spec.type": text(spec.get("type"))})
        return fields


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Service", plural="services", singular="service", namespaced=True,
    short_names=("svc",), categories=("all",),
    subresources={
        "proxy": Subresource("ServiceProxyOptions", ("create", "delete", "get", "patch", "update")),
        "status": STATUS,
    },
    return_deleted_object=True,
    selectable_fields=("spec.clusterIP", "spec.type"),
)
RESOURCE.strategy = ServiceStrategy(RESOURCE)
RESOURCE.table = TABLE
