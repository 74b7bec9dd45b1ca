"""Benchmark `fakeapi serve` against references measured in the same run; prints one table.

    .venv/bin/python bench/bench_server.py [--quick] [--json] [--simulation]

Everything runs on 127.0.0.1 on free ports: fakeapi servers (each with a fresh temp data dir), the framework
floor (bench/floor_app.py: Starlette + uvicorn with fakeapi's uvicorn settings, serving the same bytes) and a
load generator (this file, `--_worker`, raw asyncio streams, HTTP/1.1 keep-alive) in its own process. All of
them are stopped on exit. fakeapi runs with `--no-simulation` (the API server alone) unless `--simulation`;
a few extra rows measure the simulated cluster's cost. Figures are reported, never asserted.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

try:
    import orjson

    loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a fakeapi dependency
    loads = json.loads

HOST = "127.0.0.1"
NS = "default"
PODS = f"/api/v1/namespaces/{NS}/pods"
HERE = Path(__file__).resolve().parent
FLOOR_APP = HERE / "floor_app.py"
GET_POD = "bench-get"
RV_RE = re.compile(rb'"resourceVersion":"(\d+)"')
CONTINUE_RE = re.compile(rb'"continue":"([^"]*)"')


def pod_body(name: str, i: int) -> bytes:
    return (b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"bench","bucket":"%d"}},'
            b'"spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}'
            % (name.encode(), i % 100))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --------------------------------------------------------------------------------------------------------------
# A minimal HTTP/1.1 client over asyncio streams (used by the orchestrator and the load generator alike)
# --------------------------------------------------------------------------------------------------------------

class HttpError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    if status in (204, 304) or status < 200:
        return status, b""
    low = head.lower()
    i = low.find(b"\r\ncontent-length:")
    if i >= 0:
        j = low.find(b"\r\n", i + 2)
        return status, await reader.readexactly(int(low[i + 17:j]))
    if b"\r\ntransfer-encoding: chunked" in low:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                return status, b"".join(parts)
            parts.append((await reader.readexactly(size + 2))[:-2])
    return status, await reader.read()  # no length: body runs to EOF


def build_request(method: str, path: str, body: bytes | None = None, content_type: str = "application/json",
                  extra: str = "") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/json\r\n{extra}"
    if body is None:
        return (head + "\r\n").encode()
    return (head + f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


class Client:
    """One keep-alive connection; reconnects if the server closed it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None,
                      content_type: str = "application/json", extra: str = "") -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=1 << 20)
            try:
                self.writer.write(build_request(method, path, body, content_type, extra))
                await self.writer.drain()
                return await read_response(self.reader)  # type: ignore[arg-type]
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def json(self, method: str, path: str, body: bytes | None = None, expect: tuple[int, ...] = (200,),
                   content_type: str = "application/json") -> dict:
        status, data = await self.request(method, path, body, content_type)
        if status not in expect:
            raise HttpError(f"{method} {path} -> {status}: {data[:300]!r}")
        return loads(data)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
        self.reader = self.writer = None


# --------------------------------------------------------------------------------------------------------------
# The load generator / watch client: `bench_server.py --_worker`, one JSON task on stdin, one JSON result out
# --------------------------------------------------------------------------------------------------------------

async def _load(task: dict) -> dict:
    """`get`: fixed duration of GETs after a warm-up; `post`: a fixed number of pod creates."""
    port, conns, mode = task["port"], task["connections"], task["mode"]
    lat: list[float] = []
    errors: list[str] = []
    done = [0]
    pc = time.perf_counter
    window = {"start": 0.0, "end": float("inf")}
    stop = [False]
    if mode == "get":
        get_req = build_request("GET", task["path"])
        expect_len = task.get("expect_len")
    else:
        names = iter(range(task["start"], task["start"] + task["count"]))
        prefix = task["prefix"]

    async def conn_loop() -> None:
        reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        try:
            while not stop[0]:
                if mode == "get":
                    req = get_req
                else:
                    i = next(names, None)
                    if i is None:
                        return
                    req = build_request("POST", PODS, pod_body(f"{prefix}-{i}", i))
                t0 = pc()
                writer.write(req)
                status, body = await read_response(reader)
                t1 = pc()
                if mode == "get":
                    ok = status == 200 and (expect_len is None or len(body) == expect_len)
                    if t0 >= window["start"] and t1 <= window["end"]:
                        lat.append(t1 - t0)
                    if window["start"] <= t1 <= window["end"]:
                        done[0] += 1
                else:
                    ok = status == 201
                    lat.append(t1 - t0)
                    done[0] += 1
                if not ok and len(errors) < 5:
                    errors.append(f"{status}: {body[:200]!r}")
                elif not ok:
                    errors.append("")
        finally:
            writer.close()

    pid = task.get("server_pid")
    server_cpu = (lambda: _proc_cpu(pid)) if pid else (lambda: 0.0)
    cpu0, scpu0 = time.process_time(), server_cpu()
    t_begin = pc()
    if mode == "get":
        window["start"] = t_begin + task["warmup"]
        window["end"] = window["start"] + task["duration"]

        async def timer() -> None:
            nonlocal cpu0, scpu0
            await asyncio.sleep(task["warmup"])
            cpu0, scpu0 = time.process_time(), server_cpu()
            await asyncio.sleep(task["duration"])
            stop[0] = True
            cpu1[0], scpu1[0] = time.process_time(), server_cpu()

        cpu1, scpu1 = [0.0], [0.0]
        await asyncio.gather(timer(), *(conn_loop() for _ in range(conns)))
        elapsed = task["duration"]
    else:
        await asyncio.gather(*(conn_loop() for _ in range(conns)))
        elapsed = pc() - t_begin
        cpu1, scpu1 = [time.process_time()], [server_cpu()]
    scpu = scpu1[0] - scpu0
    return {"requests": done[0], "seconds": elapsed, "rps": done[0] / elapsed, "p50_ms": pct(lat, 0.5) * 1e3,
            "p99_ms": pct(lat, 0.99) * 1e3, "errors": len(errors), "error_samples": [e for e in errors if e][:5],
            "client_cpu": (cpu1[0] - cpu0) / elapsed, "server_cpu": scpu / elapsed,
            "server_us_per_req": scpu / done[0] * 1e6 if pid and done[0] else float("nan")}


