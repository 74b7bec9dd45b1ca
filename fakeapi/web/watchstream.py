"""Watch over HTTP: newline-delimited JSON events, one per line, flushed as they happen.

Errors that arise once the stream is accepted (a too-old resourceVersion) are sent in-stream as an
ERROR event carrying a Status, as the apiserver does; clients only retry on that form. With a Table
Accept header each event's object is a one-row Table, column definitions only on the first event.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import StreamingResponse

from fakeapi import codec
from fakeapi.registry.listing import make_filter
from fakeapi.registry.options import ListOptions
from fakeapi.registry.tables import build_table
from fakeapi.registry.watch import BOOKMARK, ERROR, WatchEvent, watch_objects
from fakeapi.web import negotiation
from fakeapi.web.paths import Target
from fakeapi.web.responses import include_object_param

if TYPE_CHECKING:
    from fakeapi.server import Server

DEFAULT_MIN_REQUEST_TIMEOUT = 1800


async def watch_response(server: Server, request: Request, target: Target, opts: ListOptions) -> StreamingResponse:
    if opts.timeout_seconds is None:
        opts.timeout_seconds = random.randint(DEFAULT_MIN_REQUEST_TIMEOUT, 2 * DEFAULT_MIN_REQUEST_TIMEOUT)
    make_filter(target.info, opts.label_selector, opts.field_selector)  # a bad selector is a 400, not a broken stream
    accept = request.headers.get("accept")
    as_table = bool(accept and "as=Table" in accept and negotiation.wants_table(accept))
    include = include_object_param(request.query_params.get("includeObject")) if as_table else "Metadata"
    events = watch_objects(server.storage, target.info, target.namespace, opts,
                           bookmark_interval=server.config.bookmark_interval)
    return StreamingResponse(_lines(events, target, as_table, include), media_type="application/json")


async def _lines(events: AsyncIterator[WatchEvent], target: Target, as_table: bool, include: str) -> AsyncIterator[bytes]:
    first = True
    async for ev in events:
        if as_table and ev.type not in (BOOKMARK, ERROR):
            table = build_table(target.info.table, [ev.obj], datetime.now(timezone.utc), include_object=include,
                                list_meta={"resourceVersion": ev.obj["metadata"].get("resourceVersion", "")},
                                no_headers=not first)
            first = False
            body = codec.dumps(table)
        else:
            body = ev.object_bytes()
        yield b'{"type":"' + ev.type.encode() + b'","object":' + body + b"}\n"
