"""The transport seam as `Protocol`s, for type checkers only (importing `typing` at run time costs ~3 ms)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from fkubectl.client.request import Request


class Response(Protocol):
    status: int
    headers: dict[str, str]

    def read(self) -> bytes: ...
    def iter_lines(self) -> Iterator[bytes]: ...
    def iter_chunks(self) -> Iterator[bytes]: ...
    def close(self) -> None: ...


class Transport(Protocol):
    def send(self, request: Request, extra_headers: dict[str, str] | None = None) -> Response: ...
    def close(self) -> None: ...
