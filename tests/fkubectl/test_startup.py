"""Start-up cost: `fkubectl get pods` must not be slower than `kubectl get pods`.

Structurally: the common path imports none of the heavy modules (httpx, PyYAML, Typer/Click, typing,
dataclasses, the `socket`/`http.client`/`ssl`/`email` stack). Then a lenient timing check against the real
kubectl binary on the same server; `python bench/bench_fkubectl.py` gives the precise numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests.fkubectl.conftest import FKUBECTL, KUBECTL, Cluster

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


def median_seconds(argv: list[str], env: dict[str, str], runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[runs // 2]


def test_not_slower_than_kubectl(cluster: Cluster) -> None:
    subprocess.run([FKUBECTL, "get", "pods"], env=cluster.env, capture_output=True)  # warm caches
    subprocess.run([KUBECTL, "get", "pods"], env=cluster.env, capture_output=True)
    mine = median_seconds([FKUBECTL, "get", "pods"], cluster.env)
    theirs = median_seconds([KUBECTL, "get", "pods"], cluster.env)
    assert mine < theirs * 1.5 + 0.02, f"fkubectl {mine * 1000:.0f} ms vs kubectl {theirs * 1000:.0f} ms"
