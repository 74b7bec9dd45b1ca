"""Server-set object metadata: uids, timestamps, generated names (apiserver's names.SimpleNameGenerator)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone

_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
MAX_GENERATED_BASE = 58


def new_uid() -> str:
    return str(uuid.uuid4())


def now_rfc3339() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate_name(base: str) -> str:
    return base[:MAX_GENERATED_BASE] + "".join(random.choices(_ALPHABET, k=5))
