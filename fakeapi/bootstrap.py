"""What exists in a fresh cluster before anyone writes: the four system namespaces."""

from __future__ import annotations

from fakeapi.errors import StatusError
from fakeapi.registry.registry import Registry
from fakeapi.registry.store import ResourceStore

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


def ensure_system_namespaces(store: ResourceStore, registry: Registry) -> None:
    info = registry.lookup("", "v1", "namespaces")
    assert info is not None
    for name in SYSTEM_NAMESPACES:
        if store.storage.get(info.key(None, name)) is None:
            try:
                store.create(info, None, {"metadata": {"name": name}})
            except StatusError as exc:
                if exc.reason != "AlreadyExists":
                    raise
