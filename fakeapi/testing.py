"""Run a fakeapi server inside the current process, on a background thread, for tests.

`RunningServer` binds 127.0.0.1 on a free port with in-memory storage by default, is ready in a few tens
of milliseconds, writes a kubeconfig pointing at itself, and stops when the context exits.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fakeapi.config import Config
from fakeapi.kubeconfig import write_context
from fakeapi.server import Server


async def _cancel_leftovers() -> None:
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    config: Config = field(default_factory=lambda: Config(storage="memory"))
    server_kwargs: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    kubeconfig: Path = Path()
    server: Server | None = None
    _thread: threading.Thread | None = None
    _uvicorn: Any = None
    _tmp: Any = None
    _loop: asyncio.AbstractEventLoop | None = None

    def __enter__(self) -> RunningServer:
        import uvicorn

        from fakeapi.web.app import create_app

        if not self.config.port or self.config.port == 8080:
            self.config.port = free_port()
        self.server = Server(self.config, **self.server_kwargs)
        app = create_app(self.server)
        uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.config.port, log_level="warning",
                                           lifespan="on", access_log=False, timeout_graceful_shutdown=1))
        uv.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._uvicorn = uv
        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            loop.run_until_complete(uv.serve())
            loop.run_until_complete(_cancel_leftovers())  # what asyncio.run does before closing its loop
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready = threading.Event()
        for _ in range(500):
            if uv.started:
                ready.set()
                break
            if not self._thread.is_alive():
                break
            threading.Event().wait(0.01)
        if not ready.is_set():
            raise RuntimeError("fakeapi test server did not start")
        self.url = f"http://127.0.0.1:{self.config.port}"
        self._tmp = tempfile.TemporaryDirectory(prefix="fakeapi-")
        self.kubeconfig = write_context(Path(self._tmp.name) / "kubeconfig", self.url)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._uvicorn is not None:
            if self.server is not None and self._loop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self.server.stop_watches)
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._tmp is not None:
            self._tmp.cleanup()
