from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.events import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    for ns in ("default", "kube-system"):
        s.create(namespaces.RESOURCE, None, {"metadata": {"name": ns}})
    return s


def event(**body: object) -> dict:
    base = {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "pod-test1.17f2a3b4c5d6e7f8", "namespace": "default",
                         "creationTimestamp": "2025-01-01T11:58:00Z"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "pod-test1", "uid": "u1",
                               "apiVersion": "v1", "fieldPath": "spec.containers{nginx}"},
            "reason": "BackOff", "message": "Back-off restarting failed container\n", "type": "Warning",
            "source": {"component": "kubelet", "host": "192.168.80.11"},
            "firstTimestamp": "2025-01-01T11:58:13Z", "lastTimestamp": "2025-01-01T11:59:41Z", "count": 7}
    base.update(body)
    return base


def test_legacy_event_is_stored() -> None:
    obj = store().create(RESOURCE, "default", event()).obj
    assert obj["reason"] == "BackOff" and "generation" not in obj["metadata"]


def test_namespace_must_match_involved_object() -> None:
    bad = event()
    bad["involvedObject"] = {**bad["involvedObject"], "namespace": "other"}
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", bad)
    assert exc.value.message == ('Event "pod-test1.17f2a3b4c5d6e7f8" is invalid: involvedObject.namespace: '
                                 'Invalid value: "other": does not match event.namespace')


def test_new_style_events_need_reporting_fields() -> None:
    new = event(eventTime="2025-01-01T11:59:00.000000Z")
    new.pop("reason")
    with pytest.raises(StatusError) as exc:
        store().create(RESOURCE, "default", new)
    assert exc.value.message == ('Event "pod-test1.17f2a3b4c5d6e7f8" is invalid: [reportingController: Required value, '
                                 'reportingController: Invalid value: "": name part must be non-empty, '
                                 'reportingController: Invalid value: "": name part must consist of alphanumeric '
                                 "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                                 "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                                 "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), reportingInstance: Required value, "
                                 "action: Required value, reason: Required value]")


def test_table() -> None:
    assert TABLE.cells(event(), NOW) == [
        "19s", "Warning", "BackOff", "pod/pod-test1", "spec.containers{nginx}", "kubelet, 192.168.80.11",
        "Back-off restarting failed container", "107s", 7, "pod-test1.17f2a3b4c5d6e7f8"]
    fresh = event(firstTimestamp=None, lastTimestamp=None, count=0, eventTime="2025-01-01T11:59:30.123456Z",
                  source={}, reportingComponent="default-scheduler", reportingInstance="")
    cells = TABLE.cells(fresh, NOW)
    assert (cells[0], cells[5], cells[7], cells[8]) == ("30s", "default-scheduler", "30s", 1)
    series = event(series={"count": 12, "lastObservedTime": "2025-01-01T11:59:55.000000Z"})
    assert (TABLE.cells(series, NOW)[0], TABLE.cells(series, NOW)[8]) == ("5s", 12)
    assert [c.name for c in TABLE.columns] == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source",
                                               "Message", "First Seen", "Count", "Name"]
    assert [c.priority for c in TABLE.columns] == [0, 0, 0, 0, 1, 1, 0, 1, 1, 1]


def test_selectable_fields() -> None:
    fields = RESOURCE.strategy.selectable_fields(event(reportingComponent="kubelet"))
    assert fields == {
        "metadata.name": "pod-test1.17f2a3b4c5d6e7f8", "metadata.namespace": "default",
        "involvedObject.kind": "Pod", "involvedObject.namespace": "default", "involvedObject.name": "pod-test1",
        "involvedObject.uid": "u1", "involvedObject.apiVersion": "v1", "involvedObject.resourceVersion": "",
        "involvedObject.fieldPath": "spec.containers{nginx}", "reason": "BackOff", "reportingComponent": "kubelet",
        "source": "kubelet", "type": "Warning"}
    assert set(RESOURCE.selectable_fields) == set(fields) - {"metadata.name", "metadata.namespace"}
    assert RESOURCE.short_names == ("ev",)