async def _watch(task: dict) -> dict:
    """`watchers` watch streams from `rv`; `writes` sequential writes (create, patch, create, ...). Each write
    waits until every watcher has its event (or 2 s), so this is per-event latency, not a throughput test."""
    port, n_watch, n_write, prefix = task["port"], task["watchers"], task["writes"], task["prefix"]
    pc = time.perf_counter
    arrivals: list[list[tuple[int, float]]] = [[] for _ in range(n_watch)]
    max_rv = [0] * n_watch
    state = {"target": 1 << 62, "reached": 0, "headers": 0}
    all_reached = asyncio.Event()
    all_headers = asyncio.Event()
    problems: list[str] = []
    streams = []

    async def watcher(w: int) -> None:
        reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 22)
        streams.append(writer)
        writer.write(build_request("GET", f"{PODS}?watch=1&resourceVersion={task['rv']}"))
        head = await reader.readuntil(b"\r\n\r\n")
        if head[9:12] != b"200":
            problems.append(f"watch -> {head[:12]!r}: {(await reader.read(300))!r}")
            return
        chunked = b"transfer-encoding: chunked" in head.lower()
        state["headers"] += 1
        if state["headers"] == n_watch:
            all_headers.set()
        buf = b""
        mine = arrivals[w]
        while True:
            if chunked:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    return
                data = (await reader.readexactly(size + 2))[:-2]
            else:
                data = await reader.read(1 << 16)
                if not data:
                    return
            t = pc()
            buf += data
            while True:
                nl = buf.find(b"\n")
                if nl < 0:
                    break
                line, buf = buf[:nl], buf[nl + 1:]
                m = RV_RE.search(line)
                if m is None:
                    if line.strip() and len(problems) < 5:
                        problems.append(f"event without resourceVersion: {line[:200]!r}")
                    continue
                rv = int(m.group(1))
                mine.append((rv, t))
                if rv >= state["target"] and max_rv[w] < state["target"]:
                    state["reached"] += 1
                    if state["reached"] == n_watch:
                        all_reached.set()
                if rv > max_rv[w]:
                    max_rv[w] = rv

    tasks = [asyncio.create_task(watcher(w)) for w in range(n_watch)]
    try:
        await asyncio.wait_for(all_headers.wait(), 10)
    except asyncio.TimeoutError:
        problems.append(f"only {state['headers']}/{n_watch} watch streams answered within 10 s")
    await asyncio.sleep(0.2)
    client = Client(port)
    writes: dict[int, tuple[float, float]] = {}
    timeouts = 0
    for k in range(n_write):
        name = f"{prefix}-{k // 2}"
        t_send = pc()
        if k % 2 == 0:
            status, body = await client.request("POST", PODS, pod_body(name, k))
        else:
            status, body = await client.request("PATCH", f"{PODS}/{name}", b'{"metadata":{"labels":{"step":"%d"}}}' % k,
                                                "application/merge-patch+json")
        t_resp = pc()
        if status not in (200, 201):
            problems.append(f"write {k} -> {status}: {body[:200]!r}")
            continue
        rv = int(loads(body)["metadata"]["resourceVersion"])
        writes[rv] = (t_send, t_resp)
        all_reached.clear()
        state["target"] = rv
        state["reached"] = sum(1 for m in max_rv if m >= rv)
        if state["reached"] < n_watch:
            try:
                await asyncio.wait_for(all_reached.wait(), 2)
            except asyncio.TimeoutError:
                timeouts += 1
    await asyncio.sleep(0.05)
    await client.close()
    for writer in streams:
        writer.close()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    from_resp: list[float] = []
    from_send: list[float] = []
    for mine in arrivals:
        for rv, t in mine:
            w = writes.get(rv)
            if w is not None:
                from_resp.append(t - w[1])
                from_send.append(t - w[0])
    expected = len(writes) * n_watch
    return {"writes": len(writes), "watchers": n_watch, "deliveries": len(from_resp), "expected": expected,
            "missing": expected - len(from_resp), "barrier_timeouts": timeouts,
            "p50_ms": pct(from_resp, 0.5) * 1e3, "p99_ms": pct(from_resp, 0.99) * 1e3,
            "max_ms": max(from_resp, default=float("nan")) * 1e3,
            "send_p50_ms": pct(from_send, 0.5) * 1e3, "send_p99_ms": pct(from_send, 0.99) * 1e3,
            "early": sum(1 for x in from_resp if x < 0), "problems": problems[:5]}


