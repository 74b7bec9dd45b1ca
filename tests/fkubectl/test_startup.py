"""Start-up cost, structurally: the common path imports none of the heavy modules (httpx, PyYAML,
Typer/Click, typing, dataclasses, the `socket`/`http.client`/`ssl`/`email` stack). Wall time against the
real kubectl is measured by `bench/bench_fkubectl.py`, not asserted here: timings belong in benchmarks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.fkubectl.conftest import Cluster

HEAVY = ("httpx", "yaml", "typer", "click", "tabulate", "typing", "dataclasses", "socket", "http.client", "ssl",
         "email.parser", "fakeapi")

PROBE = """
import json, sys
from fkubectl.cli import main
code = main(sys.argv[1:])
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def loaded_modules(cluster: Cluster, *args: str) -> list[str]:
    env = {**cluster.env, "FKUBECTL_NO_BYTECODE_CACHE": "1"}
    proc = subprocess.run([sys.executable, "-S", "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True,
                          text=True, env={**env, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
    return json.loads(proc.stderr.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_get_imports_nothing_heavy(cluster: Cluster) -> None:
    assert loaded_modules(cluster, "get", "pods") == []
    assert loaded_modules(cluster, "get", "pods", "-o", "wide", "-A") == []
    assert loaded_modules(cluster, "describe", "ns", "default") == []
