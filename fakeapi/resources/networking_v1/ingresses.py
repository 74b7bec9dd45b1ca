"""Ingresses (networking.k8s.io/v1): discovery data, ValidateIngressCreate/Update and printIngress.

networking/v1 defaults nothing: unlike v1beta1, `pathType` is required (`Required value: pathType must
be specified`). Exact/Prefix paths must be absolute and free of `//`, `/./`, `/../`, `%2f`, `/..`, `/.`
endings; a backend is either a resource or a service with exactly one of port name/number. The
`kubernetes.io/ingress.class` annotation may not be combined with spec.ingressClassName on create.
Generation is 1 on create and bumps on spec changes; status starts as `{loadBalancer: {}}`.

Table cells follow printIngress with options.Wide (the server always prints wide rows), so the
address list is never clipped to 16 characters.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import (
    is_dns1123_subdomain, is_valid_port_name, is_valid_port_num, name_errors, regex_error,
)
from fakeapi.resources.core_v1.podspec import dicts, mapping, semantic, text

Obj = dict[str, Any]

CLASS_ANNOTATION = "kubernetes.io/ingress.class"
PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
_WILDCARD_FMT = r"\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_WILDCARD_RE = re.compile(_WILDCARD_FMT)
_WILDCARD_MSG = regex_error("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
                            "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
                            "alphanumeric character", _WILDCARD_FMT, "*.example.com")


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    errs = ["must be no more than 253 characters"] if len(value.encode()) > 253 else []
    return errs if _WILDCARD_RE.fullmatch(value) else errs + [_WILDCARD_MSG]


def host_errors(host: str, path: str) -> list[FieldError]:
    check = is_wildcard_dns1123_subdomain if "*" in host else is_dns1123_subdomain
    return [invalid_value(path, host, msg) for msg in check(host)]


def typed_reference_errors(ref: Any, path: str) -> list[FieldError]:
    """validateIngressTypedLocalObjectReference."""
    if not isinstance(ref, dict):
        return []
    errs: list[FieldError] = []
    if ref.get("apiGroup") is not None:
        group = text(ref["apiGroup"])
        errs += [invalid_value(f"{path}.apiGroup", group, m) for m in is_dns1123_subdomain(group)]
    for key in ("kind", "name"):
        value = text(ref.get(key))
        if not value:
            errs.append(required(f"{path}.{key}", f"{key} is required"))
        else:
            errs += [invalid_value(f"{path}.{key}", value, m) for m in name_errors(value, "path")]
    return errs


def backend_errors(backend: Obj, path: str) -> list[FieldError]:
    resource, service = backend.get("resource"), backend.get("service")
    if resource is not None and service is not None:
        return [invalid_value(path, "", "cannot set both resource and service backends")]
    if resource is not None:
        return typed_reference_errors(resource, f"{path}.resource")
    if not isinstance(service, dict):
        return [invalid_value(path, "", "resource or service backend is required")]
    errs: list[FieldError] = []
    name = text(service.get("name"))
    if not name:
        errs.append(required(f"{path}.service.name"))
    else:
        errs += [invalid_value(f"{path}.service.name", name, m) for m in name_errors(name, "dns1035")]
    port = mapping(service.get("port"))
    port_name, number = text(port.get("name")), port.get("number") or 0
    if port_name and number:
        errs.append(invalid_value(path, "", "cannot set both port name & port number"))
    elif port_name:
        errs += [invalid_value(f"{path}.service.port.name", port_name, m) for m in is_valid_port_name(port_name)]
    elif number:
        errs += [invalid_value(f"{path}.service.port.number", number, m) for m in is_valid_port_num(int(number))]
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _path_errors(http_path: Obj, path: str) -> list[FieldError]:
    kind = http_path.get("pathType")
    if kind is None:
        return [required(f"{path}.pathType", "pathType must be specified")]
    value = text(http_path.get("path"))
    errs: list[FieldError] = []
    if kind in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(invalid_value(f"{path}.path", value, "must be an absolute path"))
        if value:
            errs += [invalid_value(f"{path}.path", value, f"must not contain '{seq}'")
                     for seq in INVALID_PATH_SEQUENCES if seq in value]
            errs += [invalid_value(f"{path}.path", value, f"cannot end with '{suffix}'")
                     for suffix in INVALID_PATH_SUFFIXES if value.endswith(suffix)]
    elif kind == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(invalid_value(f"{path}.path", value, "must be an absolute path"))
    else:
        errs.append(not_supported(f"{path}.pathType", kind, PATH_TYPES))
    return errs + backend_errors(mapping(http_path.get("backend")), f"{path}.backend")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _rule_errors(rules: list[Obj], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(rules):
        host = text(rule.get("host"))
        if host:
            if _is_ip(host):
                errs.append(invalid_value(f"{path}[{i}].host", host, "must be a DNS name, not an IP address"))
            errs += host_errors(host, f"{path}[{i}].host")
        http = rule.get("http")
        if isinstance(http, dict):
            paths = dicts(http.get("paths"))
            if not paths:
                errs.append(required(f"{path}[{i}].http.paths"))
            for j, http_path in enumerate(paths):
                errs += _path_errors(http_path, f"{path}[{i}].http.paths[{j}]")
    return errs


def _tls_errors(tls: list[Obj], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, entry in enumerate(tls):
        for j, host in enumerate(entry.get("hosts") or []):
            errs += host_errors(text(host), f"{path}[{i}].hosts[{j}]")
        secret = text(entry.get("secretName"))
        if secret:
            errs += [invalid_value(f"{path}[{i}].secretName", secret, m) for m in is_dns1123_subdomain(secret)]
    return errs


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    """ValidateIngressSpec."""
    rules = dicts(spec.get("rules"))
    errs: list[FieldError] = []
    if not rules and spec.get("defaultBackend") is None:
        errs.append(invalid_value(path, spec.get("rules"), "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += backend_errors(mapping(spec["defaultBackend"]), f"{path}.defaultBackend")
    errs += _rule_errors(rules, f"{path}.rules")
    errs += _tls_errors(dicts(spec.get("tls")), f"{path}.tls")
    if spec.get("ingressClassName") is not None:
        name = text(spec["ingressClassName"])
        errs += [invalid_value(f"{path}.ingressClassName", name, m) for m in name_errors(name, "subdomain")]
    return errs


class IngressStrategy(GenericStrategy):
    def initial_status(self, obj: Obj) -> Any:
        return {"loadBalancer": {}}

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return semantic(new.get("spec")) != semantic(old.get("spec"))

    def validate(self, obj: Obj) -> list[FieldError]:
        spec = mapping(obj.get("spec"))
        errs = validate_spec(spec)
        annotation = mapping(obj["metadata"].get("annotations")).get(CLASS_ANNOTATION)
        if annotation is not None and spec.get("ingressClassName") is not None:
            errs.append(invalid_value(f"annotations.{CLASS_ANNOTATION}", annotation,
                                      "can not be set when the class field is also set"))
        return errs

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_spec(mapping(new.get("spec")))


def hosts_cell(rules: list[Obj]) -> str:
    """formatHosts: the first three hosts; any rule seen after that only adds the `+ N more...` tail."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        more = more or len(hosts) == 3
        if not more and rule.get("host"):
            hosts.append(text(rule["host"]))
    if not hosts:
        return "*"
    return f"{','.join(hosts)} + {len(rules) - 3} more..." if more else ",".join(hosts)