def worker_main() -> None:
    task = json.loads(sys.stdin.read())
    coro = _watch(task) if task["mode"] == "watch" else _load(task)
    try:
        import uvloop

        result = uvloop.run(coro)
    except ImportError:
        result = asyncio.run(coro)
    sys.stdout.write(json.dumps(result))


async def run_worker(task: dict, timeout: float = 300) -> dict:
    """Run one task in a fresh load-generator process (its own CPU accounting, not the server's)."""
    proc = await asyncio.create_subprocess_exec(sys.executable, str(Path(__file__).resolve()), "--_worker",
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                stderr=subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(json.dumps(task).encode()), timeout)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        raise RuntimeError(f"load generator timed out after {timeout}s on {task['mode']}")
    if proc.returncode != 0:
        raise RuntimeError(f"load generator failed ({proc.returncode}): {err.decode()[-2000:]}")
    return json.loads(out)


# --------------------------------------------------------------------------------------------------------------
# Processes: fakeapi servers and the floor app, always on 127.0.0.1, always stopped
# --------------------------------------------------------------------------------------------------------------

_PROCS: list[subprocess.Popen] = []
_TMP = Path("/nonexistent")  # set by main(): workers and importers must not create temp dirs
_LOGS: list[tuple[str, Path]] = []
_SIMULATION = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def fakeapi_cmd() -> list[str]:
    script = Path(sys.executable).parent / "fakeapi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "fakeapi"]


_HELP_CACHE: list[str] = []


def _serve_help() -> str:
    if not _HELP_CACHE:
        _HELP_CACHE.append(subprocess.run(fakeapi_cmd() + ["serve", "--help"], capture_output=True, text=True,
                                          timeout=60).stdout)
    return _HELP_CACHE[0]


class Proc:
    def __init__(self, label: str, argv: list[str], port: int) -> None:
        self.label, self.port = label, port
        self.log = _TMP / f"{label}-{len(_LOGS)}.log"
        _LOGS.append((label, self.log))
        self.t_spawn = time.perf_counter()
        with open(self.log, "wb") as out:
            self.popen = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _PROCS.append(self.popen)
        self.startup_s = float("nan")

    @property
    def pid(self) -> int:
        return self.popen.pid

    def wait_ready(self, timeout: float = 60) -> float:
        """Poll GET /readyz (new connection each time) until it answers 200; returns seconds since spawn."""
        deadline = self.t_spawn + timeout
        probe = f"GET /readyz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
        while time.perf_counter() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.popen.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as s:
                    s.sendall(probe)
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        self.startup_s = time.perf_counter() - self.t_spawn
                        return self.startup_s
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError(f"{self.label} not ready after {timeout}s: {self.log.read_text()[-2000:]}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def has_uvloop(self) -> bool:
        try:
            return "uvloop" in Path(f"/proc/{self.pid}/maps").read_text()
        except OSError:
            return False

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(8)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if self.popen in _PROCS:
            _PROCS.remove(self.popen)


def start_fakeapi(storage: str, simulation: bool | None = None, ready: bool = True) -> Proc:
    simulation = _SIMULATION if simulation is None else simulation
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix=f"{storage}-", dir=_TMP)
    argv = fakeapi_cmd() + ["serve", "--host", HOST, "--port", str(port), "--storage", storage,
                            "--data-dir", data_dir, "--log-level", "warning"]
    if not simulation and "--no-simulation" in _serve_help():
        argv.append("--no-simulation")
    proc = Proc(f"fakeapi-{storage}{'-sim' if simulation else ''}", argv, port)
    if ready:
        proc.wait_ready()
    return proc


def start_floor(ready: bool = True) -> Proc:
    port = free_port()
    proc = Proc("floor", [sys.executable, str(FLOOR_APP), "--host", HOST, "--port", str(port)], port)
    if ready:
        proc.wait_ready()
    return proc


