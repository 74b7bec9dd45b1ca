"""Response building: Status errors, objects from stored bytes, lists streamed in chunks, Tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

from starlette.responses import Response, StreamingResponse

from fakeapi import codec
from fakeapi.errors import StatusError, bad_request
from fakeapi.registry.listing import ListResult
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.tables import INCLUDE_OBJECT, build_table
from fakeapi.storage import KeyValue

JSON = "application/json"
STREAM_CHUNK = 500


def json_response(data: Any, status: int = 200) -> Response:
    return Response(codec.dumps(data), status_code=status, media_type=JSON)


def raw_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=JSON)


def status_response(err: StatusError) -> Response:
    return Response(codec.dumps(err.status), status_code=err.code, media_type=JSON)


def success_status(info: ResourceInfo, kv: KeyValue) -> dict[str, Any]:
    meta = kv.obj["metadata"]
    details: dict[str, Any] = {"name": meta.get("name", ""), "kind": info.plural, "uid": meta.get("uid", "")}
    if info.group:
        details["group"] = info.group
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


def list_meta(result: ListResult) -> dict[str, Any]:
    meta: dict[str, Any] = {"resourceVersion": str(result.resource_version)}
    if result.continue_token:
        meta["continue"] = result.continue_token
    if result.remaining is not None:
        meta["remainingItemCount"] = result.remaining
    return meta


def list_response(info: ResourceInfo, result: ListResult) -> Response:
    head = codec.dumps({"kind": info.list_kind, "apiVersion": info.api_version,
                        "metadata": list_meta(result)})[:-1] + b',"items":['
    items = result.items
    if len(items) <= STREAM_CHUNK:
        return raw_response(head + b",".join(kv.value for kv in items) + b"]}")

    async def chunks() -> AsyncIterator[bytes]:
        yield head
        for start in range(0, len(items), STREAM_CHUNK):
            body = b",".join(kv.value for kv in items[start:start + STREAM_CHUNK])
            yield body if start == 0 else b"," + body
        yield b"]}"

    return StreamingResponse(chunks(), media_type=JSON)


def include_object_param(value: str | None) -> str:
    if value is None or value == "":
        return "Metadata"
    if value not in INCLUDE_OBJECT:
        raise bad_request(f'unrecognized includeObject value: "{value}"')
    return value


def table_response(info: ResourceInfo, objs: list[dict[str, Any]], include_object: str,
                   meta: dict[str, Any] | None = None) -> Response:
    return json_response(build_table(info.table, objs, datetime.now(timezone.utc),
                                     include_object=include_object, list_meta=meta))