def address_cell(status: Obj) -> str:
    points = dicts(mapping(status.get("loadBalancer")).get("ingress"))
    return ",".join(sorted({text(p.get("ip")) or text(p.get("hostname")) for p in points} - {""}))


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec = mapping(obj.get("spec"))
    return [
        obj["metadata"].get("name", ""),
        "<none>" if spec.get("ingressClassName") is None else text(spec["ingressClassName"]),
        hosts_cell(dicts(spec.get("rules"))),
        address_cell(mapping(obj.get("status"))),
        "80, 443" if dicts(spec.get("tls")) else "80",
        age(obj["metadata"].get("creationTimestamp"), now),
    ]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Class", description="The name of the IngressClass resource that should be used for additional "
                                    "configuration"),
        Column("Hosts", description="Hosts that incoming requests are matched against before the ingress rule"),
        Column("Address", description="Address is a list containing ingress points for the load-balancer"),
        Column("Ports", description="Ports of TLS configurations that open"),
        AGE_COLUMN,
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="networking.k8s.io", version="v1", kind="Ingress", plural="ingresses", singular="ingress",
    namespaced=True, short_names=("ing",), subresources={"status": STATUS},
)
RESOURCE.strategy = IngressStrategy(RESOURCE)
RESOURCE.table = TABLE
