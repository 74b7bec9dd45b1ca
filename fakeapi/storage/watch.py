"""The watch cache: a bounded window of recent events and the fan-out to live watchers.

Events older than the window are compacted away; a watch that starts before the window raises
CompactedError, which the API layer turns into the in-stream 410 "too old resource version". A watcher
registers and replays the window in one synchronous step, so no event can fall between replay and
live delivery. A watcher that falls `max_queue` events behind is stopped, as the apiserver drops slow
watchers, rather than letting memory grow without bound.
"""

from __future__ import annotations

import asyncio
from collections import deque

from fakeapi.storage.interface import CompactedError, Event, FutureRevisionError


class QueueWatcher:
    def __init__(self, hub: WatchHub, prefix: str, max_queue: int) -> None:
        self._hub = hub
        self.prefix = prefix
        self._queue: deque[Event] = deque()
        self._max_queue = max_queue
        self._wakeup: asyncio.Event | None = None
        self._stopped = False

    def push(self, event: Event) -> None:
        if self._stopped:
            return
        if len(self._queue) >= self._max_queue:
            self.stop()
            return
        self._queue.append(event)
        if self._wakeup is not None:
            self._wakeup.set()

    async def next(self, timeout: float | None = None) -> Event | None:
        while not self._queue:
            if self._stopped:
                return None
            if self._wakeup is None:
                self._wakeup = asyncio.Event()
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), timeout)
            except TimeoutError:
                return None
        return self._queue.popleft()

    def pending(self) -> list[Event]:
        events = list(self._queue)
        self._queue.clear()
        return events

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._hub.remove(self)
            if self._wakeup is not None:
                self._wakeup.set()

    @property
    def stopped(self) -> bool:
        return self._stopped


class WatchHub:
    def __init__(self, window: int = 20000, max_queue: int = 100000) -> None:
        self._history: deque[Event] = deque()
        self._window = window
        self._max_queue = max_queue
        self._watchers: set[QueueWatcher] = set()
        self.compacted_revision = 0

    def record(self, event: Event) -> None:
        self._history.append(event)
        if len(self._history) > self._window:
            self.compacted_revision = self._history.popleft().revision
        key = event.kv.key
        for w in tuple(self._watchers):
            if key.startswith(w.prefix):
                w.push(event)

    def seed(self, events: list[Event], compacted_revision: int) -> None:
        """Restore the window after a restart (events in revision order)."""
        self._history = deque(events[-self._window:])
        dropped = events[: max(0, len(events) - self._window)]
        self.compacted_revision = max(compacted_revision, dropped[-1].revision if dropped else 0)

    def watch(self, prefix: str, after_rev: int, current_rev: int) -> QueueWatcher:
        if after_rev < self.compacted_revision:
            raise CompactedError(after_rev, self.compacted_revision)
        if after_rev > current_rev:
            raise FutureRevisionError(after_rev, current_rev)
        w = QueueWatcher(self, prefix, self._max_queue)
        if after_rev < current_rev:
            for event in self._replay(after_rev):
                if event.kv.key.startswith(prefix):
                    w.push(event)
        self._watchers.add(w)
        return w

    def since(self, after_rev: int) -> list[Event]:
        return self._replay(after_rev)

    def _replay(self, after_rev: int) -> list[Event]:
        history = self._history
        lo, hi = 0, len(history)
        while lo < hi:
            mid = (lo + hi) // 2
            if history[mid].revision <= after_rev:
                lo = mid + 1
            else:
                hi = mid
        return [history[i] for i in range(lo, len(history))]

    def compact(self, revision: int) -> None:
        while self._history and self._history[0].revision <= revision:
            self._history.popleft()
        self.compacted_revision = max(self.compacted_revision, revision)

    def remove(self, w: QueueWatcher) -> None:
        self._watchers.discard(w)

    def stop_all(self) -> None:
        for w in tuple(self._watchers):
            w.stop()

    @property
    def watcher_count(self) -> int:
        return len(self._watchers)
