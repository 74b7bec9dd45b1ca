"""Namespace controller: empties a namespace whose deletion has begun, then finalizes it.

A deleted namespace stays (phase Terminating, spec.finalizers ["kubernetes"]) while this controller
deletes every namespaced object in it, waiting for graceful pod deletion to complete; then it removes
the "kubernetes" finalizer, upon which the store removes the namespace.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.informer import events, resource
from fakeapi.errors import StatusError
from fakeapi.registry.options import DeleteOptions, ListOptions
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.server import Server

POLL_SECONDS = 0.1


async def namespace_controller(server: Server) -> None:
    info = resource(server, "", "v1", "namespaces")
    running: dict[str, asyncio.Task[None]] = {}
    try:
        async for event in events(server, info):
            name = event.obj["metadata"]["name"]
            if event.type == DELETED or not event.obj["metadata"].get("deletionTimestamp"):
                continue
            task = running.get(name)
            if task is None or task.done():
                running[name] = asyncio.create_task(_empty_and_finalize(server, name))
    finally:
        for task in running.values():
            task.cancel()


async def _empty_and_finalize(server: Server, namespace: str) -> None:
    while _delete_content(server, namespace):
        await asyncio.sleep(POLL_SECONDS)
    info = resource(server, "", "v1", "namespaces")

    def drop_kubernetes_finalizer(obj: dict[str, Any]) -> dict[str, Any]:
        spec = obj.setdefault("spec", {})
        remaining = [f for f in spec.get("finalizers") or [] if f != "kubernetes"]
        if remaining:
            spec["finalizers"] = remaining
        else:
            spec.pop("finalizers", None)
        return obj

    try:
        server.store.guaranteed_update(info, None, namespace, drop_kubernetes_finalizer, subresource="finalize")
    except StatusError as exc:
        if exc.code != 404:
            raise


def _delete_content(server: Server, namespace: str) -> int:
    """Start deletion of everything left in the namespace; the number of objects still present."""
    remaining = 0
    background = DeleteOptions(propagation_policy="Background")
    for info in server.registry.namespaced():
        for kv in server.store.list(info, namespace, ListOptions()).items:
            remaining += 1
            meta = kv.obj["metadata"]
            if meta.get("deletionTimestamp"):
                continue
            try:
                server.store.delete(info, namespace, meta["name"], background)
            except StatusError as exc:
                if exc.code not in (404, 409):
                    raise
    return remaining
