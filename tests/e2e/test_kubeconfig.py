"""`fakeapi serve --write-kubeconfig PATH` merges a current `fakeapi` context into an existing kubeconfig,
and the real kubectl then reaches the server through it with nothing else configured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from fakeapi.kubeconfig import write_context
from fakeapi.testing import free_port

KUBECTL = str(Path(sys.executable).parent / "kubectl")
OTHER = {"apiVersion": "v1", "kind": "Config", "current-context": "prod",
         "clusters": [{"name": "prod", "cluster": {"server": "https://prod.example:6443"}}],
         "users": [{"name": "prod", "user": {"token": "secret"}}],
         "contexts": [{"name": "prod", "context": {"cluster": "prod", "user": "prod"}}]}


def test_write_context_keeps_other_entries_and_replaces_its_own(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(OTHER))
    write_context(path, "http://127.0.0.1:1111")
    write_context(path, "http://127.0.0.1:2222")
    config = yaml.safe_load(path.read_text())
    assert config["current-context"] == "fakeapi"
    assert [c["name"] for c in config["clusters"]] == ["prod", "fakeapi"]
    assert config["clusters"][1]["cluster"] == {"server": "http://127.0.0.1:2222"}
    assert config["users"][0] == OTHER["users"][0]
    assert config["contexts"][1]["context"] == {"cluster": "fakeapi", "user": "fakeapi", "namespace": "default"}
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_serve_writes_a_context_kubectl_uses(tmp_path: Path) -> None:
    path = tmp_path / "kube" / "config"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(OTHER))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "fakeapi", "serve", "--port", str(port), "--storage", "memory",
                             "--no-simulation", "--write-kubeconfig", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            lines.append(line.strip())
            if "ready" in line or not line:
                break
        assert f'fakeapi: kubeconfig context "fakeapi" written to {path} (now current)' in lines, lines
        out = subprocess.run([KUBECTL, "--kubeconfig", str(path), "get", "ns", "default", "-o", "name"],
                             capture_output=True, text=True, timeout=30,
                             env=dict(os.environ, KUBECACHEDIR=str(tmp_path / "cache")))
        assert (out.returncode, out.stdout) == (0, "namespace/default\n"), out.stderr
        assert yaml.safe_load(path.read_text())["clusters"][0] == OTHER["clusters"][0]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
