"""registry/fieldmanager.py: FieldsV1 sets and the managedFields an Update records, checked against the
shapes a real 1.37 apiserver produces."""

from __future__ import annotations

import copy
from typing import Any

from fakeapi.registry.fieldmanager import (
    FieldSet,
    compare,
    decode_managed_fields,
    managed_fields_after_update,
    path_string,
    root_shape,
    to_field_set,
)

T0, T1, T2 = "2025-01-01T00:00:00Z", "2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z"
DEPLOY = root_shape("apps", "v1", "Deployment")


def deployment(replicas: int = 2) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                           "args": ["-g", "daemon off;"],
                                                           "ports": [{"containerPort": 80}],
                                                           "resources": {}}]}}}}


def created(obj: dict[str, Any], manager: str = "kubectl-create") -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj["metadata"]["uid"] = "u-1"
    obj["metadata"]["managedFields"] = managed_fields_after_update(None, obj, manager, "apps/v1", T0)
    return obj


def test_create_records_every_field_set_the_way_the_zero_value_shapes_it() -> None:
    [entry] = managed_fields_after_update(None, deployment(), "kubectl-create", "apps/v1", T0)
    assert {k: entry[k] for k in ("manager", "operation", "apiVersion", "time", "fieldsType")} == {
        "manager": "kubectl-create", "operation": "Update", "apiVersion": "apps/v1", "time": T0,
        "fieldsType": "FieldsV1"}
    assert "subresource" not in entry
    assert entry["fieldsV1"] == {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}}, "f:type": {}},
            "f:template": {
                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                    ".": {}, "f:args": {}, "f:image": {}, "f:name": {},
                    "f:ports": {".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}},
                    "f:resources": {}}}}}}}


def test_fields_v1_keys_are_in_structured_merge_diff_order() -> None:
    [entry] = managed_fields_after_update(None, deployment(), "m", "apps/v1", T0)
    spec = entry["fieldsV1"]["f:spec"]
    assert list(spec) == ["f:replicas", "f:selector", "f:strategy", "f:template"]
    assert list(spec["f:strategy"]["f:rollingUpdate"]) == [".", "f:maxSurge", "f:maxUnavailable"]


def test_set_lists_use_value_keys_and_server_set_metadata_is_never_owned() -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": "c", "namespace": "default", "uid": "u", "resourceVersion": "5", "generation": 1,
                       "creationTimestamp": T0, "finalizers": ["a/b"]},
          "data": {"k": "v"}}
    [entry] = managed_fields_after_update(None, cm, "m", "v1", T0)
    assert entry["fieldsV1"] == {"f:data": {".": {}, "f:k": {}},
                                 "f:metadata": {"f:finalizers": {".": {}, 'v:"a/b"': {}}}}


def test_an_update_moves_changed_fields_to_the_writer_and_off_the_others() -> None:
    live = created(deployment(2))
    new = copy.deepcopy(live)
    new["spec"]["replicas"] = 5
    entries = managed_fields_after_update(live, new, "kubectl-scale", "apps/v1", T1)
    assert [(e["manager"], e["operation"], e["time"]) for e in entries] == [
        ("kubectl-create", "Update", T0), ("kubectl-scale", "Update", T1)]
    assert "f:replicas" not in entries[0]["fieldsV1"]["f:spec"]
    assert entries[1]["fieldsV1"] == {"f:spec": {"f:replicas": {}}}


def test_the_same_writer_accumulates_its_fields_and_removed_fields_leave_every_set() -> None:
    live = created(deployment())
    new = copy.deepcopy(live)
    new["metadata"]["labels"]["tier"] = "front"
    del new["spec"]["template"]["spec"]["containers"][0]["args"]
    entries = managed_fields_after_update(live, new, "kubectl-create", "apps/v1", T1)
    [entry] = entries
    fields = entry["fieldsV1"]
    assert entry["time"] == T1
    assert fields["f:metadata"]["f:labels"] == {".": {}, "f:app": {}, "f:tier": {}}
    assert "f:args" not in fields["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']


def test_a_write_that_changes_nothing_keeps_the_entries_and_their_times() -> None:
    live = created(deployment())
    assert managed_fields_after_update(live, copy.deepcopy(live), "other", "apps/v1", T1) == \
        live["metadata"]["managedFields"]


def test_status_is_ignored_on_the_main_resource_and_recorded_on_the_status_subresource() -> None:
    live = created(deployment())
    new = copy.deepcopy(live)
    new["status"] = {"replicas": 2}
    assert managed_fields_after_update(live, new, "x", "apps/v1", T1, has_status=True) == \
        live["metadata"]["managedFields"]
    new["spec"]["paused"] = True
    entries = managed_fields_after_update(live, new, "kube-controller-manager", "apps/v1", T1,
                                          subresource="status", has_status=True)
    status_entry = entries[-1]
    assert status_entry["subresource"] == "status"
    assert status_entry["fieldsV1"] == {"f:status": {".": {}, "f:replicas": {}}}


def test_managed_fields_sent_in_the_body_are_honoured_and_an_empty_entry_resets_them() -> None:
    live = created(deployment())
    new = copy.deepcopy(live)
    new["metadata"]["managedFields"] = [{}]
    assert managed_fields_after_update(live, new, "x", "apps/v1", T1) == []
    new["metadata"]["managedFields"] = [{"manager": "mine", "operation": "Update", "apiVersion": "apps/v1",
                                         "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:paused": {}}}}]
    new["spec"]["replicas"] = 3
    entries = managed_fields_after_update(live, new, "x", "apps/v1", T1)
    assert [e["manager"] for e in entries] == ["mine", "x"]


