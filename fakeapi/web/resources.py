"""The resource endpoint: maps an HTTP verb on a parsed Target to a ResourceStore call.

GET item/collection (list or watch), POST create, PUT update, PATCH, DELETE item/collection, with the
`/status` subresource routed to the status strategy. Subresources with their own semantics (scale,
log, finalize) are looked up in subresources.SUBRESOURCE_HANDLERS so this module stays verb-generic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from fakeapi import codec
from fakeapi.errors import bad_request, method_not_allowed, method_not_allowed_here, path_not_found
from fakeapi.registry.options import DeleteOptions, ListOptions
from fakeapi.web import negotiation
from fakeapi.web.bodies import read_body, write_options
from fakeapi.web.paths import Target
from fakeapi.web.responses import (
    include_object_param,
    json_response,
    list_meta,
    list_response,
    raw_response,
    success_status,
    table_response,
)
from fakeapi.web.subresources import SUBRESOURCE_HANDLERS
from fakeapi.web.watchstream import watch_response

if TYPE_CHECKING:
    from fakeapi.server import Server


async def handle(server: Server, request: Request, target: Target) -> Response:
    sub = target.subresource
    if sub and sub != "status":
        handler = SUBRESOURCE_HANDLERS.get(sub)
        if handler is None:
            raise method_not_allowed(request.method.lower(), target.info.plural, target.info.group)
        return await handler(server, request, target)
    verb = _verb(request.method, target)
    if verb is None or verb not in target.info.verbs or (
            target.info.namespaced and target.namespace is None and verb not in ("list", "watch", "get")):
        raise method_not_allowed_here()
    if target.info.namespaced and target.namespace is None and target.name is not None:
        raise path_not_found()
    return await VERB_HANDLERS[verb](server, request, target)


def _verb(method: str, target: Target) -> str | None:
    """The apiserver verb for an HTTP method on a collection or an item."""
    item = target.name is not None
    if method in ("GET", "HEAD"):
        return "get" if item else "list"
    return {("POST", False): "create", ("PUT", True): "update", ("PATCH", True): "patch",
            ("DELETE", True): "delete", ("DELETE", False): "deletecollection"}.get((method, item))


def _answer(request: Request, target: Target, obj: dict[str, Any], raw: bytes | None, status: int = 200) -> Response:
    accept = request.headers.get("accept")
    if accept and "as=Table" in accept and negotiation.wants_table(accept):
        include = request.query_params.get("includeObject") if request.scope["query_string"] else None
        return table_response(target.info, [obj], include_object_param(include))
    return raw_response(raw, status) if raw is not None else json_response(obj, status)


async def _get(server: Server, request: Request, target: Target) -> Response:
    info = target.info
    opts: ListOptions | None = None
    if target.name is None or target.legacy_watch or b"watch" in request.scope["query_string"]:
        opts = ListOptions.parse(request.query_params)  # a plain GET of one object parses no query at all
    if target.name is not None and not target.legacy_watch and not (opts is not None and opts.watch):
        kv = server.store.get(info, target.namespace, target.name)
        return _answer(request, target, kv.obj, kv.value)
    assert opts is not None
    q = request.query_params
    if target.name is not None:
        name_sel = f"metadata.name={target.name}"
        opts.field_selector = f"{opts.field_selector},{name_sel}" if opts.field_selector else name_sel
    if opts.watch or target.legacy_watch:
        opts.watch = True
        return await watch_response(server, request, target, opts)
    result = server.store.list(info, target.namespace, opts)
    accept = request.headers.get("accept")
    if accept and "as=Table" in accept and negotiation.wants_table(accept):
        return table_response(info, [kv.obj for kv in result.items],
                              include_object_param(q.get("includeObject")), list_meta(result))
    return list_response(info, result)


def _warn(response: Response, warnings: list[str]) -> Response:
    """Warning headers as the apiserver sends them: `299 - "<text>"`, one per warning."""
    for text in warnings:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        response.headers.append("Warning", f'299 - "{escaped}"')
    return response


async def _create(server: Server, request: Request, target: Target) -> Response:
    obj = await read_body(request)
    opts = write_options(request)
    kv = server.store.create(target.info, target.namespace, obj, opts)
    return _warn(_answer(request, target, kv.obj, kv.value if kv.mod_rev else None, 201), opts.warnings)


async def _update(server: Server, request: Request, target: Target) -> Response:
    assert target.name is not None
    obj = await read_body(request)
    opts = write_options(request)
    kv = server.store.update(target.info, target.namespace, target.name, obj,
                             subresource=target.subresource, opts=opts)
    return _warn(_answer(request, target, kv.obj, kv.value), opts.warnings)


async def _patch(server: Server, request: Request, target: Target) -> Response:
    assert target.name is not None
    ptype = negotiation.patch_type(request.headers.get("content-type"))
    opts = write_options(request)
    opts.check_patch(ptype == negotiation.patching.APPLY)
    body = await request.body()
    kv, created = server.store.patch(target.info, target.namespace, target.name, ptype, body,
                                     subresource=target.subresource, opts=opts)
    return _warn(_answer(request, target, kv.obj, kv.value, 201 if created else 200), opts.warnings)


async def _delete(server: Server, request: Request, target: Target) -> Response:
    raw = await request.body()
    body = None
    if raw.strip():
        try:
            body = codec.loads(raw)
        except codec.JSONDecodeError as exc:
            raise bad_request(f"couldn't get version/kind; json parse error: {exc}") from None
    opts = DeleteOptions.parse(request.query_params, body)
    info = target.info
    if target.name is None:
        list_opts = ListOptions.parse(request.query_params)
        deleted = server.store.delete_collection(info, target.namespace, list_opts, opts)
        return json_response({"kind": info.list_kind, "apiVersion": info.api_version,
                              "metadata": {"resourceVersion": str(server.storage.revision)},
                              "items": [kv.obj for kv in deleted]})
    result = server.store.delete(info, target.namespace, target.name, opts)
    if result.deleted and not info.return_deleted_object:
        return json_response(success_status(info, result.kv))
    status = 202 if (not result.deleted and opts.orphan_dependents is False) else 200
    return raw_response(result.kv.value, status) if result.kv.mod_rev else json_response(result.kv.obj, status)


VERB_HANDLERS = {"get": _get, "list": _get, "create": _create, "update": _update, "patch": _patch,
                 "delete": _delete, "deletecollection": _delete}
