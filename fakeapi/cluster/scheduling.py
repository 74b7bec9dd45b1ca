"""Scheduling predicates, pure functions over plain objects: taints and tolerations, node selectors and
required node affinity, resource requests against allocatable. The scheduler and the DaemonSet
controller share them, as the real ones share the scheduler's framework plugins.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from fakeapi.registry.quantity import parse_quantity

Obj = dict[str, Any]
RESOURCES = ("cpu", "memory")


def tolerates(tolerations: list[Obj], taint: Obj) -> bool:
    for tol in tolerations:
        effect = tol.get("effect") or ""
        if effect and effect != taint.get("effect"):
            continue
        key = tol.get("key") or ""
        op = tol.get("operator") or "Equal"
        if not key:
            if op == "Exists":
                return True
            continue
        if key != taint.get("key"):
            continue
        if op == "Exists" or (tol.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def untolerated_taint(node: Obj, pod: Obj, effects: tuple[str, ...] = ("NoSchedule", "NoExecute")) -> Obj | None:
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    for taint in (node.get("spec") or {}).get("taints") or []:
        if taint.get("effect") in effects and not tolerates(tolerations, taint):
            return taint
    return None


def _expression_matches(expr: Obj, labels: dict[str, str]) -> bool:
    key, op, values = expr.get("key", ""), expr.get("operator"), expr.get("values") or []
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt") and present and values:
        try:
            have, want = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False


def _term_matches(term: Obj, node: Obj) -> bool:
    labels = node["metadata"].get("labels") or {}
    fields = {"metadata.name": node["metadata"]["name"]}
    exprs = term.get("matchExpressions") or []
    field_exprs = term.get("matchFields") or []
    if not exprs and not field_exprs:
        return False
    return all(_expression_matches(e, labels) for e in exprs) and \
        all(_expression_matches(e, fields) for e in field_exprs)


def matches_node_selector(pod: Obj, node: Obj) -> bool:
    spec = pod.get("spec") or {}
    labels = node["metadata"].get("labels") or {}
    for key, value in (spec.get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = required.get("nodeSelectorTerms")
    if terms:
        return any(_term_matches(t, node) for t in terms)
    return True


def pod_requests(pod: Obj) -> dict[str, Fraction]:
    """Effective requests: the sum over app containers, at least the largest init container's."""
    spec = pod.get("spec") or {}

    def requests(container: Obj) -> dict[str, Fraction]:
        res = container.get("resources") or {}
        out: dict[str, Fraction] = {}
        for name in RESOURCES:
            raw = (res.get("requests") or {}).get(name, (res.get("limits") or {}).get(name))
            if raw is not None:
                try:
                    out[name] = parse_quantity(raw)
                except ValueError:
                    continue
        return out

    total = {name: Fraction(0) for name in RESOURCES}
    for c in spec.get("containers") or []:
        for name, value in requests(c).items():
            total[name] += value
    for c in spec.get("initContainers") or []:
        for name, value in requests(c).items():
            total[name] = max(total[name], value)
    return total


def allocatable(node: Obj) -> dict[str, Fraction]:
    alloc = (node.get("status") or {}).get("allocatable") or {}
    out = {}
    for name in RESOURCES + ("pods",):
        try:
            out[name] = parse_quantity(alloc.get(name, "0"))
        except ValueError:
            out[name] = Fraction(0)
    return out


def node_ready(node: Obj) -> bool:
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False
