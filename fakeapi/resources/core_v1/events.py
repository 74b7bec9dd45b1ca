"""Events (core/v1): legacy validation only, the field selectors `kubectl describe` relies on, and
kubectl's event table.

Created through core/v1, events get only legacyValidateEvent (namespace agreement with involvedObject,
and for new-style events with eventTime the reporting fields); names only need to be path segments. The
table is printEvent's wide row: Last Seen falls back to First Seen and then eventTime, a series supplies
the count and last time, and singleton new-style events count 1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_dns1123_subdomain, is_qualified_name
from fakeapi.resources.core_v1.common import mapping, text

Obj = dict[str, Any]

LIMITS = (("reportingInstance", 128), ("action", 128), ("reason", 128))
NOTE_LIMIT = 1024
INVOLVED_FIELDS = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def validate_event(obj: Obj) -> list[FieldError]:
    """legacyValidateEvent."""
    errs: list[FieldError] = []
    namespace = text(mapping(obj.get("metadata")).get("namespace"))
    involved_ns = text(mapping(obj.get("involvedObject")).get("namespace"))
    mismatch = invalid_value("involvedObject.namespace", involved_ns, "does not match event.namespace")
    if not obj.get("eventTime"):
        if (not involved_ns and namespace not in ("", "default")) or (involved_ns and involved_ns != namespace):
            errs.append(mismatch)
    else:
        if not involved_ns and namespace not in ("default", "kube-system"):
            errs.append(mismatch)
        controller = text(obj.get("reportingComponent"))
        if not controller:
            errs.append(required("reportingController"))
        errs += [invalid_value("reportingController", controller, m) for m in is_qualified_name(controller)]
        for key, limit in LIMITS:
            value = text(obj.get(key))
            if not value:
                errs.append(required(key))
            if len(value) > limit:
                errs.append(invalid_value(key, "", f"can have at most {limit} characters"))
        if len(text(obj.get("message"))) > NOTE_LIMIT:
            errs.append(invalid_value("message", "", f"can have at most {NOTE_LIMIT} characters"))
    errs += [invalid_value("namespace", namespace, m) for m in is_dns1123_subdomain(namespace)]
    return errs


def _source(obj: Obj) -> str:
    source = mapping(obj.get("source"))
    component = text(source.get("component")) or text(obj.get("reportingComponent"))
    instance = text(source.get("host")) or text(obj.get("reportingInstance"))
    return f"{component}, {instance}" if instance else component


def _cells(obj: Obj, now: datetime) -> list[Any]:
    involved = mapping(obj.get("involvedObject"))
    first = age(obj.get("firstTimestamp"), now) if obj.get("firstTimestamp") else age(obj.get("eventTime"), now)
    last = age(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = obj.get("count") or 0
    series = obj.get("series")
    if isinstance(series, dict):
        last, count = age(series.get("lastObservedTime"), now), series.get("count") or 0
    elif not count:
        count = 1
    kind, name = text(involved.get("kind")).lower(), text(involved.get("name"))
    target = f"{kind}/{name}" if name else kind
    return [last, text(obj.get("type")), text(obj.get("reason")), target, text(involved.get("fieldPath")),
            _source(obj), text(obj.get("message")).strip(), first, count, mapping(obj.get("metadata")).get("name", "")]


TABLE = TableDef(
    columns=[
        Column("Last Seen", description="The time at which the most recent occurrence of this event was recorded."),
        Column("Type", description="Type of this event (Normal, Warning), new types could be added in the future"),
        Column("Reason", description="This should be a short, machine understandable string that gives the reason "
                                     "for the transition into the object's current status."),
        Column("Object", description="The object that this event is about."),
        Column("Subobject", priority=1, description=(
            'If referring to a piece of an object instead of an entire object, this string should contain a valid '
            'JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the '
            'object reference is to a container within a pod, this would take on a value like: '
            '"spec.containers{name}" (where "name" refers to the name of the container that triggered the event) '
            'or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This '
            'syntax is chosen only to have some well-defined way of referencing a part of an object.')),
        Column("Source", priority=1, description="The component reporting this event. Should be a short machine "
                                                 "understandable string."),
        Column("Message", description="A human-readable description of the status of this operation."),
        Column("First Seen", priority=1, description="The time at which the event was first recorded. (Time of "
                                                     "server receipt is in TypeMeta.)"),
        Column("Count", priority=1, description="The number of times this event has occurred."),
        Column("Name", "string", "name", NAME_COLUMN.description, priority=1),
    ],
    cells=_cells,
)


class EventStrategy(GenericStrategy):
    name_rule = "path"
    tracks_generation = False

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_event(obj)

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        involved = mapping(obj.get("involvedObject"))
        fields = super().selectable_fields(obj)
        fields.update({f"involvedObject.{key}": text(involved.get(key)) for key in INVOLVED_FIELDS})
        fields.update({
            "reason": text(obj.get("reason")),
            "reportingComponent": text(obj.get("reportingComponent")),
            "source": text(mapping(obj.get("source")).get("component")),
            "type": text(obj.get("type")),
        })
        return fields


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Event", plural="events", singular="event", namespaced=True,
    short_names=("ev",),
    selectable_fields=tuple(f"involvedObject.{key}" for key in INVOLVED_FIELDS)
    + ("reason", "reportingComponent", "source", "type"),
)
RESOURCE.strategy = EventStrategy(RESOURCE)
RESOURCE.table = TABLE
