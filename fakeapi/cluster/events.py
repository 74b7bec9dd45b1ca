"""EventRecorder: core/v1 Events as the real components write them, aggregated like client-go does.

A repeat of the same (object, reason, message, type, source) within the series window updates the
existing Event (count + 1, lastTimestamp) instead of creating a new one, which is what gives
`describe` its `(x4 over 2m)` ages.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from fakeapi.errors import StatusError
from fakeapi.registry.objectmeta import now_rfc3339

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]


def involved(obj: Obj, field_path: str = "") -> Obj:
    meta = obj["metadata"]
    ref: Obj = {"kind": obj.get("kind", ""), "namespace": meta.get("namespace", ""), "name": meta.get("name", ""),
                "uid": meta.get("uid", ""), "apiVersion": obj.get("apiVersion", ""),
                "resourceVersion": meta.get("resourceVersion", "")}
    if field_path:
        ref["fieldPath"] = field_path
    if not ref["namespace"]:
        del ref["namespace"]
    return ref


class EventRecorder:
    def __init__(self, server: Server) -> None:
        self.server = server
        self._series: dict[tuple[str, ...], str] = {}

    def record(self, obj: Obj, type_: str, reason: str, message: str, *, component: str,
               host: str = "", field_path: str = "") -> None:
        info = self.server.registry.lookup("", "v1", "events")
        if info is None:
            return
        ref = involved(obj, field_path)
        namespace = ref.get("namespace") or "default"
        key = (namespace, ref["uid"], reason, message, type_, component, host, field_path)
        now = now_rfc3339()
        existing = self._series.get(key)
        if existing is not None:
            def bump(ev: Obj) -> Obj:
                ev["count"] = int(ev.get("count") or 1) + 1
                ev["lastTimestamp"] = now
                return ev

            try:
                self.server.store.guaranteed_update(info, namespace, existing, bump)
                return
            except StatusError:
                self._series.pop(key, None)
        name = f"{ref['name']}.{time.time_ns():x}"  # client-go: <name>.<hex UnixNano>, so names sort by time
        source: Obj = {"component": component}
        if host:
            source["host"] = host
        event = {
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": host,
        }
        try:
            self.server.store.create(info, namespace, event)
        except StatusError:
            return
        self._series[key] = name
