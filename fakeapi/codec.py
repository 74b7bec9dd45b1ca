"""JSON encoding for the whole server: orjson, chosen because encode/decode sits on every hot path.

`dumps` returns bytes (what storage and responses want); `loads` accepts bytes or str.
A decode of stored bytes is also the cheapest deep copy of an object, which is why the store uses
`loads(kv.value)` instead of `copy.deepcopy` before a read-modify-write.
"""

from __future__ import annotations

from typing import Any

import orjson

JSONDecodeError = orjson.JSONDecodeError


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def deepcopy(obj: Any) -> Any:
    return orjson.loads(orjson.dumps(obj))
