"""Shared fixtures for the conformance suite: real clients (kubectl 1.37, kubernetes, kr8s, lightkube)
against an in-process fakeapi server.

Servers are module-scoped: one simulated cluster (`cluster`, speed 50) or one bare API server (`api`,
no simulation) per test module, so the whole suite stays fast. Every wait is bounded (`wait_until`).
kubectl always runs with `--kubeconfig` and a fresh `KUBECACHEDIR` per module, because its 6h disk
discovery cache is keyed by host:port and a port can be reused by the next module's server.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.05,
               what: str = "condition") -> T:
    """Poll `predicate` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = predicate()
        except Exception as exc:  # noqa: BLE001 - a transient error is just "not yet"
            last = exc
        else:
            if last:
                return last
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")
        time.sleep(interval)


def table_lines(text: str) -> list[list[str]]:
    """Split kubectl's column output into cells: columns are padded with at least 3 spaces, cells never hold 2."""
    import re

    return [re.split(r"\s{2,}", line.rstrip()) for line in text.splitlines() if line.strip()]


class Kubectl:
    """The real kubectl binary pointed at one server, with its own discovery cache directory."""

    def __init__(self, server: RunningServer, workdir: Path) -> None:
        assert KUBECTL is not None
        self.binary = KUBECTL
        self.server = server
        self.workdir = workdir
        self.cache = workdir / "kubecache"
        self.env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "KUBECACHEDIR")}
        self.env["KUBECACHEDIR"] = str(self.cache)
        self.env["HOME"] = str(workdir)  # never touch the user's ~/.kube

    def argv(self, *args: str) -> list[str]:
        return [self.binary, "--kubeconfig", str(self.server.kubeconfig), *args]

    def run(self, *args: str, input: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), env=self.env, capture_output=True, text=True, input=input,
                              timeout=timeout, cwd=self.workdir)

    def ok(self, *args: str, input: str | None = None, timeout: float = 30) -> str:
        proc = self.run(*args, input=input, timeout=timeout)
        assert proc.returncode == 0, f"kubectl {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}"
        return proc.stdout

    def fail(self, *args: str, input: str | None = None, timeout: float = 30) -> str:
        proc = self.run(*args, input=input, timeout=timeout)
        assert proc.returncode != 0, f"kubectl {' '.join(args)} unexpectedly succeeded:\n{proc.stdout}"
        return proc.stderr

    def popen(self, *args: str) -> LineReader:
        proc = subprocess.Popen(self.argv(*args), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=self.workdir)
        return LineReader(proc)


class LineReader:
    """A long-running child process (kubectl get -w) whose stdout lines are read with a timeout."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def read_until(self, predicate: Callable[[str], bool], *, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"no matching line within {timeout}s; got {self.seen!r}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                stderr = self.proc.stderr.read() if self.proc.stderr else ""
                pytest.fail(f"process ended before a matching line; got {self.seen!r}; stderr: {stderr}")
            self.seen.append(line)
            if predicate(line):
                return line

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def cluster() -> Iterator[RunningServer]:
    """A simulated 3-node cluster (scheduler, kubelets) running 50x faster than real time."""
    with RunningServer(Config(storage="memory", speed=50)) as running:
        yield running


@pytest.fixture(scope="module")
def api() -> Iterator[RunningServer]:
    """The API alone: no nodes, scheduler, kubelets or controllers."""
    with RunningServer(Config(storage="memory", simulate=False)) as running:
        yield running


@pytest.fixture(scope="module")
def http_cluster(cluster: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cluster.url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def http_api(api: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=10) as client:
        yield client
