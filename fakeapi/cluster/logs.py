"""Container logs kept by the simulated kubelet: one list of lines per container instance.

Implements the registry's LogSource seam: `lines(previous=True)` reads the last terminated instance,
`follow()` yields lines as they are appended until the instance ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from fakeapi.registry.podlogs import LogLine

MAX_LINES = 5000


@dataclass
class Instance:
    lines: list[LogLine] = field(default_factory=list)
    ended: bool = False
    waiters: list[asyncio.Event] = field(default_factory=list)

    def wake(self) -> None:
        for w in self.waiters:
            w.set()


class LogStore:
    def __init__(self) -> None:
        self._logs: dict[tuple[str, str, str], list[Instance]] = {}

    def reset(self, namespace: str, pod: str) -> None:
        for key in [k for k in self._logs if k[0] == namespace and k[1] == pod]:
            for inst in self._logs.pop(key):
                inst.ended = True
                inst.wake()

    def start(self, namespace: str, pod: str, container: str) -> None:
        instances = self._logs.setdefault((namespace, pod, container), [])
        if instances:
            instances[-1].ended = True
            instances[-1].wake()
        instances.append(Instance())
        del instances[:-2]

    def end(self, namespace: str, pod: str, container: str) -> None:
        instances = self._logs.get((namespace, pod, container))
        if instances:
            instances[-1].ended = True
            instances[-1].wake()

    def write(self, namespace: str, pod: str, container: str, text: str) -> None:
        instances = self._logs.setdefault((namespace, pod, container), [Instance()])
        inst = instances[-1]
        now = datetime.now(timezone.utc)
        for line in text.split("\n"):
            inst.lines.append(LogLine(now, line))
        del inst.lines[:-MAX_LINES]
        inst.wake()

    def lines(self, namespace: str, pod: str, uid: str, container: str, previous: bool) -> list[LogLine]:
        instances = self._logs.get((namespace, pod, container)) or []
        if previous:
            # the last terminated instance: the latest one once it has ended (CrashLoopBackOff), else the one before
            if instances and instances[-1].ended:
                return list(instances[-1].lines)
            return list(instances[-2].lines) if len(instances) >= 2 else []
        return list(instances[-1].lines) if instances else []

    async def follow(self, namespace: str, pod: str, uid: str, container: str) -> AsyncIterator[LogLine]:
        instances = self._logs.get((namespace, pod, container))
        if not instances:
            return
        inst = instances[-1]
        seen = len(inst.lines)
        event = asyncio.Event()
        inst.waiters.append(event)
        try:
            while True:
                while seen < len(inst.lines):
                    yield inst.lines[seen]
                    seen += 1
                if inst.ended:
                    return
                event.clear()
                await event.wait()
        finally:
            inst.waiters.remove(event)
