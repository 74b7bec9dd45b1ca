"""Nodes (core/v1, cluster-scoped): the kubelet registers a node with its status, so create keeps it;
allocatable defaults to capacity (SetDefaults_NodeStatus). Taints are validated (under the historical
`metadata.taints` path), podCIDRs and providerID may only go from unset to set, and spec.unschedulable is
field-selectable. The table is printNode: Ready/NotReady/Unknown plus SchedulingDisabled, roles from
`node-role.kubernetes.io/*` and `kubernetes.io/role` labels, and the node info columns.
"""

from __future__ import annotations

import copy
import ipaddress
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo, Subresource
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_qualified_name, is_valid_label_value
from fakeapi.resources.core_v1.common import GoRenderedDuplicate, canonical_quantities, dicts, mapping, text

Obj = dict[str, Any]

ROLE_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
CIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid'
INFO_COLUMNS = ("osImage", "kernelVersion", "containerRuntimeVersion")


def default_node(obj: Obj) -> None:
    status = obj.get("status")
    for bag in ("capacity", "allocatable"):
        canonical_quantities(mapping(status).get(bag))
    if isinstance(status, dict) and status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = copy.deepcopy(status["capacity"])


def _taint_repr(taint: Obj) -> str:
    added = taint.get("timeAdded")
    shown = "(*v1.Time)(nil)" if added is None else f"time.Date({added})"
    return (f'core.Taint{{Key:"{text(taint.get("key"))}", Value:"{text(taint.get("value"))}", '
            f'Effect:"{text(taint.get("effect"))}", TimeAdded:{shown}}}')


def _taints(taints: object) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(dicts(taints)):
        path = f"metadata.taints[{i}]"
        key, value, effect = (text(taint.get(k)) for k in ("key", "value", "effect"))
        errs += [invalid_value(f"{path}.key", key, m) for m in is_qualified_name(key)]
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid_value(f"{path}.value", value, ";".join(msgs)))
        if not effect:
            errs.append(required(f"{path}.effect"))
        elif effect not in TAINT_EFFECTS:
            errs.append(not_supported(f"{path}.effect", effect, TAINT_EFFECTS))
        if (key, effect) in seen:
            errs.append(GoRenderedDuplicate("Duplicate", path, _taint_repr(taint),
                                            "taints must be unique by key and effect pair"))
            continue
        seen.add((key, effect))
    return errs


def _pod_cidrs(spec: Obj) -> list[FieldError]:
    errs: list[FieldError] = []
    cidrs = [text(c) for c in spec.get("podCIDRs") or []]
    for i, cidr in enumerate(cidrs):
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            errs.append(invalid_value(f"spec.podCIDRs[{i}]", cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 "
                                                                   "or 2001:db8::/64)"))
    return errs


def validate_node(obj: Obj) -> list[FieldError]:
    return _taints(mapping(obj.get("spec")).get("taints")) + _pod_cidrs(mapping(obj.get("spec")))


def validate_node_update(new: Obj, old: Obj) -> list[FieldError]:
    spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
    errs: list[FieldError] = []
    addresses: list[Any] = []
    for i, address in enumerate(dicts(mapping(new.get("status")).get("addresses"))):
        if address in addresses:
            errs.append(GoRenderedDuplicate("Duplicate", f"status.addresses[{i}]",
                                            f'core.NodeAddress{{Type:"{text(address.get("type"))}", '
                                            f'Address:"{text(address.get("address"))}"}}'))
        addresses.append(address)
    old_cidrs = old_spec.get("podCIDRs") or []
    if old_cidrs and list(spec.get("podCIDRs") or []) != list(old_cidrs):
        errs.append(forbidden("spec.podCIDRs", CIDR_CHANGE))
    if old_spec.get("providerID") and old_spec["providerID"] != spec.get("providerID"):
        errs.append(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'))
    if spec.get("externalID") != old_spec.get("externalID"):
        errs.append(forbidden("spec.externalID", "may not be updated"))
    return errs + _taints(spec.get("taints"))


def node_roles(labels: dict[str, Any]) -> list[str]:
    roles = {key[len(ROLE_PREFIX):] for key in labels if key.startswith(ROLE_PREFIX) and key != ROLE_PREFIX}
    if labels.get(ROLE_LABEL):
        roles.add(text(labels[ROLE_LABEL]))
    return sorted(roles)


def node_status(obj: Obj) -> str:
    ready = [c for c in dicts(mapping(obj.get("status")).get("conditions")) if c.get("type") == "Ready"]
    status = ["Unknown"] if not ready else ["Ready" if ready[-1].get("status") == "True" else "NotReady"]
    if mapping(obj.get("spec")).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _address(status: Obj, kind: str) -> str:
    return next((text(a.get("address")) for a in dicts(status.get("addresses")) if a.get("type") == kind), "<none>")


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta, status = mapping(obj.get("metadata")), mapping(obj.get("status"))
    info = mapping(status.get("nodeInfo"))
    return [meta.get("name", ""), node_status(obj), ",".join(node_roles(mapping(meta.get("labels")))) or "<none>",
            age(meta.get("creationTimestamp"), now), text(info.get("kubeletVersion")),
            _address(status, "InternalIP"), _address(status, "ExternalIP"),
            *(text(info.get(key)) or "<unknown>" for key in INFO_COLUMNS)]


ADDRESSES_DOC = (
    "List of addresses reachable to the node. Queried from cloud provider, if available. More info: "
    "https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, "
    "but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers "
    "should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should "
    "assume that addresses can change during the lifetime of a Node. However, there are some exceptions where "
    "this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the "
    "downward API (status.hostIP).")

TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Status", description="The status of the node"),
        Column("Roles", description="The roles of the node"),
        AGE_COLUMN,
        Column("Version", description="Kubelet Version reported by the node."),
        Column("Internal-IP", priority=1, description=ADDRESSES_DOC),
        Column("External-IP", priority=1, description=ADDRESSES_DOC),
        Column("OS-Image", priority=1, description="OS Image reported by the node from /etc/os-release (e.g. "
                                                   "Debian GNU/Linux 7 (wheezy))."),
        Column("Kernel-Version", priority=1, description="Kernel Version reported by the node from 'uname -r' "
                                                         "(e.g. 3.16.0-0.bpo.4-amd64)."),
        Column("Container-Runtime", priority=1, description="ContainerRuntime Version reported by the node through "
                                                            "runtime remote API (e.g. containerd://1.4.2)."),
    ],
    cells=_cells,
)


class NodeStrategy(GenericStrategy):
    tracks_generation = False

    def defaults(self, obj: Obj) -> None:
        default_node(obj)

    def prepare_for_create(self, obj: Obj) -> None:
        return None

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_node(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_node_update(new, old)

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        unschedulable = "true" if mapping(obj.get("spec")).get("unschedulable") else "false"
        return {**super().selectable_fields(obj), "spec.unschedulable": unschedulable}


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Node", plural="nodes", singular="node", namespaced=False,
    short_names=("no",),
    subresources={
        "proxy": Subresource("NodeProxyOptions", ("create", "delete", "get", "patch", "update")),
        "status": STATUS,
    },
    selectable_fields=("spec.unschedulable",),
)
RESOURCE.strategy = NodeStrategy(RESOURCE)
RESOURCE.table = TABLE