def test_an_existing_object_without_managed_fields_stays_untracked() -> None:
    live = deployment()
    live["metadata"]["uid"] = "u-1"
    new = copy.deepcopy(live)
    new["spec"]["replicas"] = 9
    assert managed_fields_after_update(live, new, "x", "apps/v1", T1) == []


def test_more_than_ten_update_managers_fold_the_oldest_into_ancient_changes() -> None:
    obj = created(deployment())
    for i in range(11):
        new = copy.deepcopy(obj)
        new["metadata"].setdefault("annotations", {})[f"a{i}"] = "x"
        new["metadata"]["managedFields"] = managed_fields_after_update(
            obj, new, f"m{i:02d}", "apps/v1", f"2025-01-01T01:{i:02d}:00Z")
        obj = new
    managers = [e["manager"] for e in obj["metadata"]["managedFields"]]
    assert len(managers) == 10
    assert "ancient-changes" in managers and "kubectl-create" not in managers and "m00" not in managers


def test_an_item_without_its_key_keeps_the_live_entries() -> None:
    live = created(deployment())
    new = copy.deepcopy(live)
    del new["spec"]["template"]["spec"]["containers"][0]["name"]
    assert managed_fields_after_update(live, new, "x", "apps/v1", T1) == live["metadata"]["managedFields"]


def test_field_sets_round_trip_and_print_paths_like_fieldpath() -> None:
    fields = {"f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
        'k:{"name":"nginx"}': {".": {}, "f:image": {}}}}}}, "f:metadata": {"f:finalizers": {'v:"x"': {}}}}
    s = FieldSet.from_fields(fields)
    assert s.to_fields() == fields
    assert [path_string(p) for p in s.paths()] == [
        ".metadata.finalizers[=\"x\"]", ".spec.replicas", '.spec.template.spec.containers[name="nginx"]',
        '.spec.template.spec.containers[name="nginx"].image']


def test_to_field_set_owns_leaves_map_keys_and_items_but_not_struct_fields() -> None:
    applied = {"spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "web"}},
                                                     "spec": {"containers": [{"name": "a", "image": "i"}]}}}}
    assert to_field_set(applied, DEPLOY).to_fields() == {"f:spec": {"f:replicas": {}, "f:template": {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {"f:containers": {'k:{"name":"a"}': {".": {}, "f:image": {}, "f:name": {}}}}}}}


def test_compare_reports_added_modified_and_removed_nodes() -> None:
    before = {"spec": {"replicas": 1, "paused": True}}
    after = {"spec": {"replicas": 2, "minReadySeconds": 5}, "metadata": {"labels": {"a": "b"}}}
    diff = compare(before, after, DEPLOY)
    assert diff.modified.to_fields() == {"f:spec": {"f:replicas": {}}}
    assert diff.added.to_fields() == {"f:metadata": {".": {}, "f:labels": {".": {}, "f:a": {}}},
                                      "f:spec": {"f:minReadySeconds": {}}}
    assert diff.removed.to_fields() == {"f:spec": {"f:paused": {}}}


def test_decode_rejects_entries_the_apiserver_would_not_accept() -> None:
    import pytest

    with pytest.raises(ValueError):
        decode_managed_fields([{"manager": "m", "operation": "Patch", "apiVersion": "v1", "fieldsType": "FieldsV1"}])
    with pytest.raises(ValueError):
        decode_managed_fields([{"manager": "m", "operation": "Update", "apiVersion": "", "fieldsType": "FieldsV1"}])
