"""Server-side printing: the per-kind column definitions behind `Accept: ...;as=Table;g=meta.k8s.io`.

A kind module exports `TABLE = TableDef(columns=[...], cells=fn)`; `cells(obj, now)` returns one cell per
column, wide (priority 1) columns included, because the server always prints wide rows and kubectl hides
priority != 0 columns unless `-o wide`. Kinds without a TableDef get the apiserver's default table:
Name + Created At. Ages are computed at response time from `now`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

Obj = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"
    format: str = ""
    description: str = ""
    priority: int = 0

    def definition(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "format": self.format,
                "description": self.description, "priority": self.priority}


@dataclass(frozen=True)
class TableDef:
    columns: list[Column]
    cells: Callable[[Obj, datetime], list[Any]]
    #: optional row conditions (Succeeded/Failed pods carry a Completed condition)
    conditions: Callable[[Obj], list[dict[str, Any]]] | None = field(default=None)


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def human_duration(seconds: float) -> str:
    """apimachinery/pkg/util/duration.HumanDuration."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rem = s % 60
        return f"{minutes}m{rem}s" if rem else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rem = minutes % 60
        return f"{hours}h{rem}m" if rem else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rem = hours % 24
        return f"{hours // 24}d{rem}h" if rem else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y{days}d" if days else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"


def age(timestamp: str | None, now: datetime) -> str:
    """translateTimestampSince: `<unknown>` for a missing timestamp."""
    t = parse_time(timestamp)
    if t is None:
        return "<unknown>"
    return human_duration((now - t).total_seconds())


NAME_COLUMN = Column("Name", "string", "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")
AGE_COLUMN = Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")


def _default_cells(obj: Obj, now: datetime) -> list[Any]:
    meta = obj.get("metadata", {})
    return [meta.get("name", ""), meta.get("creationTimestamp")]


DEFAULT_TABLE = TableDef(
    columns=[NAME_COLUMN, Column("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.")],
    cells=_default_cells,
)


def label_selector_string(selector: Obj | None) -> str:
    """metav1.FormatLabelSelector: `<none>` when empty, else the selector's canonical string."""
    from fakeapi.registry.selectors import SelectorError, label_selector_from_dict

    if not selector:
        return "<none>"
    try:
        text = str(label_selector_from_dict(selector))
    except SelectorError:
        return "<error>"
    return text or "<none>"


def map_selector_string(selector: dict[str, str] | None) -> str:
    """labels.FormatLabels for a plain map (Service/DaemonSet node selectors): sorted `k=v,...`."""
    if not selector:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


INCLUDE_OBJECT = ("None", "Metadata", "Object")


def partial_metadata(obj: Obj) -> Obj:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata", {})}


def build_table(table: TableDef | None, objs: list[Obj], now: datetime, *, include_object: str = "Metadata",
                list_meta: Obj | None = None, no_headers: bool = False) -> Obj:
    """A meta.k8s.io/v1 Table with one row per object (rows always carry the wide cells)."""
    tdef = table or DEFAULT_TABLE
    rows = []
    for obj in objs:
        row: Obj = {"cells": tdef.cells(obj, now)}
        if tdef.conditions is not None:
            conds = tdef.conditions(obj)
            if conds:
                row["conditions"] = conds
        if include_object == "Metadata":
            row["object"] = partial_metadata(obj)
        elif include_object == "Object":
            row["object"] = obj
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta or {},
        "columnDefinitions": [] if no_headers else [c.definition() for c in tdef.columns],
        "rows": rows,
    }
