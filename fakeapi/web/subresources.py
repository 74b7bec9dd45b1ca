"""HTTP handlers for subresources with their own semantics: scale, log, binding, namespaces' finalize."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from fakeapi.errors import method_not_allowed_here
from fakeapi.registry import binding, podlogs, scale
from fakeapi.web import negotiation
from fakeapi.web.paths import Target
from fakeapi.web.bodies import read_body, write_options
from fakeapi.web.responses import json_response

if TYPE_CHECKING:
    from fakeapi.server import Server


async def scale_handler(server: Server, request: Request, target: Target) -> Response:
    info, ns, name = target.info, target.namespace, target.name
    if name is None:
        raise method_not_allowed_here()
    if request.method == "GET":
        return json_response(scale.to_scale(server.store.get(info, ns, name).obj))
    opts = write_options(request)
    if request.method == "PUT":
        kv = scale.update_scale(server.store, info, ns, name, await read_body(request), opts)
    elif request.method == "PATCH":
        ptype = negotiation.patch_type(request.headers.get("content-type"))
        kv = scale.patch_scale(server.store, info, ns, name, ptype, await request.body(), opts)
    else:
        raise method_not_allowed_here()
    return json_response(scale.to_scale(kv.obj))


async def finalize_handler(server: Server, request: Request, target: Target) -> Response:
    if request.method != "PUT" or target.name is None:
        raise method_not_allowed_here()
    body = await read_body(request)
    finalizers = ((body or {}).get("spec") or {}).get("finalizers") if isinstance(body, dict) else None

    def mutate(obj: dict[str, Any]) -> dict[str, Any]:
        spec = obj.setdefault("spec", {})
        if finalizers:
            spec["finalizers"] = finalizers
        else:
            spec.pop("finalizers", None)
        return obj

    kv = server.store.guaranteed_update(target.info, None, target.name, mutate, subresource="finalize",
                                        opts=write_options(request))
    return json_response(kv.obj)


async def log_handler(server: Server, request: Request, target: Target) -> Response:
    if request.method != "GET" or target.name is None:
        raise method_not_allowed_here()
    pod = server.store.get(target.info, target.namespace, target.name).obj
    opts = podlogs.LogOptions.parse(request.query_params, target.name)
    container = podlogs.choose_container(pod, opts.container)
    podlogs.check_started(pod, container, opts.previous)
    ns, uid = pod["metadata"]["namespace"], pod["metadata"].get("uid", "")
    lines = podlogs.select(server.logs.lines(ns, target.name, uid, container, opts.previous), opts,
                           datetime.now(timezone.utc))
    body = b"".join(podlogs.render(line, opts.timestamps) for line in lines)
    limit = opts.limit_bytes
    if not opts.follow or opts.previous:
        return Response(body[:limit] if limit else body, media_type="text/plain")

    async def stream() -> AsyncIterator[bytes]:
        sent = 0
        chunks: list[bytes] = [body] if body else []
        follow = server.logs.follow(ns, target.name, uid, container)
        while True:
            for chunk in chunks:
                if limit:
                    chunk = chunk[: max(0, limit - sent)]
                if chunk:
                    sent += len(chunk)
                    yield chunk
                if limit and sent >= limit:
                    return
            chunks = []
            try:
                line = await follow.__anext__()
            except (StopAsyncIteration, asyncio.CancelledError):
                return
            chunks.append(podlogs.render(line, opts.timestamps))

    return StreamingResponse(stream(), media_type="text/plain")


async def binding_handler(server: Server, request: Request, target: Target) -> Response:
    if request.method != "POST" or target.name is None or target.namespace is None:
        raise method_not_allowed_here()
    body = await read_body(request)
    node = ((body or {}).get("target") or {}).get("name", "") if isinstance(body, dict) else ""
    binding.bind(server.store, target.info, target.namespace, target.name, str(node), write_options(request))
    return json_response({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201},
                         status=201)


SubresourceHandler = Callable[["Server", Request, Target], Awaitable[Response]]
SUBRESOURCE_HANDLERS: dict[str, SubresourceHandler] = {
    "scale": scale_handler,
    "finalize": finalize_handler,
    "log": log_handler,
    "binding": binding_handler,
}
