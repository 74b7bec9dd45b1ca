"""`Client`: sends `Request`s through a transport, adds credentials, turns >=400 into `ApiError`.

Transports are injected (`WireTransport` by default, `HttpxTransport` for proxies and tests); they only
need `send(request, extra_headers) -> response` with `status`, `headers`, `read()`, `iter_lines()`.
"""

from __future__ import annotations

import json

from fkubectl.client.errors import ApiError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from fkubectl.client.protocols import Response, Transport
    from fkubectl.client.request import Request


class Client:
    """`verbosity` >= 6 logs each response on stderr the way kubectl's `-v=6` does."""

    def __init__(self, transport: Transport, *, auth_headers: dict[str, str] | None = None, verbosity: int = 0,
                 base_url: str = "", log: Any = None) -> None:
        self.transport = transport
        self.auth_headers = auth_headers or {}
        self.verbosity = verbosity
        self.base_url = base_url
        self.log = log

    def send(self, request: Request) -> Response:
        if self.verbosity >= 6:
            return self._logged(request)
        response = self.transport.send(request, self.auth_headers)
        if response.status >= 400:
            body = response.read()
            raise ApiError.from_response(response.status, body, method=request.method,
                                         resource=request.resource, name=request.name)
        return response

    def _logged(self, request: Request) -> Response:
        import os
        import time
        from http import HTTPStatus

        start = time.monotonic()
        response = self.transport.send(request, self.auth_headers)
        elapsed = int((time.monotonic() - start) * 1000)
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        now = time.time()
        stamp = time.strftime("%m%d %H:%M:%S", time.localtime(now)) + f".{int(now % 1 * 1e6):06d}"
        if self.log is not None:
            self.log.write(f'I{stamp} {os.getpid():>7} round_trippers.go:632] "Response" verb="{request.method}" '
                           f'url="{self.base_url}{request.target}" status="{response.status} {phrase}" '
                           f"milliseconds={elapsed}\n")
        if response.status >= 400:
            body = response.read()
            raise ApiError.from_response(response.status, body, method=request.method,
                                         resource=request.resource, name=request.name)
        return response

    def json(self, request: Request) -> Any:
        body = self.send(request).read()
        return json.loads(body) if body else None

    def raw(self, request: Request) -> bytes:
        return self.send(request).read()

    def lines(self, request: Request) -> Iterator[bytes]:
        response = self.send(request)
        try:
            yield from response.iter_lines()
        finally:
            response.close()

    def chunks(self, request: Request) -> Iterator[bytes]:
        response = self.send(request)
        try:
            yield from response.iter_chunks()
        finally:
            response.close()

    def close(self) -> None:
        self.transport.close()
