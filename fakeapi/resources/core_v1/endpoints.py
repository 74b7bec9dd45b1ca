"""Endpoints (core/v1, deprecated in favour of EndpointSlice but still written by the endpoints
controller and read by `kubectl describe svc`): port protocols default to TCP, subsets are validated as
ValidateEndpoints does, and the table shows up to three `ip:port` pairs like formatEndpoints.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value, not_supported, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_port_num
from fakeapi.resources.core_v1.common import dicts, mapping, text

Obj = dict[str, Any]

PROTOCOLS = ("SCTP", "TCP", "UDP")
IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
MAX_SHOWN = 3
SPECIAL_IPS = (
    ("is_loopback", "may not be in the loopback range (127.0.0.0/8, ::1/128)"),
    ("is_link_local", "may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
)


def default_endpoints(obj: Obj) -> None:
    for subset in dicts(obj.get("subsets")):
        for port in dicts(subset.get("ports")):
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def _address(address: Obj, path: str) -> list[FieldError]:
    ip = text(address.get("ip"))
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return [invalid_value(f"{path}.ip", ip, IP_MSG), invalid_value(f"{path}.ip", ip, "must be a valid IP address")]
    errs: list[FieldError] = []
    if address.get("hostname"):
        errs += [invalid_value(f"{path}.hostname", address["hostname"], m)
                 for m in is_dns1123_label(text(address["hostname"]))]
    if address.get("nodeName") is not None:
        errs += [invalid_value(f"{path}.nodeName", address["nodeName"], m)
                 for m in is_dns1123_subdomain(text(address["nodeName"]))]
    if parsed.is_unspecified:
        errs.append(invalid_value(f"{path}.ip", ip, f"may not be unspecified ({ip})"))
    errs += [invalid_value(f"{path}.ip", ip, msg) for attr, msg in SPECIAL_IPS if getattr(parsed, attr)]
    if parsed.is_multicast and (ip.startswith("224.0.0.") or ip.lower().startswith("ff02:")):
        errs.append(invalid_value(f"{path}.ip", ip, "may not be in the link-local multicast range "
                                                    "(224.0.0.0/24, ff02::/10)"))
    return errs


def _port(port: Obj, path: str, require_name: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    name = text(port.get("name"))
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += [invalid_value(f"{path}.name", name, m) for m in is_dns1123_label(name)]
    number = port.get("port")
    errs += [invalid_value(f"{path}.port", number, m)
             for m in is_valid_port_num(number if isinstance(number, int) and not isinstance(number, bool) else 0)]
    protocol = text(port.get("protocol"))
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    if port.get("appProtocol") is not None:
        errs += [invalid_value(f"{path}.appProtocol", port["appProtocol"], m)
                 for m in is_qualified_name(text(port["appProtocol"]))]
    return errs


def validate_endpoints(obj: Obj) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, subset in enumerate(dicts(obj.get("subsets"))):
        path = f"subsets[{i}]"
        ready, not_ready, ports = (dicts(subset.get(k)) for k in ("addresses", "notReadyAddresses", "ports"))
        if not ready and not not_ready:
            errs.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
        for key, addresses in (("addresses", ready), ("notReadyAddresses", not_ready)):
            for j, address in enumerate(addresses):
                errs += _address(address, f"{path}.{key}[{j}]")
        for j, port in enumerate(ports):
            errs += _port(port, f"{path}.ports[{j}]", len(ports) > 1)
    return errs


def _host_port(ip: str, port: object) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(obj: Obj) -> str:
    """formatEndpoints with no port filter: `ip:port,...` capped at three, then `+ N more...`."""
    subsets = dicts(obj.get("subsets"))
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [text(a.get("ip")) for a in dicts(subset.get("addresses"))]
        ports = dicts(subset.get("ports"))
        pairs = [(ip, None) for ip in addresses] if not ports else [(ip, p.get("port")) for p in ports for ip in addresses]
        count += len(pairs)
        for ip, port in pairs:
            if len(shown) == MAX_SHOWN:
                break
            shown.append(ip if port is None else _host_port(ip, port))
    joined = ",".join(shown)
    return f"{joined} + {count - MAX_SHOWN} more..." if count > MAX_SHOWN else joined


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta = mapping(obj.get("metadata"))
    return [meta.get("name", ""), format_endpoints(obj), age(meta.get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Endpoints", description=(
            "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according "
            "to the IPs they share. A single address with multiple ports, some of which are ready and some of "
            "which are not (because they come from different containers) will result in the address being "
            "displayed in different subsets for the different ports. No address will appear in both Addresses "
            "and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.")),
        AGE_COLUMN,
    ],
    cells=_cells,
)


class EndpointsStrategy(GenericStrategy):
    tracks_generation = False

    def defaults(self, obj: Obj) -> None:
        default_endpoints(obj)

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_endpoints(obj)


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Endpoints", plural="endpoints", singular="endpoints", namespaced=True,
    short_names=("ep",),
)
RESOURCE.strategy = EndpointsStrategy(RESOURCE)
RESOURCE.table = TABLE
