"""`HttpxTransport`: the same `send(request) -> response` seam over an `httpx.Client`.

Used when a proxy is configured (httpx honours `proxy-url` and `HTTPS_PROXY`/`NO_PROXY`), and by tests
that inject any httpx transport (`httpx.MockTransport`, `httpx.WSGITransport`, a real server). httpx is
imported only when this transport is built.
"""

from __future__ import annotations


from fkubectl.client.errors import TransportError
from fkubectl.client.wire import USER_AGENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from collections.abc import Iterator

    import httpx

    from fkubectl.client.request import Request
    from fkubectl.config.clientconfig import ClientConfig


class HttpxResponse:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    def read(self) -> bytes:
        return self._response.read()

    def iter_chunks(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_raw()
        finally:
            self._response.close()

    def iter_lines(self) -> Iterator[bytes]:
        pending = b""
        for chunk in self.iter_chunks():
            pending += chunk
            *lines, pending = pending.split(b"\n")
            yield from lines
        if pending:
            yield pending

    def close(self) -> None:
        self._response.close()


class HttpxTransport:
    def __init__(self, base_url: str, *, transport: Any = None, config: ClientConfig | None = None) -> None:
        import httpx

        kwargs: dict[str, Any] = {"base_url": base_url, "headers": {"User-Agent": USER_AGENT}, "timeout": None}
        if transport is not None:
            kwargs["transport"] = transport
        if config is not None:
            if config.proxy_url:
                kwargs["proxy"] = config.proxy_url
            if config.server.startswith("https://"):
                from fkubectl.client.tls import context_for

                kwargs["verify"] = context_for(config)
            if config.timeout:
                kwargs["timeout"] = config.timeout
        self.base_url = base_url
        self._client = httpx.Client(**kwargs)

    def send(self, request: Request, extra_headers: dict[str, str] | None = None) -> HttpxResponse:
        import httpx

        built = self._client.build_request(request.method, request.target, content=request.body,
                                           headers={**request.headers, **(extra_headers or {})})
        try:
            return HttpxResponse(self._client.send(built, stream=True))
        except httpx.ConnectError as exc:
            refused = "refused" in str(exc).lower() or "errno 111" in str(exc).lower()
            raise TransportError(self.base_url, str(exc), refused=refused) from None
        except httpx.HTTPError as exc:
            raise TransportError(self.base_url, str(exc)) from None

    def close(self) -> None:
        self._client.close()