def _cleanup() -> None:
    for popen in list(_PROCS):
        if popen.poll() is None:
            popen.kill()
            popen.wait()
        _PROCS.remove(popen)
    shutil.rmtree(_TMP, ignore_errors=True)


def log_findings() -> list[str]:
    """Tracebacks and error lines the servers printed (their logs go to the temp dir)."""
    found: list[str] = []
    for label, path in _LOGS:
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if "Traceback" in line or re.search(r"\b(ERROR|CRITICAL|Exception)\b", line):
                tail = next((ln for ln in lines[i + 1:i + 60] if re.match(r"^\w[\w.]*(Error|Exception)\b", ln)), "")
                found.append(f"{label}: {line.strip()[:160]}{' ... ' + tail[:200] if tail else ''}")
    unique: list[str] = []
    for f in found:
        if f not in unique:
            unique.append(f)
    return unique[:12]


# --------------------------------------------------------------------------------------------------------------
# The measurements
# --------------------------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.rows: list[tuple[str, float | None, float | None, str, str]] = []
        self.results: dict = {"quick": quick, "simulation": _SIMULATION}
        self.notes: list[str] = []
        self.n_pods = 2000 if quick else 10000
        self.n_create = 1000 if quick else 3000

    SECTIONS = ("start-up to", "GET pod", "create", "LIST", "RSS", "watch")

    def row(self, metric: str, value: float | None, ref: float | None, unit: str, ref_is: str) -> None:
        self.rows.append((metric, value, ref, unit, ref_is))

    def sorted_rows(self) -> list[list[tuple[str, float | None, float | None, str, str]]]:
        """rows grouped by kind (start-up, GET, creates, LIST, RSS, watch, simulation), in insertion order"""
        def section(metric: str) -> int:
            if "simulation" in metric or metric.startswith("server CPU"):
                return len(self.SECTIONS)
            return next((i for i, p in enumerate(self.SECTIONS) if metric.startswith(p)), len(self.SECTIONS))
        groups: list[list] = [[] for _ in range(len(self.SECTIONS) + 1)]
        for r in self.rows:
            groups[section(r[0])].append(r)
        return [g for g in groups if g]

    def phase(self, name: str) -> None:
        print(f"  [{time.perf_counter() - T0:6.1f}s] {name}", file=sys.stderr, flush=True)

    # 6. start-up --------------------------------------------------------------------------------------------
    def startup(self) -> None:
        runs = 3 if self.quick else 5
        self.phase(f"start-up x{runs}")
        times: dict[str, list[float]] = {"memory": [], "sqlite": [], "floor": []}
        uvloop_seen: list[bool] = []
        for _ in range(runs):
            for kind in ("floor", "memory", "sqlite"):
                proc = start_floor(ready=False) if kind == "floor" else start_fakeapi(kind, ready=False)
                try:
                    times[kind].append(proc.wait_ready())
                    if kind != "floor":
                        uvloop_seen.append(proc.has_uvloop())
                finally:
                    proc.stop()
        med = {k: statistics.median(v) for k, v in times.items()}
        self.results["startup_s"] = {k: {"median": med[k], "runs": v} for k, v in times.items()}
        for kind in ("memory", "sqlite"):
            self.row(f"start-up to /readyz, {kind} (ms)", med[kind] * 1e3, med["floor"] * 1e3, "ms", "floor app")
        self.results["fakeapi_uses_uvloop"] = all(uvloop_seen)
        if not all(uvloop_seen):
            self.notes.append("fakeapi serve does NOT run on uvloop (no uvloop in /proc/<pid>/maps). Likely cause: "
                              "asyncio.run(uvicorn_server.serve()) ignores uvicorn's loop='uvloop'; only "
                              "uvicorn.Server.run() applies the loop factory (uvicorn >= 0.36). The floor uses run().")
        if not self.quick and not _SIMULATION and "--no-simulation" in _serve_help():
            sim = []
            for _ in range(runs):
                proc = start_fakeapi("sqlite", simulation=True, ready=False)
                try:
                    sim.append(proc.wait_ready())
                finally:
                    proc.stop()
            self.results["startup_s"]["sqlite_simulation"] = {"median": statistics.median(sim), "runs": sim}
            self.row("start-up, sqlite + simulation (ms)", statistics.median(sim) * 1e3, med["sqlite"] * 1e3, "ms",
                     "same, no simulation")

    # 1. GET one pod vs the floor ----------------------------------------------------------------------------
    async def get_vs_floor(self, floor: Proc) -> None:
        # short windows alternating floor / fakeapi, medians: the machine may be shared, so interleave
        rounds, warmup, duration = (2, 0.4, 1.0) if self.quick else (4, 0.5, 2.0)
        fc = Client(floor.port)
        for storage in ("memory", "sqlite"):
            self.phase(f"GET one pod, {storage} vs floor ({rounds} x {duration:g}s each, 32 connections)")
            server = start_fakeapi(storage)
            try:
                client = Client(server.port)
                await client.json("POST", PODS, pod_body(GET_POD, 7), expect=(201,))
                body = b""
                for _ in range(50):  # settle: same bytes twice in a row
                    await asyncio.sleep(0.1)
                    status, again = await client.request("GET", f"{PODS}/{GET_POD}")
                    if status != 200:
                        raise HttpError(f"GET pod -> {status}: {again[:300]!r}")
                    if again == body:
                        break
                    body = again
                await client.close()
                await fc.request("POST", "/__bench/canned", body, extra=f"x-bench-key: pod/{GET_POD}\r\n")
                status, fbody = await fc.request("GET", f"{PODS}/{GET_POD}")
                assert status == 200 and fbody == body, "floor does not serve the same bytes"
                task = {"mode": "get", "path": f"{PODS}/{GET_POD}", "connections": 32, "warmup": warmup,
                        "duration": duration, "expect_len": len(body)}
                refs, ress = [], []
                for _ in range(rounds):
                    refs.append(await run_worker({**task, "port": floor.port, "server_pid": floor.pid}))
                    ress.append(await run_worker({**task, "port": server.port, "server_pid": server.pid}))
            finally:
                server.stop()
            res, ref = _median_run(ress), _median_run(refs)
            self.results[f"get_{storage}"] = {"fakeapi": res, "floor": ref, "body_bytes": len(body),
                                              "fakeapi_rounds": ress, "floor_rounds": refs}
            self.row(f"GET pod req/s, {storage}", res["rps"], ref["rps"], "req/s", "floor app")
            self.row(f"GET pod p50 latency, {storage} (ms)", res["p50_ms"], ref["p50_ms"], "ms", "floor app")
            self.row(f"GET pod p99 latency, {storage} (ms)", res["p99_ms"], ref["p99_ms"], "ms", "floor app")
            self.row(f"GET pod server CPU per request, {storage} (us)", res["server_us_per_req"],
                     ref["server_us_per_req"], "us", "floor app")
            for who, r in (("fakeapi", res), ("floor", ref)):
                if r["errors"]:
                    self.notes.append(f"GET {storage}: {who} had {r['errors']} bad responses, e.g. {r['error_samples'][:1]}")
                if r["client_cpu"] > 0.9:
                    self.notes.append(f"GET {storage}: load generator at {r['client_cpu']:.0%} CPU against {who} "
                                      "(it may be the bottleneck)")
            ratio = res["rps"] / ref["rps"] if ref["rps"] else float("nan")
            spread = lambda runs: "/".join(f"{r['rps']:.0f}" for r in runs)  # noqa: E731
            self.notes.append(f"GET pod, {storage}: fakeapi at {ratio:.0%} of the floor's req/s (target >= 70%); "
                              f"rounds fakeapi {spread(ress)}, floor {spread(refs)}; load generator CPU "
                              f"{res['client_cpu']:.0%} vs fakeapi, {ref['client_cpu']:.0%} vs floor; "
                              f"pod JSON {len(body)} bytes")
        await fc.close()

    # 2, 3, 5: creates/s, LIST of N pods, RSS per 10k pods ----------------------------------------------------
    async def fill_list_memory(self, floor: Proc) -> None:
        n, n_create = self.n_pods, self.n_create
        self.phase(f"floor creates x{n_create}")
        ref_create = await run_worker({"mode": "post", "port": floor.port, "server_pid": floor.pid, "connections": 16, "count": n_create,
                                       "start": 0, "prefix": "floor"})
        self.results["create_floor"] = ref_create
        fc = Client(floor.port)
        for storage in ("memory", "sqlite"):
            self.phase(f"{storage}: {n_create} creates timed, fill to {n} pods, LISTs")
            server = start_fakeapi(storage)
            try:
                client = Client(server.port)
                await client.request("GET", "/readyz")
                await asyncio.sleep(0.3)
                rss0 = server.rss_mb()
                created = await run_worker({"mode": "post", "port": server.port, "server_pid": server.pid, "connections": 16,
                                            "count": n_create, "start": 0, "prefix": "pod"})
                rest = await run_worker({"mode": "post", "port": server.port, "connections": 16,
                                         "count": n - n_create, "start": n_create, "prefix": "pod"})
                await asyncio.sleep(0.5)
                rss1 = server.rss_mb()
                for label, r in (("timed creates", created), ("fill", rest)):
                    if r["errors"]:
                        self.notes.append(f"{storage} {label}: {r['errors']} failed creates, e.g. {r['error_samples'][:1]}")
                lists = await self._lists(client, fc, storage, n)
                await client.close()
                rss2 = server.rss_mb()
            finally:
                server.stop()
            per10k = (rss1 - rss0) * 10000 / n
            json_mb = lists["json_bytes"] * 10000 / n / 2**20
            self.results[f"create_{storage}"] = created
            self.results[f"memory_{storage}"] = {"rss_before_mb": rss0, "rss_after_mb": rss1,
                                                 "rss_after_lists_mb": rss2, "pods": n,
                                                 "mb_per_10k": per10k, "json_mb_per_10k": json_mb}
            self.row(f"creates/s, {storage} (16 conns, {n_create} pods)", created["rps"], ref_create["rps"], "/s",
                     "floor toy create")
            self.row(f"create p99 latency, {storage} (ms)", created["p99_ms"], ref_create["p99_ms"], "ms",
                     "floor toy create")
            self.row(f"create server CPU per pod, {storage} (us)", created["server_us_per_req"],
                     ref_create["server_us_per_req"], "us", "floor toy create")
            self.row(f"RSS growth per 10k pods, {storage} (MB)", per10k, json_mb, "MB", "pods' JSON size")
        await fc.close()

    async def _lists(self, client: Client, fc: Client, storage: str, n: int) -> dict:
        runs = 3 if self.quick else 5
        label = f"{n // 1000}k"
        # correctness first (untimed): counts, and the bytes the floor will serve
        status, full = await client.request("GET", PODS)
        items = loads(full)["items"]
        if status != 200 or len(items) != n:
            self.notes.append(f"{storage}: full LIST returned {status} with {len(items)} items, expected {n}")
        json_bytes = sum(len(orjson.dumps(i)) for i in items) if loads is not json.loads else len(full)
        del items
        sel = "labelSelector=" + quote("bucket=7")
        status, filtered = await client.request("GET", f"{PODS}?{sel}")
        n_sel = len(loads(filtered)["items"])
        if status != 200 or n_sel != n // 100:
            self.notes.append(f"{storage}: filtered LIST returned {status} with {n_sel} items, expected {n // 100}")
        await fc.request("POST", "/__bench/canned", full, extra="x-bench-key: list?\r\n")
        await fc.request("POST", "/__bench/canned", filtered, extra=f"x-bench-key: list?{sel}\r\n")
        del full

        async def timed(c: Client, path: str) -> float:
            t0 = time.perf_counter()
            status, _ = await c.request("GET", path)
            t = time.perf_counter() - t0
            if status != 200:
                raise HttpError(f"GET {path} -> {status}")
            return t

        async def paginate(c: Client, record: bool) -> tuple[float, int, int]:
            t0 = time.perf_counter()
            query, pages, size = "limit=500", 0, 0
            while True:
                status, page = await c.request("GET", f"{PODS}?{query}")
                if status != 200:
                    raise HttpError(f"GET {PODS}?{query} -> {status}: {page[:300]!r}")
                pages += 1
                size += len(page)
                if record:
                    await fc.request("POST", "/__bench/canned", page, extra=f"x-bench-key: list?{query}\r\n")
                m = CONTINUE_RE.search(page, 0, 4096)
                if not m or not m.group(1):
                    break
                query = "limit=500&continue=" + quote(m.group(1).decode(), safe="")
            return time.perf_counter() - t0, pages, size

        _, pages, _ = await paginate(client, record=True)  # also teaches the floor the same pages
        out: dict = {"json_bytes": json_bytes, "pages": pages}
        for key, path in (("full", PODS), ("filtered", f"{PODS}?{sel}")):
            fa = [await timed(client, path) for _ in range(runs)]
            fl = [await timed(fc, path) for _ in range(runs)]
            out[key] = {"fakeapi_ms": statistics.median(fa) * 1e3, "floor_ms": statistics.median(fl) * 1e3,
                        "fakeapi_runs_ms": [x * 1e3 for x in fa]}
        fa = [(await paginate(client, False))[0] for _ in range(runs)]
        fl = [(await paginate(fc, False))[0] for _ in range(runs)]
        out["paginated"] = {"fakeapi_ms": statistics.median(fa) * 1e3, "floor_ms": statistics.median(fl) * 1e3,
                            "fakeapi_runs_ms": [x * 1e3 for x in fa]}
        self.results[f"list_{storage}"] = out
        self.row(f"LIST {label} pods, {storage} (ms)", out["full"]["fakeapi_ms"], out["full"]["floor_ms"], "ms",
                 "floor, same bytes")
        self.row(f"LIST {label} bucket=7 (1%), {storage} (ms)", out["filtered"]["fakeapi_ms"],
                 out["filtered"]["floor_ms"], "ms", "floor, same bytes")
        self.row(f"LIST {label} limit=500 x{pages} pages, {storage} (ms)", out["paginated"]["fakeapi_ms"],
                 out["paginated"]["floor_ms"], "ms", "floor, same pages")
        return out

    # 4. watch delivery latency ------------------------------------------------------------------------------
    async def watch(self, floor: Proc) -> None:
        writes = 80 if self.quick else 300
        storages = ("memory",) if self.quick else ("memory", "sqlite")
        self.phase(f"watch: 100 watchers, {writes} writes, floor")
        task = {"mode": "watch", "watchers": 100, "writes": writes, "rv": "0"}
        ref = await run_worker({**task, "port": floor.port, "prefix": "floorwatch"}, timeout=120)
        self.results["watch_floor"] = ref
        for storage in storages:
            self.phase(f"watch: 100 watchers, {writes} writes, {storage}")
            server = start_fakeapi(storage)
            try:
                client = Client(server.port)
                rv = (await client.json("GET", f"{PODS}?limit=1"))["metadata"]["resourceVersion"]
                await client.close()
                res = await run_worker({**task, "port": server.port, "prefix": "watch", "rv": rv}, timeout=120)
            finally:
                server.stop()
            self.results[f"watch_{storage}"] = res
            self.row(f"watch delivery p50, 100 watchers, {storage} (ms)", res["p50_ms"], ref["p50_ms"], "ms",
                     "floor broadcaster")
            self.row(f"watch delivery p99, 100 watchers, {storage} (ms)", res["p99_ms"], ref["p99_ms"], "ms",
                     "floor broadcaster")
            for who, r in (("fakeapi " + storage, res), ("floor", ref)):
                if r["missing"] or r["problems"]:
                    self.notes.append(f"watch {who}: {r['missing']}/{r['expected']} deliveries missing; "
                                      f"{r['problems'][:2]}")
                if r["early"]:
                    self.notes.append(f"watch {who}: {r['early']}/{r['deliveries']} events reached a watcher "
                                      "before the write's HTTP response reached the writer (negative latency)")

    # the simulated cluster's cost on creates -----------------------------------------------------------------
    async def simulation_creates(self) -> None:
        if _SIMULATION or "--no-simulation" not in _serve_help():
            return
        self.phase(f"memory + simulation: {self.n_create} creates")
        server = start_fakeapi("memory", simulation=True)
        try:
            await asyncio.sleep(1.0)  # nodes register
            rss0 = server.rss_mb()
            res = await run_worker({"mode": "post", "port": server.port, "server_pid": server.pid, "connections": 16,
                                    "count": self.n_create,
                                    "start": 0, "prefix": "sim"})
            cpu0 = _proc_cpu(server.pid)
            await asyncio.sleep(2.0)
            idle_cpu = (_proc_cpu(server.pid) - cpu0) / 2.0
            rss1 = server.rss_mb()
        finally:
            server.stop()
        self.results["create_memory_simulation"] = {**res, "cpu_after_s": idle_cpu, "rss_growth_mb": rss1 - rss0}
        base = self.results.get("create_memory", {}).get("rps")
        self.row(f"creates/s, memory + simulation ({self.n_create} pods)", res["rps"], base, "/s",
                 "same, no simulation")
        self.row("create server CPU per pod, memory + simulation (us)", res["server_us_per_req"],
                 self.results.get("create_memory", {}).get("server_us_per_req"), "us", "same, no simulation")
        self.row("server CPU 2 s after those creates (cores)", idle_cpu, None, "cores", "")
        if res["errors"]:
            self.notes.append(f"simulation creates: {res['errors']} failed, e.g. {res['error_samples'][:1]}")


