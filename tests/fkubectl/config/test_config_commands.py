"""`config` subcommands against copies of one kubeconfig: fkubectl must leave the file as kubectl does."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from fkubectl.app import main
from fkubectl.factory import IOStreams
from tests.fkubectl.conftest import KUBECTL, normalize

CONFIG = """apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:1
users:
- name: fake
  user: {}
contexts:
- name: fake
  context:
    cluster: fake
    user: fake
    namespace: default
- name: other
  context:
    cluster: fake
    user: fake
current-context: fake
"""

STEPS = [
    "config set-context other --namespace=x", "config set-context newctx --cluster=fake", "config use-context other",
    "config set-context --current --namespace=y", "config get-contexts", "config get-contexts -o name",
    "config view -o jsonpath={.contexts[*].name}", "config get-clusters", "config get-users",
    "config delete-context newctx", "config rename-context other other2",
    "config set-cluster c2 --server=https://1.2.3.4 --insecure-skip-tls-verify", "config set-credentials u2 --token=abc",
    "config view", "config view --minify", "config view -o json", "config view --raw", "config current-context",
    "config use nope", "config get-contexts nope", "config view --minify --context nope",
]


def run_fk(args: list[str], kubeconfig: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, streams=IOStreams(out, err), environ={"KUBECONFIG": str(kubeconfig), "HOME": "/nonexistent"})
    return code, out.getvalue(), err.getvalue()


def test_same_outputs_and_same_files_as_kubectl(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    mine.write_text(CONFIG)
    shutil.copy(mine, theirs)
    for step in STEPS:
        args = step.split()
        code, out, err = run_fk(args, mine)
        proc = subprocess.run([KUBECTL, *args], capture_output=True, text=True,
                              env={"KUBECONFIG": str(theirs), "HOME": str(tmp_path)})
        expected = (proc.returncode, proc.stdout.replace(str(theirs), str(mine)),
                    normalize(proc.stderr).replace(str(theirs), str(mine)))
        assert (code, out, normalize(err)) == expected, step
        assert mine.read_text() == theirs.read_text(), step


@pytest.mark.parametrize("step", ["config current-context", "config view"])
def test_no_kubeconfig_at_all(tmp_path: Path, step: str) -> None:
    code, out, err = run_fk(step.split(), tmp_path / "missing")
    proc = subprocess.run([KUBECTL, *step.split()], capture_output=True, text=True,
                          env={"KUBECONFIG": str(tmp_path / "missing"), "HOME": str(tmp_path)})
    assert (code, out, err) == (proc.returncode, proc.stdout, proc.stderr)
