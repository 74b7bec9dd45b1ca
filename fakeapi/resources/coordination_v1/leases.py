"""Leases (coordination.k8s.io/v1): ValidateLease and printLease.

Leases back node heartbeats and leader election, so they are written often: the strategy keeps no
generation (the real lease strategy sets none) and there is no status. leaseDurationSeconds must be
positive, leaseTransitions non-negative, and preferredHolder needs a strategy. The Holder cell is
spec.holderIdentity, empty when unset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_qualified_name
from fakeapi.resources.core_v1.podspec import mapping, text

Obj = dict[str, Any]


def validate_spec(spec: Obj, path: str = "spec") -> list[FieldError]:
    errs: list[FieldError] = []
    duration, transitions = spec.get("leaseDurationSeconds"), spec.get("leaseTransitions")
    if isinstance(duration, int) and duration <= 0:
        errs.append(invalid_value(f"{path}.leaseDurationSeconds", duration, "must be greater than 0"))
    if isinstance(transitions, int) and transitions < 0:
        errs.append(invalid_value(f"{path}.leaseTransitions", transitions, "must be greater than or equal to 0"))
    strategy = spec.get("strategy")
    if strategy:
        errs += [invalid_value(f"{path}.strategy", strategy, m) for m in is_qualified_name(text(strategy))]
    if spec.get("preferredHolder") and not strategy:
        errs.append(forbidden(f"{path}.preferredHolder", "may only be specified if `strategy` is defined"))
    return errs


class LeaseStrategy(GenericStrategy):
    tracks_generation = False

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_spec(mapping(obj.get("spec")))

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_spec(mapping(new.get("spec")))


def _cells(obj: Obj, now: datetime) -> list[Any]:
    spec = mapping(obj.get("spec"))
    return [obj["metadata"].get("name", ""), text(spec.get("holderIdentity")),
            age(obj["metadata"].get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Holder", description="holderIdentity contains the identity of the holder of a current lease. If "
               "Coordinated Leader Election is used, the holder identity must be equal to the elected "
               "LeaseCandidate.metadata.name field."),
        AGE_COLUMN,
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="coordination.k8s.io", version="v1", kind="Lease", plural="leases", singular="lease", namespaced=True,
)
RESOURCE.strategy = LeaseStrategy(RESOURCE)
RESOURCE.table = TABLE
