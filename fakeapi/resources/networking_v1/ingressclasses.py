"""IngressClasses (networking.k8s.io/v1, cluster-scoped): ValidateIngressClass(Update) and printIngressClass.

`spec.controller` is a required domain-prefixed path (at most 250 characters) that never changes;
parameters default their scope to Cluster (SetDefaults_IngressClass). Generation is 1 on create and
bumps on spec changes. The default class is marked by the `ingressclass.kubernetes.io/is-default-class`
annotation, which the apiserver does not interpret.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_dns1123_subdomain, regex_error
from fakeapi.resources.apps_v1.workload import immutable
from fakeapi.resources.core_v1.podspec import mapping, semantic, text
from fakeapi.resources.networking_v1.ingresses import typed_reference_errors

Obj = dict[str, Any]

MAX_CONTROLLER = 250
HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
HTTP_PATH_RE = re.compile(HTTP_PATH_FMT)
SCOPES = ("Cluster", "Namespace")


def domain_prefixed_path_errors(value: str, path: str) -> list[FieldError]:
    """validation.IsDomainPrefixedPath."""
    if not value:
        return [required(path)]
    host, sep, rest = value.partition("/")
    if not sep or not host or not rest:
        return [invalid_value(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [invalid_value(path, host, m) for m in is_dns1123_subdomain(host)]
    if not HTTP_PATH_RE.fullmatch(rest):
        errs.append(invalid_value(path, rest, regex_error("must be a valid path", HTTP_PATH_FMT)))
    return errs


def _parameters_errors(params: Any, path: str) -> list[FieldError]:
    if not isinstance(params, dict):
        return []
    errs = typed_reference_errors(params, path)
    scope = params.get("scope")
    if scope is not None and scope not in SCOPES:
        errs.append(not_supported(f"{path}.scope", scope, SCOPES))
    if scope == "Namespace" and not params.get("namespace"):
        errs.append(required(f"{path}.namespace", "`parameters.scope` is set to 'Namespace'"))
    if scope == "Cluster" and params.get("namespace") is not None:
        errs.append(forbidden(f"{path}.namespace", "`parameters.scope` is set to 'Cluster'"))
    return errs


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    controller = text(spec.get("controller"))
    errs: list[FieldError] = []
    if len(controller) > MAX_CONTROLLER:
        errs.append(FieldError("TooLong", f"{path}.controller", None, f"may not be more than {MAX_CONTROLLER} bytes"))
    errs += domain_prefixed_path_errors(controller, f"{path}.controller")
    return errs + _parameters_errors(spec.get("parameters"), f"{path}.parameters")


class IngressClassStrategy(GenericStrategy):
    def defaults(self, obj: Obj) -> None:
        params = mapping(obj.get("spec")).get("parameters")
        if isinstance(params, dict) and params.get("scope") is None:
            params["scope"] = "Cluster"

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return semantic(new.get("spec")) != semantic(old.get("spec"))

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        spec = mapping(new.get("spec"))
        errs = immutable(spec.get("controller"), mapping(old.get("spec")).get("controller"), "spec.controller")
        return errs + validate_spec(spec)


def parameters_cell(params: Any) -> str:
    if not isinstance(params, dict):
        return "<none>"
    kind = text(params.get("kind"))
    if params.get("apiGroup") is not None:
        kind += "." + text(params["apiGroup"])
    return f"{kind}/{text(params.get('name'))}"


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec = mapping(obj.get("spec"))
    return [obj["metadata"].get("name", ""), text(spec.get("controller")), parameters_cell(spec.get("parameters")),
            age(obj["metadata"].get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Controller", description="Controller that is responsible for handling this class"),
        Column("Parameters", description="A reference to a resource with additional parameters"),
        AGE_COLUMN,
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="networking.k8s.io", version="v1", kind="IngressClass", plural="ingressclasses",
    singular="ingressclass", namespaced=False,
)
RESOURCE.strategy = IngressClassStrategy(RESOURCE)
RESOURCE.table = TABLE
