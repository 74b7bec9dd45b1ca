from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from fakeapi.errors import StatusError
from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1.namespaces import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def create(name: str, **spec: object) -> dict:
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    if spec:
        body["spec"] = spec
    return ResourceStore(MemoryStorage()).create(RESOURCE, None, body).obj


def test_create_defaults() -> None:
    obj = create("team-a")
    assert obj["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team-a"}
    assert obj["spec"] == {"finalizers": ["kubernetes"]}
    assert obj["status"] == {"phase": "Active"}
    assert "generation" not in obj["metadata"]


def test_kubernetes_finalizer_is_appended() -> None:
    assert create("b", finalizers=["example.com/x"])["spec"]["finalizers"] == ["example.com/x", "kubernetes"]


def test_names_are_dns_labels() -> None:
    with pytest.raises(StatusError) as exc:
        create("a.b")
    assert exc.value.message == 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots'


def test_unqualified_finalizer() -> None:
    with pytest.raises(StatusError) as exc:
        create("c", finalizers=["foo"])
    assert exc.value.message == ('Namespace "c" is invalid: spec.finalizers: Invalid value: "foo": name is neither a '
                                 "standard finalizer name nor is it fully qualified")


def test_updates_keep_finalizers_and_status_and_relabel() -> None:
    s = ResourceStore(MemoryStorage())
    obj = s.create(RESOURCE, None, {"metadata": {"name": "d"}}).obj
    new = copy.deepcopy(obj)
    new["spec"]["finalizers"] = []
    new["status"] = {"phase": "Terminating"}
    new["metadata"]["labels"] = {"team": "x"}
    updated = s.update(RESOURCE, None, "d", new).obj
    assert updated["spec"]["finalizers"] == ["kubernetes"]
    assert updated["status"] == {"phase": "Active"}
    assert updated["metadata"]["labels"] == {"team": "x", "kubernetes.io/metadata.name": "d"}


def test_finalize_only_takes_spec_finalizers() -> None:
    old = create("e")
    new = copy.deepcopy(old)
    new["spec"]["finalizers"] = []
    new["metadata"]["labels"] = {"changed": "yes"}
    RESOURCE.strategy.prepare_for_finalize(new, old)
    assert new["spec"] == {"finalizers": []}
    assert new["metadata"] == old["metadata"]


def test_table_and_selectable_fields() -> None:
    obj = create("f")
    obj["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
    assert TABLE.cells(obj, datetime(2025, 1, 3, tzinfo=timezone.utc)) == ["f", "Active", "2d"]
    assert RESOURCE.strategy.selectable_fields(obj) == {"metadata.name": "f", "status.phase": "Active"}
    assert RESOURCE.short_names == ("ns",) and not RESOURCE.namespaced
    assert "deletecollection" not in RESOURCE.verbs
    assert RESOURCE.subresources["finalize"].verbs == ("update",)
