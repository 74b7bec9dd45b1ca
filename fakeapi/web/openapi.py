"""/openapi/v3 (the index) and /openapi/v3/<api/v1|apis/group/version> (one document per group-version),
built from the served kinds by fakeapi.openapi and cached there; /openapi/v2 is a 404 by design.
fakeapi.openapi is imported on the first request: start-up does not pay for the schemas."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from fakeapi.errors import path_not_found
from fakeapi.registry.registry import Registry
from fakeapi.web.responses import json_response


@lru_cache(maxsize=8)
def _specs(registry: Registry) -> dict[tuple[str, str], tuple[Any, ...]]:
    from fakeapi.openapi import v3

    out: dict[tuple[str, str], list[v3.ResourceSpec]] = {}
    for info in registry.resources:
        spec = v3.ResourceSpec(info.plural, info.kind, info.namespaced, tuple(info.subresources), tuple(info.verbs))
        out.setdefault((info.group, info.version), []).append(spec)
    return {gv: tuple(specs) for gv, specs in out.items()}


def index(registry: Registry) -> Response:
    from fakeapi.openapi import v3

    return json_response(v3.build_index((g, v, specs) for (g, v), specs in _specs(registry).items()))


def document(registry: Registry, path: str) -> Response:
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["api"] and len(parts) == 2:
        gv = ("", parts[1])
    elif parts[:1] == ["apis"] and len(parts) == 3:
        gv = (parts[1], parts[2])
    else:
        raise path_not_found()
    specs = _specs(registry).get(gv)
    if specs is None:
        raise path_not_found()
    from fakeapi.openapi import v3

    return Response(v3.document_bytes(gv[0], gv[1], specs), media_type="application/json",
                    headers={"Cache-Control": "public, immutable", "ETag": f'"{v3.document_hash(gv[0], gv[1], specs)}"'})


def handle(registry: Registry, request: Request) -> Response:
    rest = request.scope["path"][len("/openapi/v3"):]
    if rest in ("", "/"):
        return index(registry)
    return document(registry, rest)
