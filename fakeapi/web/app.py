"""The Starlette application: a handful of fixed endpoints and one catch-all for the resource API.

All API paths go through the first routes and `paths.parse`, which is cheaper than a long route table
(route matching is a regex per route, per request) and keeps URL grammar in one place. Every error leaves as a v1 Status, rendered here and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from fakeapi import KUBE_VERSION
from fakeapi.errors import StatusError, internal, method_not_allowed_here, path_not_found
from fakeapi.server import Server
from fakeapi.web import discovery, openapi, resources
from fakeapi.web.paths import Discovery, parse
from fakeapi.web.responses import json_response, status_response

log = logging.getLogger("fakeapi")
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def version_info() -> dict[str, str]:
    major, minor, _ = KUBE_VERSION.lstrip("v").split(".")
    return {"major": major, "minor": minor, "emulationMajor": major, "emulationMinor": minor,
            "minCompatibilityMajor": major, "minCompatibilityMinor": str(int(minor) - 1),
            "gitVersion": KUBE_VERSION, "gitCommit": "fakeapi", "gitTreeState": "clean",
            "buildDate": "2026-11-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc",
            "platform": "linux/amd64"}


def _discovery(server: Server, request: Request, target: Discovery) -> Response:
    registry = server.registry
    if target.group is None:
        if discovery.wants_aggregated(request.headers.get("accept")):
            return Response(json_response(discovery.aggregated(registry, target.legacy_core)).body,
                            media_type=discovery.AGGREGATED_V2)
        return json_response(discovery.api_versions() if target.legacy_core else discovery.api_group_list(registry))
    doc = (discovery.resource_list(registry, target.group, target.version) if target.version
           else discovery.api_group(registry, target.group))
    if doc is None:
        raise path_not_found()
    return json_response(doc)


def create_app(server: Server) -> Starlette:
    async def api(request: Request) -> Response:
        try:
            target = parse(request.scope["path"], server.registry)
            if target is None:
                raise path_not_found()
            if isinstance(target, Discovery):
                if request.method != "GET":
                    raise method_not_allowed_here()
                return _discovery(server, request, target)
            return await resources.handle(server, request, target)
        except StatusError as err:
            return status_response(err)
        except Exception as exc:  # the apiserver turns anything unexpected into a 500 Status
            log.exception("internal error on %s %s", request.method, request.scope["path"])
            return status_response(internal(str(exc)))

    async def version(request: Request) -> Response:
        return json_response(version_info())

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def openapi_v2(request: Request) -> Response:
        return status_response(path_not_found())

    async def openapi_v3(request: Request) -> Response:
        try:
            return openapi.handle(server.registry, request)
        except StatusError as err:
            return status_response(err)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await server.start()
        try:
            yield
        finally:
            await server.stop()

    routes = [
        Route("/api/{path:path}", api, methods=ALL_METHODS), Route("/apis/{path:path}", api, methods=ALL_METHODS),
        Route("/api", api, methods=ALL_METHODS), Route("/apis", api, methods=ALL_METHODS),
        Route("/version", version), Route("/version/", version),
        Route("/healthz", health), Route("/livez", health), Route("/readyz", health),
        Route("/openapi/v2", openapi_v2),
        Route("/openapi/v3", openapi_v3), Route("/openapi/v3/{path:path}", openapi_v3),
        Route("/{path:path}", api, methods=ALL_METHODS),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    return app