def cpu_snapshot() -> tuple[float, float, float, float]:
    """(machine busy core-seconds, steal core-seconds, our own + waited children's CPU seconds, wall time)"""
    import resource

    vals = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    tick = os.sysconf("SC_CLK_TCK")
    busy = (sum(vals) - vals[3] - vals[4] - vals[7]) / tick  # minus idle, iowait, steal
    ours = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
    return busy, vals[7] / tick, ours, time.monotonic()


def _median_run(runs: list[dict]) -> dict:
    """per-field medians of several load-generator runs"""
    out = dict(runs[0])
    for key in ("rps", "p50_ms", "p99_ms", "client_cpu", "server_cpu", "server_us_per_req"):
        out[key] = statistics.median(r[key] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    out["error_samples"] = [e for r in runs for e in r["error_samples"]][:5]
    return out


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> dict:
    info = {"cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform()}
    try:
        info["cpu_model"] = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                                 if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        info["cgroup_cpu_max"] = "unlimited" if quota == "max" else f"{int(quota) / int(period):g} cores"
    except (OSError, ValueError):
        pass
    versions = {}
    for mod in ("starlette", "uvicorn", "uvloop", "httptools", "orjson"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:
            pass
    info["versions"] = versions
    return info


def fmt(v: float | None, unit: str) -> str:
    if v is None or v != v:
        return "-"
    if unit in ("req/s", "/s"):
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def print_table(bench: Bench, info: dict) -> None:
    print()
    print(f"fakeapi server benchmark{' (--quick)' if bench.quick else ''}: "
          f"{'simulation on' if _SIMULATION else 'API only (--no-simulation)'}")
    print(f"machine: {info['cores']} cores ({info['usable_cores']} usable"
          f"{', cgroup cpu.max ' + info['cgroup_cpu_max'] if 'cgroup_cpu_max' in info else ''}), "
          f"{info.get('cpu_model', '?')}; Python {info['python']} ({info['implementation']}); "
          + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    headers = ("metric", "fakeapi", "reference", "ratio", "reference is")
    groups = []
    for group in bench.sorted_rows():
        table = []
        for metric, value, ref, unit, ref_is in group:
            ratio = value / ref if value is not None and ref and value == value and ref == ref else None
            table.append((metric, fmt(value, unit), fmt(ref, unit), "-" if ratio is None else f"{ratio:.2f}", ref_is))
        groups.append(table)
    every = [headers, *(r for g in groups for r in g)]
    widths = [max(len(str(r[i])) for r in every) for i in range(5)]

    def show(cells: tuple[str, ...]) -> str:
        return " | ".join(c.ljust(w) if i in (0, 4) else c.rjust(w)
                          for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    print(show(headers))
    for table in groups:
        print(rule)
        for r in table:
            print(show(r))
    print("ratio = fakeapi / reference (req/s and creates/s: higher is better; times and MB: lower is better)")
    if bench.notes:
        print("notes:")
        for note in bench.notes:
            print(f"  - {note}")


async def amain(bench: Bench) -> None:
    floor = start_floor()
    try:
        try:
            await bench.get_vs_floor(floor)
        except Exception as exc:
            bench.notes.append(f"GET benchmark failed: {exc!r}")
        try:
            await bench.fill_list_memory(floor)
        except Exception as exc:
            bench.notes.append(f"create/LIST/memory benchmark failed: {exc!r}")
        try:
            await bench.watch(floor)
        except Exception as exc:
            bench.notes.append(f"watch benchmark failed: {exc!r}")
    finally:
        floor.stop()
    if not bench.quick:
        try:
            await bench.simulation_creates()
        except Exception as exc:
            bench.notes.append(f"simulation benchmark failed: {exc!r}")


def preflight() -> None:
    """fail early and clearly if pods are not served yet"""
    async def check() -> None:
        server = start_fakeapi("memory")
        try:
            client = Client(server.port)
            status, body = await client.request("POST", PODS, pod_body("preflight", 0))
            await client.close()
            if status != 201:
                raise SystemExit(f"bench: POST {PODS} answered {status} ({body[:200]!r}); are pods served yet?")
        finally:
            server.stop()

    asyncio.run(check())


T0 = time.perf_counter()


def main() -> int:
    global _SIMULATION, _TMP
    if "--_worker" in sys.argv:
        worker_main()
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short run (~40 s): fewer pods, shorter windows")
    parser.add_argument("--json", action="store_true", help="also print the results as one JSON line")
    parser.add_argument("--simulation", action="store_true",
                        help="run fakeapi with its simulated cluster (default: --no-simulation, the API alone)")
    args = parser.parse_args()
    _SIMULATION = args.simulation
    _TMP = Path(tempfile.mkdtemp(prefix="fakeapi-bench-"))
    atexit.register(_cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    info = machine()
    bench = Bench(args.quick)
    print(f"bench: temp dir {_TMP}; fakeapi = {' '.join(fakeapi_cmd())}", file=sys.stderr)
    preflight()
    snap0 = cpu_snapshot()
    try:
        bench.startup()
    except Exception as exc:
        bench.notes.append(f"start-up benchmark failed: {exc!r}")
    asyncio.run(amain(bench))
    snap1 = cpu_snapshot()
    wall = snap1[3] - snap0[3]
    others = max(0.0, (snap1[0] - snap0[0]) - (snap1[2] - snap0[2])) / wall
    steal = (snap1[1] - snap0[1]) / wall
    bench.results["other_load_cores"] = others
    bench.results["steal_cores"] = steal
    if others > 0.15 or steal > 0.05:
        bench.notes.append(f"the machine was not quiet: other processes used {others:.2f} cores on average during "
                           f"the measurements (steal {steal:.2f}); expect noise, rerun to compare")
    bench.notes.extend(f"server log: {line}" for line in log_findings())
    bench.results["machine"] = info
    bench.results["total_seconds"] = time.perf_counter() - T0
    print_table(bench, info)
    print(f"total bench time {bench.results['total_seconds']:.0f} s; other processes' load during the "
          f"measurements: {bench.results.get('other_load_cores', float('nan')):.2f} cores")
    if args.json:
        bench.results["table"] = [dict(zip(("metric", "fakeapi", "reference", "unit", "reference_is"), r))
                                  for g in bench.sorted_rows() for r in g]
        bench.results["notes"] = bench.notes
        print(json.dumps(bench.results, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
