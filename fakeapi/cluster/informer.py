"""Informer-style access for controllers: the current state, then every change, from the store's watch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fakeapi.registry.options import ListOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.watch import WatchEvent, watch_objects

if TYPE_CHECKING:
    from fakeapi.server import Server


async def events(server: Server, info: ResourceInfo, namespace: str | None = None,
                 label_selector: str = "") -> AsyncIterator[WatchEvent]:
    """ADDED for every existing object, then ADDED/MODIFIED/DELETED as they happen (no bookmarks)."""
    opts = ListOptions(watch=True, label_selector=label_selector)
    async for event in watch_objects(server.storage, info, namespace, opts):
        yield event


def resource(server: Server, group: str, version: str, plural: str) -> ResourceInfo:
    info = server.registry.lookup(group, version, plural)
    if info is None:
        raise LookupError(f"{plural}.{group}/{version} is not served")
    return info
