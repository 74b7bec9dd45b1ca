from __future__ import annotations

from datetime import datetime, timezone

from fakeapi.registry.store import ResourceStore
from fakeapi.resources.core_v1 import namespaces
from fakeapi.resources.core_v1.serviceaccounts import RESOURCE, TABLE
from fakeapi.storage import MemoryStorage


def test_create_keeps_the_object_as_sent() -> None:
    s = ResourceStore(MemoryStorage())
    s.create(namespaces.RESOURCE, None, {"metadata": {"name": "default"}})
    obj = s.create(RESOURCE, "default", {"metadata": {"name": "builder"}}).obj
    assert set(obj) == {"apiVersion", "kind", "metadata"} and "generation" not in obj["metadata"]


def test_table_and_discovery() -> None:
    obj = {"metadata": {"name": "default", "creationTimestamp": "2025-01-01T00:00:00Z"}, "secrets": [{"name": "t"}]}
    assert TABLE.cells(obj, datetime(2025, 1, 1, 1, tzinfo=timezone.utc)) == ["default", 1, "60m"]
    assert [c.name for c in TABLE.columns] == ["Name", "Secrets", "Age"]
    assert RESOURCE.short_names == ("sa",) and RESOURCE.return_deleted_object
    token = RESOURCE.subresources["token"]
    assert (token.kind, token.group, token.version, token.verbs) == ("TokenRequest", "authentication.k8s.io", "v1",
                                                                     ("create",))
