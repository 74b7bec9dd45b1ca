"""Template hashes and int-or-percent arithmetic, as pkg/controller and apimachinery's intstr compute them.

- `compute_hash` is ComputeHash: FNV-1a (32 bit) of the pod template, plus the collision count as 8
  little-endian bytes, printed in decimal and "safe encoded" (each digit mapped into
  "bcdfghjklmnpqrstvwxz2456789"), which is why the suffixes of ReplicaSet names look like `6b56887c44`.
  Upstream hashes a Go dump of the typed struct; this hashes the template's canonical JSON with empty
  values dropped, so equal templates (as apiequality.Semantic sees them) hash equally.
- `revision_hash` is HashControllerRevision: FNV-1 of the revision data, plus the probe as text.
- `scaled_value` is GetScaledValueFromIntOrPercent (percentages of a total, rounded up or down).
"""

from __future__ import annotations

import math
import struct
from typing import Any

from fakeapi import codec
from fakeapi.resources.core_v1.common import semantic

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
MASK = 0xFFFFFFFF


def fnv32a(data: bytes, h: int = FNV_OFFSET) -> int:
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK
    return h


def fnv32(data: bytes, h: int = FNV_OFFSET) -> int:
    for byte in data:
        h = ((h * FNV_PRIME) & MASK) ^ byte
    return h


def safe_encode(text: str) -> str:
    return "".join(ALPHANUMS[ord(ch) % len(ALPHANUMS)] for ch in text)


def canonical(value: Any) -> bytes:
    return codec.dumps(_sorted(semantic(value)))


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def compute_hash(template: Any, collision_count: int | None) -> str:
    h = fnv32a(canonical(template))
    if collision_count is not None:
        h = fnv32a(struct.pack("<Q", collision_count & MASK), h)
    return safe_encode(str(h))


def revision_hash(data: Any, probe: int | None) -> str:
    h = fnv32(codec.dumps(_sorted(data)))
    if probe is not None:
        h = fnv32(str(probe).encode(), h)
    return safe_encode(str(h))


def scaled_value(value: Any, total: int, *, round_up: bool) -> int:
    """An int as it is; "N%" as N% of total, rounded up or down; anything else counts as 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%") and text[:-1].isdigit():
            exact = int(text[:-1]) * total / 100
            return math.ceil(exact) if round_up else math.floor(exact)
        if text.lstrip("+-").isdigit():
            return int(text)
    return 0


def round_half_away(x: float) -> int:
    """Go's math.Round."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))
