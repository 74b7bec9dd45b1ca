"""The framework floor for bench_server.py: the least a Starlette + uvicorn server can do for the same requests.

Run as `python bench/floor_app.py --port N`. Same uvicorn settings as `fakeapi serve` (uvloop, httptools,
access log off, log level warning, lifespan on). It serves:

  GET  /readyz                                   "ok" (start-up probe)
  POST /__bench/canned  (header x-bench-key: K)  store the body as the canned response for key K
  GET  /api/v1/namespaces/{ns}/pods/{name}       canned bytes for key "pod/{name}" (else the stored object)
  GET  /api/v1/namespaces/{ns}/pods[?query]      canned bytes for key "list?{query}"; ?watch=1 streams events
  POST /api/v1/namespaces/{ns}/pods              toy create: parse, stamp uid/resourceVersion, keep, broadcast
  PATCH /api/v1/namespaces/{ns}/pods/{name}      toy merge patch of metadata.labels, broadcast MODIFIED

Nothing here validates or defaults anything: it is a reference for "the framework's own cost".
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import uuid
from datetime import datetime, timezone

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

JSON = "application/json"
canned: dict[str, bytes] = {}
objects: dict[str, dict] = {}
watchers: set[asyncio.Queue[bytes | None]] = set()
revision = itertools.count(100)


def _not_found() -> Response:
    return Response(b'{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}',
                    status_code=404, media_type=JSON)


def _broadcast(kind: bytes, body: bytes) -> None:
    line = b'{"type":"' + kind + b'","object":' + body + b"}\n"
    for queue in watchers:
        queue.put_nowait(line)


async def readyz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def put_canned(request: Request) -> Response:
    canned[request.headers["x-bench-key"]] = await request.body()
    return Response(b"", status_code=204)


async def pod(request: Request) -> Response:
    name = request.path_params["name"]
    if request.method == "GET":
        body = canned.get("pod/" + name)
        if body is None:
            obj = objects.get(name)
            if obj is None:
                return _not_found()
            body = orjson.dumps(obj)
        return Response(body, media_type=JSON)
    obj = objects.get(name)  # PATCH
    if obj is None:
        return _not_found()
    patch = orjson.loads(await request.body())
    labels = ((patch.get("metadata") or {}).get("labels")) or {}
    obj["metadata"].setdefault("labels", {}).update(labels)
    obj["metadata"]["resourceVersion"] = str(next(revision))
    body = orjson.dumps(obj)
    _broadcast(b"MODIFIED", body)
    return Response(body, media_type=JSON)


async def pods(request: Request) -> Response:
    if request.method == "POST":
        obj = orjson.loads(await request.body())
        meta = obj.setdefault("metadata", {})
        meta["namespace"] = request.path_params["ns"]
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        meta["resourceVersion"] = str(next(revision))
        if meta.get("name") in objects:
            return Response(b'{"kind":"Status","code":409}', status_code=409, media_type=JSON)
        objects[meta["name"]] = obj
        body = orjson.dumps(obj)
        _broadcast(b"ADDED", body)
        return Response(body, status_code=201, media_type=JSON)
    query = request.scope["query_string"].decode()
    if request.query_params.get("watch") in ("1", "true"):
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        watchers.add(queue)

        async def stream():  # type: ignore[no-untyped-def]
            try:
                while True:
                    line = await queue.get()
                    if line is None:
                        return
                    yield line
            finally:
                watchers.discard(queue)

        return StreamingResponse(stream(), media_type=JSON)
    body = canned.get("list?" + query)
    return _not_found() if body is None else Response(body, media_type=JSON)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = Starlette(routes=[
        Route("/readyz", readyz),
        Route("/__bench/canned", put_canned, methods=["POST"]),
        Route("/api/v1/namespaces/{ns}/pods/{name}", pod, methods=["GET", "PATCH"]),
        Route("/api/v1/namespaces/{ns}/pods", pods, methods=["GET", "POST"]),
    ])

    class _Server(uvicorn.Server):
        def handle_exit(self, sig, frame):  # type: ignore[no-untyped-def]
            for queue in watchers:
                queue.put_nowait(None)
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=3, loop="uvloop", http="httptools")
    try:
        _Server(config).run()  # run(), not asyncio.run(serve()): run() is what applies loop="uvloop"
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
