"""scheduling: the predicates the scheduler and the DaemonSet controller share (pure functions)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from fakeapi.cluster import scheduling

Obj = dict[str, Any]
CP = "node-role.kubernetes.io/control-plane"


def node(name: str = "n1", labels: dict[str, str] | None = None, taints: list[Obj] | None = None,
         ready: str | None = "True", alloc: dict[str, str] | None = None) -> Obj:
    status: Obj = {"allocatable": alloc if alloc is not None else {"cpu": "4", "memory": "16272184Ki", "pods": "110"}}
    if ready is not None:
        status["conditions"] = [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": ready}]
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"taints": taints or []}, "status": status}


def pod(**spec: Any) -> Obj:
    return {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "c"}], **spec}}


# ---- tolerations -------------------------------------------------------------------------------------

CP_TAINT = {"key": CP, "effect": "NoSchedule"}


@pytest.mark.parametrize("tol,taint,ok", [
    ({"key": CP, "operator": "Exists", "effect": "NoSchedule"}, CP_TAINT, True),
    ({"key": CP, "operator": "Exists"}, CP_TAINT, True),                         # empty effect: all effects
    ({"key": CP, "operator": "Exists", "effect": "NoExecute"}, CP_TAINT, False),  # effect must match
    ({"operator": "Exists"}, CP_TAINT, True),                                     # empty key + Exists: everything
    ({"operator": "Exists", "effect": "NoSchedule"}, CP_TAINT, True),
    ({"operator": "Exists", "effect": "NoExecute"}, CP_TAINT, False),
    ({"key": "other", "operator": "Exists"}, CP_TAINT, False),
    ({"key": CP, "operator": "Equal", "value": "", "effect": "NoSchedule"}, CP_TAINT, True),
    ({"key": CP, "effect": "NoSchedule"}, CP_TAINT, True),                        # operator defaults to Equal
    ({"key": CP, "operator": "Equal", "value": "x"}, CP_TAINT, False),
    ({"key": "dedicated", "operator": "Equal", "value": "gpu"},
     {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}, True),
    ({"key": "dedicated", "value": "gpu"}, {"key": "dedicated", "value": "cpu", "effect": "NoSchedule"}, False),
    ({"key": "dedicated", "operator": "Exists"}, {"key": "dedicated", "value": "cpu", "effect": "NoExecute"}, True),
    ({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
     {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}, True),
])
def test_tolerates(tol: Obj, taint: Obj, ok: bool) -> None:
    assert scheduling.tolerates([tol], taint) is ok


def test_any_one_toleration_is_enough() -> None:
    tols = [{"key": "a", "operator": "Exists"}, {"key": CP, "operator": "Exists", "effect": "NoSchedule"}]
    assert scheduling.tolerates(tols, CP_TAINT)
    assert not scheduling.tolerates([], CP_TAINT)


def test_untolerated_taint_on_the_control_plane() -> None:
    n = node(taints=[CP_TAINT])
    assert scheduling.untolerated_taint(n, pod()) == CP_TAINT
    assert scheduling.untolerated_taint(n, pod(tolerations=[{"key": CP, "operator": "Exists",
                                                             "effect": "NoSchedule"}])) is None


def test_prefer_no_schedule_never_blocks() -> None:
    n = node(taints=[{"key": "soft", "value": "x", "effect": "PreferNoSchedule"}])
    assert scheduling.untolerated_taint(n, pod()) is None


def test_no_execute_blocks_and_the_first_untolerated_taint_is_reported() -> None:
    t1 = {"key": "a", "value": "1", "effect": "NoSchedule"}
    t2 = {"key": "b", "value": "2", "effect": "NoExecute"}
    n = node(taints=[t1, t2])
    assert scheduling.untolerated_taint(n, pod()) == t1
    assert scheduling.untolerated_taint(n, pod(tolerations=[{"key": "a", "operator": "Exists"}])) == t2
    assert scheduling.untolerated_taint(n, pod(tolerations=[{"operator": "Exists"}])) is None


def test_effects_can_be_narrowed() -> None:
    n = node(taints=[{"key": "b", "effect": "NoExecute"}])
    assert scheduling.untolerated_taint(n, pod(), effects=("NoExecute",)) is not None
    assert scheduling.untolerated_taint(n, pod(), effects=("NoSchedule",)) is None


# ---- node selector and required node affinity --------------------------------------------------------

def affinity(*terms: Obj) -> Obj:
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}}}


def expr(key: str, op: str, *values: str) -> Obj:
    out: Obj = {"key": key, "operator": op}
    if values:
        out["values"] = list(values)
    return out


LABELS = {"disktype": "ssd", "zone": "a", "cores": "8", "kubernetes.io/hostname": "n1"}


@pytest.mark.parametrize("e,ok", [
    (expr("disktype", "In", "ssd", "nvme"), True),
    (expr("disktype", "In", "hdd"), False),
    (expr("missing", "In", "x"), False),
    (expr("disktype", "NotIn", "hdd"), True),
    (expr("disktype", "NotIn", "ssd"), False),
    (expr("missing", "NotIn", "x"), True),          # NotIn matches nodes without the label
    (expr("zone", "Exists"), True),
    (expr("missing", "Exists"), False),
    (expr("missing", "DoesNotExist"), True),
    (expr("zone", "DoesNotExist"), False),
    (expr("cores", "Gt", "4"), True),
    (expr("cores", "Gt", "8"), False),
    (expr("cores", "Lt", "16"), True),
    (expr("cores", "Lt", "8"), False),
    (expr("zone", "Gt", "1"), False),                # non-integer label value
    (expr("missing", "Lt", "1"), False),
    (expr("disktype", "Bogus", "ssd"), False),
])
def test_node_affinity_operators(e: Obj, ok: bool) -> None:
    assert scheduling.matches_node_selector(pod(affinity=affinity({"matchExpressions": [e]})),
                                            node(labels=LABELS)) is ok


def test_expressions_in_a_term_are_anded_and_terms_are_ored() -> None:
    n = node(labels=LABELS)
    both = {"matchExpressions": [expr("disktype", "In", "ssd"), expr("zone", "In", "b")]}
    assert not scheduling.matches_node_selector(pod(affinity=affinity(both)), n)
    either = affinity({"matchExpressions": [expr("zone", "In", "b")]}, {"matchExpressions": [expr("zone", "In", "a")]})
    assert scheduling.matches_node_selector(pod(affinity=either), n)


def test_an_empty_term_matches_no_node() -> None:
    assert not scheduling.matches_node_selector(pod(affinity=affinity({})), node(labels=LABELS))
    assert not scheduling.matches_node_selector(pod(affinity=affinity({"matchExpressions": []})), node(labels=LABELS))


def test_match_fields_on_metadata_name() -> None:
    term = {"matchFields": [expr("metadata.name", "In", "n1")]}
    assert scheduling.matches_node_selector(pod(affinity=affinity(term)), node("n1"))
    assert not scheduling.matches_node_selector(pod(affinity=affinity(term)), node("n2"))
    not_in = {"matchFields": [expr("metadata.name", "NotIn", "n1")]}
    assert scheduling.matches_node_selector(pod(affinity=affinity(not_in)), node("n2"))


def test_node_selector_must_match_every_label() -> None:
    n = node(labels=LABELS)
    assert scheduling.matches_node_selector(pod(nodeSelector={"disktype": "ssd"}), n)
    assert scheduling.matches_node_selector(pod(nodeSelector={"disktype": "ssd", "zone": "a"}), n)
    assert not scheduling.matches_node_selector(pod(nodeSelector={"disktype": "ssd", "zone": "b"}), n)
    assert not scheduling.matches_node_selector(pod(nodeSelector={"gpu": "true"}), n)


def test_node_selector_and_affinity_must_both_match() -> None:
    n = node(labels=LABELS)
    p = pod(nodeSelector={"disktype": "ssd"}, affinity=affinity({"matchExpressions": [expr("zone", "In", "b")]}))
    assert not scheduling.matches_node_selector(p, n)


def test_no_constraints_match_every_node() -> None:
    assert scheduling.matches_node_selector(pod(), node())
    assert scheduling.matches_node_selector(pod(affinity={"nodeAffinity": {}}), node())


# ---- resources ---------------------------------------------------------------------------------------

def test_pod_requests_sum_app_containers() -> None:
    p = {"spec": {"containers": [{"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
                                 {"resources": {"requests": {"cpu": "250m"}}}]}}
    assert scheduling.pod_requests(p) == {"cpu": Fraction(35, 100), "memory": Fraction(128 * 2**20)}


def test_pod_requests_fall_back_to_limits() -> None:
    p = {"spec": {"containers": [{"resources": {"limits": {"cpu": "200m", "memory": "256Mi"}}}]}}
    assert scheduling.pod_requests(p) == {"cpu": Fraction(1, 5), "memory": Fraction(256 * 2**20)}


def test_pod_requests_are_at_least_the_largest_init_container() -> None:
    p = {"spec": {"containers": [{"resources": {"requests": {"cpu": "100m"}}}],
                  "initContainers": [{"resources": {"requests": {"cpu": "2"}}},
                                     {"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]}}
    assert scheduling.pod_requests(p) == {"cpu": Fraction(2), "memory": Fraction(2**30)}


def test_pod_without_requests_requests_nothing() -> None:
    assert scheduling.pod_requests(pod()) == {"cpu": 0, "memory": 0}


def test_invalid_quantities_are_ignored() -> None:
    p = {"spec": {"containers": [{"resources": {"requests": {"cpu": "lots", "memory": "1Gi"}}}]}}
    assert scheduling.pod_requests(p) == {"cpu": 0, "memory": Fraction(2**30)}


def test_allocatable_parses_quantities() -> None:
    alloc = scheduling.allocatable(node())
    assert alloc["cpu"] == 4
    assert alloc["memory"] == 16272184 * 1024
    assert alloc["pods"] == 110
    assert scheduling.allocatable(node(alloc={})) == {"cpu": 0, "memory": 0, "pods": 0}


@pytest.mark.parametrize("ready,ok", [("True", True), ("False", False), ("Unknown", False), (None, False)])
def test_node_ready(ready: str | None, ok: bool) -> None:
    assert scheduling.node_ready(node(ready=ready)) is ok
