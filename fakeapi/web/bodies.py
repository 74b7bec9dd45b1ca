"""Request bodies and write options, shared by the resource and subresource handlers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from fakeapi.registry.options import WriteOptions
from fakeapi.web import negotiation


OPTIONS_KIND = {"POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions"}


def write_options(request: Request) -> WriteOptions:
    return WriteOptions.parse(request.query_params, request.headers.get("user-agent", ""),
                              OPTIONS_KIND.get(request.method, "CreateOptions"))


async def read_body(request: Request) -> Any:
    return negotiation.decode_body(await request.body(), request.headers.get("content-type"))
