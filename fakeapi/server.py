"""The composition root: storage + registry + ResourceStore (+ the cluster simulation), with a lifecycle.

`Server` is what the web layer serves and what tests embed; `start()` bootstraps the system namespaces and
starts background controllers, `stop()` ends every watch and closes storage.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.cluster import default_controllers
from fakeapi.config import Config, default_data_dir
from fakeapi.registry.podlogs import LogSource, NoLogs
from fakeapi.registry.registry import Registry
from fakeapi.registry.store import ResourceStore
from fakeapi.resources import default_registry
from fakeapi.storage import MemoryStorage, SqliteStorage, Storage

Controller = Callable[["Server"], Coroutine[Any, Any, None]]


def open_storage(config: Config) -> Storage:
    if config.storage == "memory":
        return MemoryStorage(window=config.watch_window)
    if config.storage == "sqlite":
        return SqliteStorage(config.data_dir or default_data_dir(), window=config.watch_window)
    raise ValueError(f"unknown storage backend {config.storage!r} (choose sqlite or memory)")


class Server:
    def __init__(self, config: Config | None = None, *, registry: Registry | None = None,
                 controllers: list[Controller] | None = None) -> None:
        self.config = config or Config()
        self.registry = registry or default_registry()
        self.storage = open_storage(self.config)
        self.store = ResourceStore(self.storage)
        self.logs: LogSource = NoLogs()
        self._wire_allocators()
        self._controllers = list(default_controllers() if controllers is None else controllers)
        self._tasks: list[asyncio.Task[None]] = []

    def _wire_allocators(self) -> None:
        """Service cluster IPs and node ports must be unique: give the strategy what is taken."""
        services = self.registry.lookup("", "v1", "services")
        if services is None or not hasattr(services.strategy, "in_use"):
            return

        def in_use() -> tuple[set[str], set[int]]:
            ips: set[str] = set()
            ports: set[int] = set()
            for kv in self.storage.scan(services.key_prefix()):
                spec = kv.obj.get("spec") or {}
                ips.update(ip for ip in spec.get("clusterIPs") or [] if ip and ip != "None")
                ports.update(p["nodePort"] for p in spec.get("ports") or [] if p.get("nodePort"))
            return ips, ports

        services.strategy.in_use = in_use  # type: ignore[union-attr]

    async def start(self) -> None:
        ensure_system_namespaces(self.store, self.registry)
        for controller in self._controllers:
            self._tasks.append(asyncio.create_task(controller(self)))

    def stop_watches(self) -> None:
        self.storage.stop_watches()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self._tasks.clear()
        self.storage.close()
