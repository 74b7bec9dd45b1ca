"""Watch streams: one JSON event per line (`{"type": ..., "object": ...}`), decoded lazily.

An in-stream `ERROR` event carries a `metav1.Status`; it is raised as `ApiError` so every consumer
reports it the same way.
"""

from __future__ import annotations

import json

from fkubectl.client.errors import ApiError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from collections.abc import Iterable, Iterator


def events(lines: Iterable[bytes]) -> Iterator[tuple[str, dict[str, Any]]]:
    for line in lines:
        line = line.strip()
        if not line:
            continue
        event = json.loads(line)
        kind = event.get("type", "")
        obj = event.get("object") or {}
        if kind == "ERROR":
            raise ApiError(obj if obj.get("kind") == "Status" else {"message": str(obj), "code": 500})
        yield kind, obj
