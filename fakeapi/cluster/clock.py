"""Simulated time for the cluster: delays shrink by `speed`, timestamps stay on the wall clock.

Keeping timestamps real means ages printed by any client (computed from its own clock) stay right;
only the waits inside the simulation (image pulls, probe periods, back-offs) run `speed` times faster.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone


class SimClock:
    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)

    def real_seconds(self, seconds: float) -> float:
        return max(0.0, seconds) / self.speed

    @staticmethod
    def now() -> datetime:
        return datetime.now(timezone.utc)
