"""A real `fakeapi serve` process for end-to-end tests.

`ServerProcess` runs `python -m fakeapi serve --port <free> --storage sqlite --data-dir <dir>` bound to
127.0.0.1, waits for its `ready` line, and records everything it prints. `stop()` sends SIGTERM (or
SIGINT) and asserts a clean exit within a few seconds. The module-scoped `server` fixture shares one
process per test module; `start_server` starts extra ones and kills any left running.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from fakeapi.testing import free_port

READY_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0


class ServerProcess:
    def __init__(self, data_dir: Path, *, storage: str = "sqlite", port: int | None = None) -> None:
        self.data_dir = data_dir
        self.storage = storage
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.stderr_lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fakeapi", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--storage", storage, "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines, True), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr_lines, False), daemon=True).start()

    def _pump(self, stream, sink: list[str], signal_lines: bool) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            sink.append(line.rstrip("\n"))
            if signal_lines:
                self._queue.put(line)
        if signal_lines:
            self._queue.put(None)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> ServerProcess:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise AssertionError(f"fakeapi did not print a ready line in {timeout}s: {self.output()}")
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"fakeapi exited before it was ready ({self.proc.wait()}): {self.output()}")
            if "ready" in line:
                return self

    def output(self) -> str:
        return "\n".join(self.lines + ["--- stderr ---"] + self.stderr_lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Send `sig`, assert the process ends on its own within `timeout` with status 0."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"fakeapi did not exit within {timeout}s of signal {sig}: {self.output()}") from None
        assert code == 0, f"fakeapi exited with {code}: {self.output()}"
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def wait_exit(self, timeout: float = STOP_TIMEOUT) -> int:
        return self.proc.wait(timeout=timeout)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, **kwargs)  # type: ignore[arg-type]


StartServer = Callable[..., ServerProcess]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    started: list[ServerProcess] = []

    def _start(data_dir: Path | None = None, *, storage: str = "sqlite", ready: bool = True,
               port: int | None = None) -> ServerProcess:
        p = ServerProcess(data_dir or tmp_path / f"data{len(started)}", storage=storage, port=port)
        started.append(p)
        return p.wait_ready() if ready else p

    yield _start
    for p in started:
        p.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One sqlite-backed server process per test module; stopped with SIGTERM, which must be clean."""
    p = ServerProcess(tmp_path_factory.mktemp("fakeapi-data")).wait_ready()
    try:
        yield p
    finally:
        p.stop(signal.SIGTERM)


@pytest.fixture(scope="module")
def client(server: ServerProcess) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c
