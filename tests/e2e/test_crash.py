"""Durability: every write the server acknowledged survives `kill -9`, with its resourceVersion, and the
revision sequence continues above all of them after a restart on the same data directory."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import StartServer

WRITERS = 3
WRITE_SECONDS = 1.5
NS = "crash"


def writer(url: str, prefix: str, acked: dict[str, str], stop: threading.Event) -> None:
    """Create configmaps until the server goes away; record each 201 (name -> resourceVersion)."""
    with httpx.Client(base_url=url, timeout=5) as client:
        i = 0
        while True:
            name = f"{prefix}-{i:05d}"
            try:
                r = client.post(f"/api/v1/namespaces/{NS}/configmaps",
                                json={"metadata": {"name": name}, "data": {"i": str(i)}})
            except httpx.HTTPError:
                return  # the server was killed mid-request: this one is not acknowledged
            if r.status_code == 201:
                acked[name] = r.json()["metadata"]["resourceVersion"]
            elif stop.is_set():
                return
            i += 1


def test_acknowledged_writes_survive_sigkill(start_server: StartServer, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = start_server(data)
    with first.client() as c:
        assert c.post("/api/v1/namespaces", json={"metadata": {"name": NS}}).status_code == 201

    acked: dict[str, str] = {}
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(first.url, f"w{n}", acked, stop), daemon=True)
               for n in range(WRITERS)]
    for t in threads:
        t.start()
    time.sleep(WRITE_SECONDS)
    first.proc.send_signal(signal.SIGKILL)  # mid-stream: writers have requests in flight
    assert first.proc.wait(timeout=5) == -signal.SIGKILL
    stop.set()
    for t in threads:
        t.join(timeout=10)
        assert not t.is_alive()
    snapshot = dict(acked)
    assert len(snapshot) > 50, f"only {len(snapshot)} writes were acknowledged before the kill"
    highest = max(int(rv) for rv in snapshot.values())
    print(f"{len(snapshot)} acknowledged creates before SIGKILL, highest resourceVersion {highest}")

    second = start_server(data)
    with second.client() as c:
        listed = c.get(f"/api/v1/namespaces/{NS}/configmaps").json()
        stored = {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in listed["items"]}
        lost = sorted(set(snapshot) - set(stored))
        assert lost == [], f"{len(lost)} acknowledged writes lost, e.g. {lost[:5]}"
        changed = {n: (rv, stored[n]) for n, rv in snapshot.items() if stored[n] != rv}
        assert changed == {}
        # a GET answers each from storage as acknowledged
        for name in sorted(snapshot)[:: max(1, len(snapshot) // 20)]:
            r = c.get(f"/api/v1/namespaces/{NS}/configmaps/{name}")
            assert r.status_code == 200 and r.json()["metadata"]["resourceVersion"] == snapshot[name]

        # the revision continues above everything acknowledged
        assert int(listed["metadata"]["resourceVersion"]) >= highest
        r = c.post(f"/api/v1/namespaces/{NS}/configmaps", json={"metadata": {"name": "after-restart"}})
        assert r.status_code == 201
        assert int(r.json()["metadata"]["resourceVersion"]) > highest

        # the watch window was restored too: a watch from an acknowledged RV replays what followed it
        lowest = min(int(rv) for rv in snapshot.values())
        with c.stream("GET", f"/api/v1/namespaces/{NS}/configmaps",
                      params={"watch": "1", "resourceVersion": str(lowest), "timeoutSeconds": "1"}) as w:
            events = [json.loads(line) for line in w.iter_lines()]
        replayed = {e["object"]["metadata"]["name"] for e in events if e["type"] == "ADDED"}
        assert {n for n, rv in snapshot.items() if int(rv) > lowest} <= replayed
        assert "after-restart" in replayed
    (start_line,) = [line for line in second.lines if line.startswith(f"fakeapi: data dir {data} (revision ")]
    assert int(start_line.rsplit(" ", 1)[1].rstrip(")")) >= highest
    second.stop(signal.SIGTERM)
