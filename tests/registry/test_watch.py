"""WATCH semantics: registry/watch.py directly (against MemoryStorage), then over HTTP through a
RunningServer with httpx streaming (web/watchstream.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.config import Config
from fakeapi.registry import patch as patching
from fakeapi.registry.options import ListOptions
from fakeapi.resources import default_registry
from fakeapi.registry.store import ResourceStore
from fakeapi.registry.watch import INITIAL_EVENTS_END, WatchEvent, watch_objects
from fakeapi.storage import MemoryStorage
from fakeapi.testing import RunningServer

REGISTRY = default_registry()
CM = REGISTRY.lookup("", "v1", "configmaps")
assert CM is not None

def patch(store: ResourceStore, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
    """ResourceStore.patch, unwrapped to its KeyValue (it also reports whether server-side apply created)."""
    result = store.patch(*args, **kwargs)
    return result[0] if isinstance(result, tuple) else result



def new_store(window: int = 20000) -> ResourceStore:
    s = ResourceStore(MemoryStorage(window=window))
    ensure_system_namespaces(s, REGISTRY)
    return s


def make_cm(store: ResourceStore, name: str, ns: str = "default", **labels: str) -> int:
    return store.create(CM, ns, {"metadata": {"name": name, "labels": labels}, "data": {}}).mod_rev


def summary(ev: WatchEvent) -> tuple[str, str, str]:
    meta = ev.obj["metadata"]
    return ev.type, meta.get("name", ""), meta.get("resourceVersion", "")


def run_watch(store: ResourceStore, q: dict[str, str], n: int, *, ns: str | None = "default",
              during: Callable[[], None] | None = None, bookmark_interval: float = 60.0,
              timeout: float = 5.0) -> list[WatchEvent]:
    """Open a watch, take the events available before `during` runs... until `n` events in all."""

    async def go() -> list[WatchEvent]:
        opts = ListOptions.parse({"watch": "1", **q})
        gen: AsyncIterator[WatchEvent] = watch_objects(store.storage, CM, ns, opts,
                                                       bookmark_interval=bookmark_interval)
        out: list[WatchEvent] = []
        started = False
        try:
            while len(out) < n:
                if not started:
                    # the generator registers its watcher on the first __anext__; writes come after
                    first = asyncio.ensure_future(gen.__anext__())
                    await asyncio.sleep(0)
                    if during is not None:
                        during()
                    started = True
                    try:
                        out.append(await asyncio.wait_for(first, timeout))
                    except StopAsyncIteration:
                        break
                    continue
                try:
                    out.append(await asyncio.wait_for(gen.__anext__(), timeout))
                except StopAsyncIteration:
                    break
        finally:
            await gen.aclose()
        return out

    return asyncio.run(go())


# ---- registry level --------------------------------------------------------------------------------

def test_unset_resource_version_sends_synthetic_added_then_live_events() -> None:
    store = new_store()
    make_cm(store, "b")
    make_cm(store, "a")
    make_cm(store, "other", "kube-system")

    def writes() -> None:
        patch(store, CM, "default", "a", patching.MERGE, b'{"data":{"x":"1"}}')
        store.delete(CM, "default", "b")
        make_cm(store, "c")

    events = run_watch(store, {}, 5, during=writes)
    kinds = [(e.type, e.obj["metadata"]["name"]) for e in events]
    assert kinds == [("ADDED", "a"), ("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "b"), ("ADDED", "c")]
    rvs = [int(e.obj["metadata"]["resourceVersion"]) for e in events[2:]]
    assert rvs == sorted(rvs) and rvs[-1] == store.storage.revision
    # DELETED carries the last state, stamped with the deletion's revision
    assert events[3].obj["metadata"]["resourceVersion"] == str(rvs[1])


def test_resource_version_zero_also_sends_the_current_state() -> None:
    store = new_store()
    make_cm(store, "a")
    events = run_watch(store, {"resourceVersion": "0"}, 2, during=lambda: make_cm(store, "b"))
    assert [(e.type, e.obj["metadata"]["name"]) for e in events] == [("ADDED", "a"), ("ADDED", "b")]


def test_an_exact_resource_version_replays_only_later_changes() -> None:
    store = new_store()
    make_cm(store, "a")
    rv = make_cm(store, "b")
    patch(store, CM, "default", "a", patching.MERGE, b'{"data":{"x":"1"}}')  # after rv: replayed
    events = run_watch(store, {"resourceVersion": str(rv)}, 2, during=lambda: make_cm(store, "c"))
    assert [(e.type, e.obj["metadata"]["name"]) for e in events] == [("MODIFIED", "a"), ("ADDED", "c")]
    current = store.storage.revision
    events = run_watch(store, {"resourceVersion": str(current)}, 1, during=lambda: make_cm(store, "d"))
    assert [summary(e) for e in events] == [("ADDED", "d", str(current + 1))]


def test_a_too_old_resource_version_is_an_in_stream_410_expired() -> None:
    store = new_store(window=5)
    for i in range(12):
        make_cm(store, f"c{i}")
    (event,) = run_watch(store, {"resourceVersion": "2"}, 5)
    assert event.type == "ERROR"
    status = event.obj
    assert (status["kind"], status["apiVersion"], status["status"]) == ("Status", "v1", "Failure")
    assert (status["code"], status["reason"]) == (410, "Expired")
    assert status["message"].startswith("too old resource version: 2 (")


def test_the_too_old_message_names_the_oldest_resource_version_a_watch_may_start_from() -> None:
    store = new_store(window=5)
    for i in range(12):
        make_cm(store, f"c{i}")
    floor = store.storage.compacted_revision
    run_watch(store, {"resourceVersion": str(floor)}, 0)  # accepted
    (event,) = run_watch(store, {"resourceVersion": "2"}, 5)
    assert event.obj["message"] == f"too old resource version: 2 ({floor})"


def test_a_plain_watch_ahead_of_the_current_revision_waits_for_it() -> None:
    store = new_store()
    ahead = store.storage.revision + 2

    def writes() -> None:
        for name in ("a", "b", "c", "d"):
            make_cm(store, name)

    events = run_watch(store, {"resourceVersion": str(ahead)}, 2, during=writes)
    assert [summary(e)[:2] for e in events] == [("ADDED", "c"), ("ADDED", "d")]


def test_send_initial_events_ends_with_the_annotated_bookmark() -> None:
    store = new_store()
    make_cm(store, "b")
    make_cm(store, "a")
    rev = store.storage.revision
    events = run_watch(store, {"sendInitialEvents": "true", "resourceVersionMatch": "NotOlderThan",
                               "allowWatchBookmarks": "true"}, 4, during=lambda: make_cm(store, "c"))
    assert [e.type for e in events] == ["ADDED", "ADDED", "BOOKMARK", "ADDED"]
    assert [e.obj["metadata"]["name"] for e in events[:2]] == ["a", "b"]
    bookmark = events[2].obj
    assert bookmark == {"kind": "ConfigMap", "apiVersion": "v1",
                        "metadata": {"resourceVersion": str(rev), "annotations": {INITIAL_EVENTS_END: "true"}}}
    assert events[3].obj["metadata"]["name"] == "c"


def test_send_initial_events_with_an_empty_collection_still_sends_the_bookmark() -> None:
    store = new_store()
    events = run_watch(store, {"sendInitialEvents": "true", "resourceVersionMatch": "NotOlderThan",
                               "allowWatchBookmarks": "true"}, 1, ns="nothing-here")
    assert [e.type for e in events] == ["BOOKMARK"]
    assert events[0].obj["metadata"]["annotations"] == {INITIAL_EVENTS_END: "true"}


def test_send_initial_events_false_skips_the_state() -> None:
    store = new_store()
    make_cm(store, "a")
    events = run_watch(store, {"sendInitialEvents": "false", "resourceVersionMatch": "NotOlderThan"}, 1,
                       during=lambda: make_cm(store, "b"))
    assert [summary(e)[:2] for e in events] == [("ADDED", "b")]


def test_label_selector_transitions() -> None:
    store = new_store()
    make_cm(store, "a", app="web")
    make_cm(store, "b", app="db")

    def writes() -> None:
        patch(store, CM, "default", "a", patching.MERGE, b'{"metadata":{"labels":{"app":"db"}}}')  # leaves
        patch(store, CM, "default", "b", patching.MERGE, b'{"metadata":{"labels":{"app":"web"}}}')  # enters
        patch(store, CM, "default", "b", patching.MERGE, b'{"data":{"x":"1"}}')  # stays
        patch(store, CM, "default", "a", patching.MERGE, b'{"data":{"x":"1"}}')  # stays out: nothing
        store.delete(CM, "default", "b")

    before = store.storage.revision
    events = run_watch(store, {"labelSelector": "app=web"}, 5, during=writes)
    assert [(e.type, e.obj["metadata"]["name"]) for e in events] == [
        ("ADDED", "a"), ("DELETED", "a"), ("ADDED", "b"), ("MODIFIED", "b"), ("DELETED", "b")]
    left = events[1].obj
    # the object leaving the selection is seen in its previous state, at the new resourceVersion
    assert left["metadata"]["labels"] == {"app": "web"}
    assert left["metadata"]["resourceVersion"] == str(before + 1)
    assert "x" not in (left.get("data") or {})
    assert events[2].obj["metadata"]["labels"] == {"app": "web"}


def test_a_metadata_name_field_selector_watches_one_object() -> None:
    store = new_store()
    make_cm(store, "web")

    def writes() -> None:
        make_cm(store, "web2")
        make_cm(store, "we")
        patch(store, CM, "default", "web", patching.MERGE, b'{"data":{"x":"1"}}')

    events = run_watch(store, {"fieldSelector": "metadata.name=web"}, 2, during=writes)
    assert [(e.type, e.obj["metadata"]["name"]) for e in events] == [("ADDED", "web"), ("MODIFIED", "web")]


def test_timeout_seconds_ends_the_watch() -> None:
    store = new_store()
    make_cm(store, "a")
    start = time.monotonic()
    events = run_watch(store, {"timeoutSeconds": "1"}, 100)
    elapsed = time.monotonic() - start
    assert [e.type for e in events] == ["ADDED"]
    assert 0.9 <= elapsed < 3


def test_idle_watches_with_bookmarks_get_periodic_bookmarks_at_the_current_revision() -> None:
    store = new_store()
    make_cm(store, "a")
    events = run_watch(store, {"resourceVersion": str(store.storage.revision), "allowWatchBookmarks": "true"}, 2,
                       bookmark_interval=0.05)
    assert [e.type for e in events] == ["BOOKMARK", "BOOKMARK"]
    for e in events:
        assert e.obj == {"kind": "ConfigMap", "apiVersion": "v1",
                         "metadata": {"resourceVersion": str(store.storage.revision)}}


def test_a_namespaced_watch_sees_only_its_namespace() -> None:
    store = new_store()
    events = run_watch(store, {}, 1, during=lambda: (make_cm(store, "x", "kube-system"), make_cm(store, "y")))
    assert [(e.type, e.obj["metadata"]["name"]) for e in events] == [("ADDED", "y")]
    events = run_watch(store, {"resourceVersion": str(store.storage.revision)}, 2, ns=None,
                       during=lambda: (make_cm(store, "x2", "kube-system"), make_cm(store, "y2")))
    assert [(e.obj["metadata"]["namespace"], e.obj["metadata"]["name"]) for e in events] == [
        ("kube-system", "x2"), ("default", "y2")]


# ---- over HTTP -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with RunningServer(Config(storage="memory", watch_window=200, simulate=False)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


NS_PATH = "/api/v1/namespaces/default/configmaps"


def post_cm(client: httpx.Client, name: str, ns: str = "default", **labels: str) -> dict[str, Any]:
    r = client.post(f"/api/v1/namespaces/{ns}/configmaps", json={"metadata": {"name": name, "labels": labels}})
    assert r.status_code == 201, r.text
    return r.json()


def ns(client: httpx.Client, name: str) -> str:
    r = client.post("/api/v1/namespaces", json={"metadata": {"name": name}})
    assert r.status_code == 201, r.text
    return name


class Stream:
    """An open watch: raw lines as they arrive."""

    def __init__(self, client: httpx.Client, path: str, params: dict[str, str]) -> None:
        self._cm = client.stream("GET", path, params=params)
        self.response = self._cm.__enter__()
        self._lines = self.response.iter_lines()
        self.raw: list[str] = []

    def next(self) -> dict[str, Any]:
        line = next(self._lines)
        self.raw.append(line)
        return json.loads(line)

    def take(self, n: int) -> list[dict[str, Any]]:
        return [self.next() for _ in range(n)]

    def rest(self) -> list[dict[str, Any]]:
        out = []
        for line in self._lines:
            self.raw.append(line)
            out.append(json.loads(line))
        return out

    def close(self) -> None:
        self._cm.__exit__(None, None, None)


@pytest.fixture
def open_watch(client: httpx.Client) -> Iterator[Callable[..., Stream]]:
    streams: list[Stream] = []

    def _open(path: str, **params: str) -> Stream:
        params.setdefault("timeoutSeconds", "5")
        s = Stream(client, path, params)
        streams.append(s)
        return s

    yield _open
    for s in streams:
        s.close()


def names_of(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["type"], e["object"]["metadata"].get("name", "")) for e in events]


def test_http_watch_streams_one_json_event_per_line(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-lines")
    path = f"/api/v1/namespaces/{space}/configmaps"
    post_cm(client, "a", space)
    stream = open_watch(path, watch="1")
    assert stream.response.status_code == 200
    assert stream.response.headers["content-type"].startswith("application/json")
    first = stream.next()
    assert names_of([first]) == [("ADDED", "a")]
    created = post_cm(client, "b", space)
    second = stream.next()
    assert second == {"type": "ADDED", "object": created}
    for line in stream.raw:
        assert "\n" not in line and line == line.strip()
        assert set(json.loads(line)) == {"type", "object"}


def test_http_watch_from_a_resource_version_does_not_replay(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-exact")
    path = f"/api/v1/namespaces/{space}/configmaps"
    post_cm(client, "a", space)
    listed = client.get(path).json()
    stream = open_watch(path, watch="true", resourceVersion=listed["metadata"]["resourceVersion"])
    post_cm(client, "b", space)
    client.delete(f"{path}/a")
    assert names_of(stream.take(2)) == [("ADDED", "b"), ("DELETED", "a")]


def test_http_watch_too_old_is_200_then_an_error_event(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-old")
    for i in range(220):  # beyond the server's 200-event window
        post_cm(client, f"c{i}", space)
    stream = open_watch(f"/api/v1/namespaces/{space}/configmaps", watch="1", resourceVersion="3")
    assert stream.response.status_code == 200
    events = stream.rest()
    assert len(events) == 1
    (event,) = events
    assert event["type"] == "ERROR"
    status = event["object"]
    assert (status["kind"], status["status"], status["code"], status["reason"]) == ("Status", "Failure", 410,
                                                                                      "Expired")
    assert status["message"].startswith("too old resource version: 3 (")


def test_http_watch_list_sends_the_initial_events_end_bookmark(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-list")
    path = f"/apis/apps/v1/namespaces/{space}/deployments"
    body = {"metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    assert client.post(path, json=body).status_code == 201
    stream = open_watch(path, watch="true", sendInitialEvents="true", allowWatchBookmarks="true",
                        resourceVersionMatch="NotOlderThan", fieldSelector="metadata.name=web")
    added, bookmark = stream.take(2)
    assert names_of([added]) == [("ADDED", "web")]
    assert bookmark["type"] == "BOOKMARK"
    assert bookmark["object"]["kind"] == "Deployment" and bookmark["object"]["apiVersion"] == "apps/v1"
    assert bookmark["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    assert int(bookmark["object"]["metadata"]["resourceVersion"]) >= int(added["object"]["metadata"]["resourceVersion"])


def test_http_watch_list_parameters_are_validated(client: httpx.Client) -> None:
    r = client.get(NS_PATH, params={"watch": "1", "sendInitialEvents": "true"})
    assert r.status_code == 422
    assert r.json()["message"] == ('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
                                   "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")


def test_http_watch_label_selector_transitions(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-labels")
    path = f"/api/v1/namespaces/{space}/configmaps"
    post_cm(client, "a", space, app="web")
    stream = open_watch(path, watch="1", labelSelector="app=web")
    assert names_of(stream.take(1)) == [("ADDED", "a")]
    merge = {"Content-Type": "application/merge-patch+json"}
    client.patch(f"{path}/a", content=b'{"metadata":{"labels":{"app":"db"}}}', headers=merge)
    client.patch(f"{path}/a", content=b'{"metadata":{"labels":{"app":"web"}}}', headers=merge)
    left, back = stream.take(2)
    assert names_of([left, back]) == [("DELETED", "a"), ("ADDED", "a")]
    assert left["object"]["metadata"]["labels"] == {"app": "web"}


def test_http_watch_of_a_named_object(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-named")
    path = f"/api/v1/namespaces/{space}/configmaps"
    post_cm(client, "one", space)
    stream = open_watch(f"{path}/one", watch="1")
    post_cm(client, "two", space)
    client.delete(f"{path}/one")
    assert names_of(stream.take(2)) == [("ADDED", "one"), ("DELETED", "one")]


def test_http_watch_timeout_seconds_ends_the_stream(client: httpx.Client, open_watch) -> None:
    space = ns(client, "w-timeout")
    start = time.monotonic()
    stream = open_watch(f"/api/v1/namespaces/{space}/configmaps", watch="1", timeoutSeconds="1")
    assert stream.rest() == []
    assert 0.9 <= time.monotonic() - start < 4
