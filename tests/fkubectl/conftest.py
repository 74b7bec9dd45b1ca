"""Shared fixtures: one in-process fakeapi per test module, and three ways to run a command against it.

- `fk(*args)`: fkubectl in-process (`fkubectl.app.main` with captured streams), fast, for most tests;
- `fk_proc(*args)`: the installed `fkubectl` console script as a subprocess (the real start-up path);
- `kubectl(*args)`: the real kubectl binary, for golden comparisons.
All three get the same kubeconfig and a private discovery cache directory.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer
from fkubectl.app import main
from fkubectl.factory import IOStreams

BIN = Path(sys.executable).parent
FKUBECTL = str(BIN / "fkubectl")
KUBECTL = str(BIN / "kubectl")


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cluster:
    """A running fakeapi plus the environment every client run uses."""

    def __init__(self, server: RunningServer, home: Path) -> None:
        self.server = server
        self.url = server.url
        self.home = home
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "KUBECONFIG": str(server.kubeconfig),
            "KUBECACHEDIR": str(home / "cache"),
            "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")),
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        }

    def fk(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), streams=IOStreams(out, err, io.StringIO(stdin)), environ={**self.env, **(env or {})})
        return Result(code, out.getvalue(), err.getvalue())

    def fk_proc(self, *args: str, stdin: str = "", timeout: float = 30) -> Result:
        return self._run([FKUBECTL, *args], stdin, timeout)

    def kubectl(self, *args: str, stdin: str = "", timeout: float = 30) -> Result:
        return self._run([KUBECTL, *args], stdin, timeout)

    def _run(self, argv: list[str], stdin: str, timeout: float) -> Result:
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=self.env, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def apply(self, manifest: str) -> None:
        result = self.kubectl("apply", "-f", "-", stdin=manifest)
        assert result.code == 0, result.err


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    home = tmp_path_factory.mktemp("fkhome")
    with RunningServer(config=Config(storage="memory", speed=50.0)) as server:
        yield Cluster(server, home)
    shutil.rmtree(home, ignore_errors=True)


_AGE = re.compile(r"(?<![\w.:/-])(?:\d+[smhdy]){1,2}(?![\w.:/-])|<invalid>")
_KLOG = re.compile(r"^[EWI]\d{4} .*\n", re.M)
_RENEW = re.compile(r"(RenewTime:\s+).*")


def normalize(text: str) -> str:
    """Make kubectl and fkubectl output comparable: ages become `<age>`, klog lines and program names go,
    and node lease renewal times (which change between the two runs) are masked."""
    text = _KLOG.sub("", text)
    text = text.replace("fkubectl", "kubectl")
    text = _RENEW.sub(r"\1<time>", text)
    return _AGE.sub("<age>", text)


def realign(text: str) -> str:
    """Collapse runs of spaces, for comparing tables whose AGE column width may differ by a character."""
    return "\n".join(re.sub(r" {2,}", "  ", line).rstrip() for line in text.split("\n"))
