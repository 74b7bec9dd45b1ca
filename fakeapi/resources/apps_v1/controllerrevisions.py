"""ControllerRevisions (apps/v1): the immutable template snapshots StatefulSets and DaemonSets keep for
`rollout history`/`rollout undo`.

`data` is required and may not change; `revision` must be non-negative. There is no spec, no status
and no generation. The Controller column is `<kind>.<group>/<name>` of the controlling ownerReference
(printControllerRevision), e.g. `statefulset.apps/web`; the Revision cell is an integer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import validate_nonnegative
from fakeapi.resources.apps_v1.workload import immutable, int_cell
from fakeapi.resources.core_v1.podspec import dicts, text

Obj = dict[str, Any]


def validate(obj: Obj) -> list[FieldError]:
    errs = [required("data", "data is mandatory")] if obj.get("data") is None else []
    return errs + validate_nonnegative(obj.get("revision"), "revision")


class ControllerRevisionStrategy(GenericStrategy):
    tracks_generation = False

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate(new) + immutable(new.get("data"), old.get("data"), "data")


def controller_name(obj: Obj) -> str:
    for ref in dicts(obj["metadata"].get("ownerReferences")):
        if ref.get("controller") is True:
            group = text(ref.get("apiVersion")).rpartition("/")[0]
            kind = text(ref.get("kind"))
            qualified = f"{kind}.{group}" if group else kind
            return f"{qualified.lower()}/{text(ref.get('name'))}" if kind else text(ref.get("name"))
    return "<none>"


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta = obj["metadata"]
    return [meta.get("name", ""), controller_name(obj), int_cell(obj.get("revision")),
            age(meta.get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[NAME_COLUMN, Column("Controller", description="Controller of the object"),
             Column("Revision", description="Revision indicates the revision of the state represented by Data."),
             AGE_COLUMN],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="apps", version="v1", kind="ControllerRevision", plural="controllerrevisions",
    singular="controllerrevision", namespaced=True,
)
RESOURCE.strategy = ControllerRevisionStrategy(RESOURCE)
RESOURCE.table = TABLE
