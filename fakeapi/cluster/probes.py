"""Probe and lifecycle-hook outcomes, decided deterministically from the container and its image.

httpGet succeeds when the port is one the container listens on and the image serves the path (an image
that serves nothing known accepts any path); tcpSocket when the port is listened on; exec when the
command is one the image has and, for file checks (`cat`, `test -e`, `ls`), the file exists in the
container's simulated file set. Failure messages are the kubelet's.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from fakeapi.cluster import images

Obj = dict[str, Any]


@dataclass(frozen=True)
class ProbeTarget:
    """What a probe can see of one running container."""

    image: str
    pod_ip: str
    listening: frozenset[int]
    ports: dict[str, int]  # named container ports
    files: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str = ""
    path: str = ""  # the HTTP path a probe requested (for access logs)
    status: int = 0  # the HTTP status the server answered (0: the request never reached it)


def _port(value: Any, target: ProbeTarget) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        return target.ports.get(value)
    return None


def _http(action: Obj, target: ProbeTarget) -> Outcome:
    port = _port(action.get("port"), target)
    path = str(action.get("path") or "/")
    scheme = str(action.get("scheme") or "HTTP").lower()
    host = action.get("host") or target.pod_ip
    url = f"{scheme}://{host}:{port}{path}"
    if port is None or port not in target.listening:
        return Outcome(False, f'Get "{url}": dial tcp {host}:{port}: connect: connection refused', path)
    served = images.facts(target.image).paths
    if served and path.split("?", 1)[0] not in served:
        return Outcome(False, "HTTP probe failed with statuscode: 404", path, 404)
    return Outcome(True, "", path, 200)


def _tcp(action: Obj, target: ProbeTarget) -> Outcome:
    port = _port(action.get("port"), target)
    host = action.get("host") or target.pod_ip
    if port is None or port not in target.listening:
        return Outcome(False, f"dial tcp {host}:{port}: connect: connection refused")
    return Outcome(True)


_FILE_CHECK = re.compile(r"^(?:cat|ls|test\s+-[efs]|\[\s+-[efs])\s+(\S+)")


def run_exec(argv: list[str], target: ProbeTarget) -> tuple[int, str]:
    """(exit code, output) of running `argv` inside the container."""
    if not argv:
        return 1, ""
    if argv[0] in ("sh", "/bin/sh", "bash", "/bin/bash") and len(argv) >= 3 and argv[1].startswith("-"):
        script = argv[2]
        for stmt in re.split(r"\s*(?:;|&&)\s*", script.strip()):
            code, out = _statement(stmt, target)
            if code != 0:
                return code, out
        return 0, ""
    return _statement(" ".join(shlex.quote(a) for a in argv), target)


def _statement(stmt: str, target: ProbeTarget) -> tuple[int, str]:
    stmt = stmt.strip()
    if not stmt:
        return 0, ""
    m = re.match(r"^exit\s+(\d+)", stmt)
    if m:
        return int(m.group(1)), ""
    m = _FILE_CHECK.match(stmt)
    if m:
        path = m.group(1).strip("'\"")
        facts = images.facts(target.image)
        if path in target.files or images.ships(facts, path):
            return 0, ""
        if facts.busybox:
            return 1, f"cat: can't open '{path}': No such file or directory"
        return 1, f"cat: {path}: No such file or directory"
    try:
        exe = shlex.split(stmt)[0]
    except (ValueError, IndexError):
        return 0, ""
    base = exe.rsplit("/", 1)[-1]
    if base in ("false",):
        return 1, ""
    if base in ("true", "echo", "sleep", "date", "touch", "rm", "mkdir", "sh", "test", "["):
        return 0, ""
    known = images.facts(target.image).commands
    if known and base not in known:
        return 126, (f'OCI runtime exec failed: exec failed: unable to start container process: exec: "{exe}": '
                     f"executable file not found in $PATH: unknown")
    return 0, ""


def evaluate(probe: Obj, target: ProbeTarget) -> Outcome:
    if "httpGet" in probe:
        return _http(probe["httpGet"] or {}, target)
    if "tcpSocket" in probe:
        return _tcp(probe["tcpSocket"] or {}, target)
    if "exec" in probe:
        code, out = run_exec([str(a) for a in (probe["exec"] or {}).get("command") or []], target)
        if code == 0:
            return Outcome(True)
        return Outcome(False, out or f"command {((probe['exec'] or {}).get('command'))!r} exited with {code}".replace("'", '"'))
    if "grpc" in probe:
        return _tcp(probe["grpc"] or {}, target)
    return Outcome(True)


def describe_probe(kind: str) -> str:
    return {"startupProbe": "Startup", "livenessProbe": "Liveness", "readinessProbe": "Readiness"}[kind]
