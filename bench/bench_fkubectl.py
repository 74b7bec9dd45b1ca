"""Start-up benchmark: `fkubectl` vs the real `kubectl` on the same fakeapi (not collected by pytest).

    .venv/bin/python bench/bench_fkubectl.py [runs]

Prints, per command, the minimum and median wall time and the median CPU time of the child process (CPU
time is steadier on a busy machine). Start a fresh in-process fakeapi with a few pods first.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from fakeapi.config import Config
from fakeapi.testing import RunningServer

BIN = os.path.dirname(sys.executable)
COMMANDS = [["get", "pods"], ["get", "pods", "-o", "wide"], ["get", "ns"], ["describe", "ns", "default"],
            ["get", "cm", "-o", "yaml"]]


def measure(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
        _, _, usage = os.wait4(pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    walls.sort()
    cpus.sort()
    return walls[0] * 1000, walls[runs // 2] * 1000, cpus[runs // 2] * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with RunningServer(config=Config(storage="memory", speed=50.0)) as server, \
            tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KUBECONFIG": str(server.kubeconfig), "KUBECACHEDIR": cache}
        for tool in ("kubectl", "fkubectl"):
            os.spawnv(os.P_WAIT, os.path.join(BIN, tool), [tool, "get", "pods"])
        print(f"{'command':32} {'tool':9} {'min ms':>7} {'median ms':>10} {'cpu ms':>7}")
        for args in COMMANDS:
            for tool in ("kubectl", "fkubectl"):
                low, median, cpu = measure([os.path.join(BIN, tool), *args], env, runs)
                print(f"{' '.join(args):32} {tool:9} {low:7.1f} {median:10.1f} {cpu:7.1f}")


if __name__ == "__main__":
    main()
