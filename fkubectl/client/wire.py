"""`WireTransport`: HTTP/1.1 over a plain (or TLS) socket, using only the standard library.

Why not httpx or http.client here: `import httpx` costs ~150 ms and `import http.client` ~25 ms (it
pulls in `email` and `ssl`), while a whole `kubectl get pods` takes ~50 ms. A kubectl call needs little
of HTTP: one keep-alive connection to one server, Content-Length or chunked bodies, and streaming for
watches and `logs -f`. It uses `_socket` directly (the `socket` module's enum set-up alone costs ~4 ms);
TLS (`ssl`, and with it `socket`) is imported only for https servers. Proxies and anything exotic go
through `HttpxTransport` instead (the factory picks it), which also lets tests inject any httpx transport.
"""

from __future__ import annotations

import _socket
from urllib.parse import urlsplit

from fkubectl.client.errors import TransportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from fkubectl.client.request import Request
    from fkubectl.config.clientconfig import ClientConfig

USER_AGENT = "fkubectl/v0.1.0 (linux/amd64) kubernetes/fake"


class _Reader:
    """Buffered reads over a socket: `readline`, `read(n)` (exactly n unless EOF) and `read1(n)`."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.buf = bytearray()

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buf += data
        return True

    def readline(self, limit: int = 65537) -> bytes:
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line = bytes(self.buf[: i + 1])
                del self.buf[: i + 1]
                return line
            if len(self.buf) >= limit or not self._fill():
                line = bytes(self.buf)
                self.buf.clear()
                return line

    def read(self, n: int) -> bytes:
        while len(self.buf) < n and self._fill():
            pass
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def read1(self, n: int) -> bytes:
        if not self.buf and not self._fill():
            return b""
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def close(self) -> None:
        self.buf.clear()


class Response:
    """A response whose body is read lazily: `read()` for the whole body, `iter_chunks()` to stream."""

    def __init__(self, status: int, headers: dict[str, str], fp: Any, on_done: Any) -> None:
        self.status = status
        self.headers = headers
        self._fp = fp
        self._on_done = on_done
        self._body: bytes | None = None
        te = headers.get("transfer-encoding", "").lower()
        self._chunked = "chunked" in te
        length = headers.get("content-length")
        self._length = int(length) if length is not None and not self._chunked else None

    def iter_chunks(self) -> Iterator[bytes]:
        fp = self._fp
        complete = False
        try:
            if self._chunked:
                while True:
                    size_line = fp.readline()
                    if not size_line:
                        break
                    size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                    if size == 0:
                        while fp.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        complete = True
                        break
                    data = fp.read(size)
                    fp.readline()
                    if data:
                        yield data
            elif self._length is not None:
                remaining = self._length
                while remaining > 0:
                    data = fp.read1(min(remaining, 65536))
                    if not data:
                        break
                    remaining -= len(data)
                    yield data
                complete = remaining == 0
            else:
                while True:
                    data = fp.read1(65536)
                    if not data:
                        break
                    yield data
        finally:
            self._on_done(complete and self.headers.get("connection", "").lower() != "close")

    def iter_lines(self) -> Iterator[bytes]:
        pending = b""
        for chunk in self.iter_chunks():
            pending += chunk
            while True:
                nl = pending.find(b"\n")
                if nl < 0:
                    break
                yield pending[:nl]
                pending = pending[nl + 1:]
        if pending:
            yield pending

    def read(self) -> bytes:
        if self._body is None:
            self._body = b"".join(self.iter_chunks())
        return self._body

    def close(self) -> None:
        if self._body is None:
            self._on_done(False)


class WireTransport:
    def __init__(self, config: ClientConfig) -> None:
        self.base_url = config.server
        parts = urlsplit(config.server)
        self.scheme = parts.scheme or "http"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        self.host_header = parts.netloc
        self.config = config
        self.timeout = config.timeout
        self._sock: Any = None
        self._fp: Any = None
        self._busy = False

    def _connect(self) -> None:
        try:
            if self.scheme == "https":
                import socket

                from fkubectl.client.tls import wrap

                sock: Any = socket.create_connection((self.host, self.port), timeout=self.timeout or 30)
                sock = wrap(sock, self.config, self.host)
            else:
                sock = self._plain_connection()
        except ConnectionRefusedError:
            raise TransportError(self.base_url, "connection refused", refused=True) from None
        except _socket.gaierror:
            raise TransportError(self.base_url, f"dial tcp: lookup {self.host}: no such host") from None
        except TimeoutError:
            raise TransportError(self.base_url, f"dial tcp {self.host}:{self.port}: i/o timeout") from None
        except OSError as exc:
            raise TransportError(self.base_url, f"dial tcp {self.host}:{self.port}: {exc.strerror or exc}") from None
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        self._sock = sock
        self._fp = _Reader(sock)

    def _plain_connection(self) -> Any:
        host: str | bytes = self.host.encode("ascii") if self.host.isascii() else self.host
        error: OSError | None = None
        for family, kind, proto, _, address in _socket.getaddrinfo(host, self.port, 0, _socket.SOCK_STREAM):
            sock = _socket.socket(family, kind, proto)
            try:
                sock.settimeout(self.timeout or 30)
                sock.connect(address)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError("no addresses")

    def _release(self, reusable: bool) -> None:
        self._busy = False
        if not reusable:
            self.close()

    def send(self, request: Request, extra_headers: dict[str, str] | None = None) -> Response:
        for attempt in (0, 1):
            fresh = self._sock is None or self._busy
            if fresh:
                self.close()
                self._connect()
            try:
                return self._exchange(request, extra_headers or {})
            except (ConnectionResetError, BrokenPipeError, EOFError):
                self.close()
                if fresh or attempt:
                    raise TransportError(self.base_url, "connection reset by peer") from None
            except TimeoutError:
                self.close()
                raise TransportError(self.base_url, "net/http: request canceled (Client.Timeout exceeded "
                                                    "while awaiting headers)") from None
        raise AssertionError("unreachable")

    def _exchange(self, request: Request, extra: dict[str, str]) -> Response:
        assert self._sock is not None
        lines = [f"{request.method} {self.prefix}{request.target} HTTP/1.1", f"Host: {self.host_header}",
                 f"User-Agent: {USER_AGENT}"]
        for key, value in {**request.headers, **extra}.items():
            lines.append(f"{key}: {value}")
        body = request.body
        if body is not None or request.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self._sock.settimeout(self.timeout or 60)
        self._sock.sendall(head + body if body else head)
        fp = self._fp
        status_line = fp.readline(65537)
        if not status_line:
            raise EOFError
        parts = status_line.split(None, 2)
        status = int(parts[1])
        headers: dict[str, str] = {}
        while True:
            line = fp.readline(65537)
            if line in (b"\r\n", b"\n", b""):
                break
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if request.stream:
            self._sock.settimeout(self.timeout)
        self._busy = True
        response = Response(status, headers, fp, self._release)
        if request.method == "HEAD" or status in (204, 304):
            response._length = 0
        return response

    def close(self) -> None:
        if self._fp is not None:
            try:
                self._fp.close()
            except OSError:
                pass
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._sock = None
        self._fp = None
        self._busy = False
