"""EndpointSlices (discovery.k8s.io/v1): defaults, ValidateEndpointSlice(Update) and printEndpointSlice.

EndpointSlices have no spec: addressType, endpoints and ports sit at the top level. Ports default to
name "" and protocol TCP (SetDefaults_EndpointPort). addressType is required, one of FQDN/IPv4/IPv6 and
immutable; every endpoint needs 1 to 100 addresses of that type. The strategy sets generation 1 on create
and bumps it whenever anything outside metadata, or the labels, change (pkg/registry/discovery/endpointslice).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, duplicate, invalid_value, not_supported, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_dns1123_label, is_dns1123_subdomain, is_valid_port_num
from fakeapi.resources.apps_v1.workload import immutable
from fakeapi.resources.core_v1.podspec import dicts, semantic, text

Obj = dict[str, Any]

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
PROTOCOLS = ("SCTP", "TCP", "UDP")
MAX_ADDRESSES = 100
MAX_ENDPOINTS = 1000
MAX_PORTS = 20000
IP_VERSIONS = {"IPv4": ipaddress.IPv4Address, "IPv6": ipaddress.IPv6Address}


def defaults(obj: Obj) -> None:
    for port in dicts(obj.get("ports")):
        if port.get("name") is None:
            port["name"] = ""
        if port.get("protocol") is None:
            port["protocol"] = "TCP"


def _address_errors(address: str, kind: Any, path: str) -> list[FieldError]:
    version = IP_VERSIONS.get(kind)
    if version is None:
        return []
    try:
        version(address)
    except ValueError:
        return [invalid_value(path, address, f"must be a valid {kind} address")]
    return []


def _endpoint_errors(endpoints: list[Obj], kind: Any) -> list[FieldError]:
    errs: list[FieldError] = []
    if len(endpoints) > MAX_ENDPOINTS:
        errs.append(FieldError("TooMany", "endpoints", len(endpoints), f"must have at most {MAX_ENDPOINTS} items"))
    for i, endpoint in enumerate(endpoints):
        path = f"endpoints[{i}]"
        addresses = endpoint.get("addresses") or []
        if not addresses:
            errs.append(required(f"{path}.addresses", "must contain at least 1 address"))
        elif len(addresses) > MAX_ADDRESSES:
            errs.append(FieldError("TooMany", f"{path}.addresses", len(addresses),
                                   f"must have at most {MAX_ADDRESSES} items"))
        for j, address in enumerate(addresses):
            errs += _address_errors(text(address), kind, f"{path}.addresses[{j}]")
        if endpoint.get("hostname") is not None:
            host = text(endpoint["hostname"])
            errs += [invalid_value(f"{path}.hostname", host, m) for m in is_dns1123_label(host)]
        if endpoint.get("nodeName") is not None:
            node = text(endpoint["nodeName"])
            errs += [invalid_value(f"{path}.nodeName", node, m) for m in is_dns1123_subdomain(node)]
    return errs


def _port_errors(ports: list[Obj]) -> list[FieldError]:
    errs: list[FieldError] = []
    if len(ports) > MAX_PORTS:
        errs.append(FieldError("TooMany", "ports", len(ports), f"must have at most {MAX_PORTS} items"))
    seen: set[str] = set()
    for i, port in enumerate(ports):
        name = text(port.get("name"))
        if name:
            errs += [invalid_value(f"ports[{i}].name", name, m) for m in is_dns1123_label(name)]
        if name in seen:
            errs.append(duplicate(f"ports[{i}].name", name))
        seen.add(name)
        protocol = port.get("protocol")
        if protocol is None:
            errs.append(required(f"ports[{i}].protocol"))
        elif protocol not in PROTOCOLS:
            errs.append(not_supported(f"ports[{i}].protocol", protocol, PROTOCOLS))
        number = port.get("port")
        if isinstance(number, int):
            errs += [invalid_value(f"ports[{i}].port", number, m) for m in is_valid_port_num(number)]
    return errs


def validate(obj: Obj) -> list[FieldError]:
    kind = obj.get("addressType")
    errs: list[FieldError] = []
    if not kind:
        errs.append(required("addressType"))
    elif kind not in ADDRESS_TYPES:
        errs.append(not_supported("addressType", kind, ADDRESS_TYPES))
    return errs + _endpoint_errors(dicts(obj.get("endpoints")), kind) + _port_errors(dicts(obj.get("ports")))


def _content(obj: Obj) -> Any:
    return semantic({k: v for k, v in obj.items() if k not in ("metadata", "apiVersion", "kind")})


class EndpointSliceStrategy(GenericStrategy):
    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def prepare_for_create(self, obj: Obj) -> None:
        obj["metadata"]["generation"] = 1

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        labels = semantic(new["metadata"].get("labels")) != semantic(old["metadata"].get("labels"))
        return labels or _content(new) != _content(old)

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate(new) + immutable(new.get("addressType"), old.get("addressType"), "addressType")


def _listed(items: list[str], total: int) -> str:
    """listWithMoreString: three items, then `+ N more...`; `<unset>` when empty."""
    shown = ",".join(items[:3])
    if total > 3:
        return f"{shown} + {total - 3} more..."
    return shown or "<unset>"


def ports_cell(ports: list[Obj]) -> str:
    names = []
    for port in ports:
        if port.get("port") is not None:
            names.append(str(port["port"]))
        elif port.get("name") is not None:
            names.append(text(port["name"]))
        else:
            names.append("*")
    return _listed(names, len(names))


def endpoints_cell(endpoints: list[Obj]) -> str:
    addresses = [text(a) for e in endpoints for a in (e.get("addresses") or [])]
    return _listed(addresses, len(addresses))


def _cells(obj: Obj, now: datetime) -> list[Any]:
    return [obj["metadata"].get("name", ""), text(obj.get("addressType")), ports_cell(dicts(obj.get("ports"))),
            endpoints_cell(dicts(obj.get("endpoints"))), age(obj["metadata"].get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("AddressType", description=(
            "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice "
            "must be the same type. This field is immutable after creation. The following address types are "
            "currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. "
            "* FQDN: Represents a Fully Qualified Domain Name.")),
        Column("Ports", description=(
            "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have "
            "a unique name. When ports is empty, it indicates that there are no defined ports. When a port is "
            "defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 "
            "ports.")),
        Column("Endpoints", description="endpoints is a list of unique endpoints in this slice. Each slice may "
                                        "include a maximum of 1000 endpoints."),
        AGE_COLUMN,
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="discovery.k8s.io", version="v1", kind="EndpointSlice", plural="endpointslices",
    singular="endpointslice", namespaced=True,
)
RESOURCE.strategy = EndpointSliceStrategy(RESOURCE)
RESOURCE.table = TABLE
