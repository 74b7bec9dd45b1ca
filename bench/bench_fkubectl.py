"""Start-up benchmark: `fkubectl` vs the real `kubectl`, side by side, on one fakeapi (not collected by pytest).

    .venv/bin/python bench/bench_fkubectl.py [runs]      # default 21 runs per command and tool

It starts its own in-process fakeapi (memory storage, simulation off, so nothing else burns CPU), creates
100 pods, warms the discovery cache of both tools (one KUBECACHEDIR: fkubectl keeps kubectl's layout, so
both read the same files), then runs every command `runs` times per tool, alternating kubectl and fkubectl
(and which goes first) so drift on a shared machine hits both alike. Children write to /dev/null.

Per command and tool it prints the minimum and median wall time and the median CPU time of the child (user
+ system from `wait4`, steadier than wall time on a busy machine), then the ratios fkubectl / kubectl of
the median wall and median CPU times (< 1: fkubectl is faster), and finally a description of the machine.
Only the standard library and `fakeapi.testing` are used; nothing is asserted.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from fakeapi.config import Config
from fakeapi.testing import RunningServer

BIN = os.path.dirname(sys.executable)
TOOLS = ("kubectl", "fkubectl")
PODS = 100
COMMANDS = [
    ["get", "pods"],
    ["get", "pods", "-o", "wide"],
    ["--help"],
    ["get", "pods", "-o", "json"],
    ["get", "ns"],
    ["describe", "ns", "default"],
    ["__complete", "get", "pods", ""],
]


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `argv` (stdout and stderr to /dev/null)."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed (exit {os.waitstatus_to_exitcode(status)})")
    return wall, usage.ru_utime + usage.ru_stime


def create_pods(url: str, count: int) -> None:
    for i in range(count):
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": f"bench-{i:03d}", "labels": {"app": "bench", "shard": str(i % 10)}},
               "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}
        request = urllib.request.Request(f"{url}/api/v1/namespaces/default/pods", data=json.dumps(pod).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request) as response:
            response.read()


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        kubectl = json.loads(subprocess.run([os.path.join(BIN, "kubectl"), "version", "--client", "-o", "json"],
                                            capture_output=True, text=True).stdout)["clientVersion"]["gitVersion"]
    except (OSError, ValueError, KeyError):
        kubectl = "?"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [f"machine: {platform.system()} {platform.release()} {platform.machine()}, {cpu}, "
            f"{os.cpu_count()} CPUs, load average {load}",
            f"python {platform.python_version()} ({sys.implementation.name}), kubectl {kubectl}, "
            f"PYTHONDONTWRITEBYTECODE={'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'unset'}"]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    config = Config(storage="memory", simulate=False)
    with RunningServer(config=config) as server, tempfile.TemporaryDirectory() as cache:
        create_pods(server.url, PODS)
        env = {**os.environ, "KUBECONFIG": str(server.kubeconfig), "KUBECACHEDIR": cache}
        for tool in TOOLS:  # warm the discovery cache (and fkubectl's bytecode cache)
            measure([os.path.join(BIN, tool), "get", "pods"], env)
        rows: list[tuple[str, dict[str, tuple[float, float, float]]]] = []
        for args in COMMANDS:
            samples: dict[str, tuple[list[float], list[float]]] = {tool: ([], []) for tool in TOOLS}
            for i in range(runs):
                for tool in TOOLS if i % 2 == 0 else TOOLS[::-1]:
                    wall, cpu = measure([os.path.join(BIN, tool), *args], env)
                    samples[tool][0].append(wall * 1000)
                    samples[tool][1].append(cpu * 1000)
            rows.append((" ".join(a or "''" for a in args), {tool: (min(w), statistics.median(w), statistics.median(c))
                                                  for tool, (w, c) in samples.items()}))
    head = (f"{'command':28} | {'kubectl ms: min':>15} {'median':>7} {'cpu':>6} | {'fkubectl ms: min':>16} "
            f"{'median':>7} {'cpu':>6} | {'ratio wall':>10} {'ratio cpu':>9}")
    print(f"{PODS} pods, {runs} runs per command and tool; ratio = fkubectl / kubectl (medians)")
    print(head)
    print("-" * len(head))
    for label, stats in rows:
        k, f = stats["kubectl"], stats["fkubectl"]
        print(f"{label:28} | {k[0]:15.1f} {k[1]:7.1f} {k[2]:6.1f} | {f[0]:16.1f} "
              f"{f[1]:7.1f} {f[2]:6.1f} | {f[1] / k[1]:10.2f} {f[2] / k[2] if k[2] else 0:9.2f}")
    print("\n".join(machine()))


if __name__ == "__main__":
    main()
