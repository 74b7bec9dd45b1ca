"""LIST semantics (registry/listing.py): selectors per kind, limit/continue pages, resourceVersion and
resourceVersionMatch, with the apiserver's error wording."""

from __future__ import annotations

from typing import Any

import pytest

from fakeapi.bootstrap import ensure_system_namespaces
from fakeapi.errors import StatusError
from fakeapi.registry import patch as patching
from fakeapi.registry.listing import ListResult
from fakeapi.registry.options import ListOptions
from fakeapi.resources import default_registry
from fakeapi.registry.store import ResourceStore
from fakeapi.storage import MemoryStorage

REGISTRY = default_registry()
CM = REGISTRY.lookup("", "v1", "configmaps")
PODS = REGISTRY.lookup("", "v1", "pods")
EVENTS = REGISTRY.lookup("", "v1", "events")
NODES = REGISTRY.lookup("", "v1", "nodes")
assert CM and PODS and EVENTS and NODES


@pytest.fixture
def store() -> ResourceStore:
    s = ResourceStore(MemoryStorage())
    ensure_system_namespaces(s, REGISTRY)
    return s

def patch(store: ResourceStore, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
    """ResourceStore.patch, unwrapped to its KeyValue (it also reports whether server-side apply created)."""
    result = store.patch(*args, **kwargs)
    return result[0] if isinstance(result, tuple) else result



def make_cm(store: ResourceStore, name: str, ns: str = "default", **labels: str) -> None:
    store.create(CM, ns, {"metadata": {"name": name, "labels": labels}, "data": {}})


def names(result: ListResult) -> list[str]:
    return [kv.obj["metadata"]["name"] for kv in result.items]


def lst(store: ResourceStore, ns: str | None = "default", res=None, **q: str) -> ListResult:
    return store.list(res or CM, ns, ListOptions.parse(q))


def error(store: ResourceStore, ns: str | None = "default", res=None, **q: str) -> StatusError:
    with pytest.raises(StatusError) as exc:
        lst(store, ns, res, **q)
    return exc.value


# ---- label selectors -------------------------------------------------------------------------------

@pytest.fixture
def labelled(store: ResourceStore) -> ResourceStore:
    make_cm(store, "a", app="web", tier="front")
    make_cm(store, "b", app="web", tier="back")
    make_cm(store, "c", app="db")
    make_cm(store, "d")
    return store


@pytest.mark.parametrize("selector, expected", [
    ("app=web", ["a", "b"]),
    ("app==web", ["a", "b"]),
    ("app!=web", ["c", "d"]),  # != also matches objects without the key
    ("app in (web,db)", ["a", "b", "c"]),
    ("app notin (web)", ["c", "d"]),  # notin also matches objects without the key
    ("tier", ["a", "b"]),
    ("!tier", ["c", "d"]),
    ("app=web,tier=back", ["b"]),
    ("app in (web),tier!=front", ["b"]),
    ("app=nothing", []),
    ("", ["a", "b", "c", "d"]),
])
def test_label_selectors(labelled: ResourceStore, selector: str, expected: list[str]) -> None:
    assert names(lst(labelled, labelSelector=selector)) == expected


def test_label_selector_parse_errors_are_bad_requests_with_the_parser_text(store: ResourceStore) -> None:
    err = error(store, labelSelector="app in web")
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == "unable to parse requirement: found 'web' expected: '('"
    assert error(store, labelSelector="a b").message == \
        "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"


def test_list_across_namespaces(labelled: ResourceStore) -> None:
    make_cm(labelled, "a", "kube-system", app="web")
    result = lst(labelled, None, labelSelector="app=web")
    assert [(kv.obj["metadata"]["namespace"], kv.obj["metadata"]["name"]) for kv in result.items] == [
        ("default", "a"), ("default", "b"), ("kube-system", "a")]
    assert names(lst(labelled, "kube-system")) == ["a"]


# ---- field selectors -------------------------------------------------------------------------------

def make_pod(store: ResourceStore, name: str, node: str | None, phase: str | None = None) -> None:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    store.create(PODS, "default", {"metadata": {"name": name}, "spec": spec})
    if phase:
        patch(store, PODS, "default", name, patching.MERGE, b'{"status":{"phase":"%s"}}' % phase.encode(),
                    subresource="status")


def test_pod_field_selectors(store: ResourceStore) -> None:
    make_pod(store, "p1", "node-1", "Running")
    make_pod(store, "p2", "node-1", "Succeeded")
    make_pod(store, "p3", "node-2", "Running")
    make_pod(store, "p4", None)
    assert names(lst(store, res=PODS, fieldSelector="spec.nodeName=node-1")) == ["p1", "p2"]
    assert names(lst(store, res=PODS, fieldSelector="spec.nodeName=")) == ["p4"]
    assert names(lst(store, res=PODS, fieldSelector="status.phase=Running")) == ["p1", "p3"]
    assert names(lst(store, None, res=PODS,
                     fieldSelector="spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed")) == ["p1"]
    assert names(lst(store, res=PODS, fieldSelector="metadata.name=p3")) == ["p3"]
    assert names(lst(store, res=PODS, fieldSelector="metadata.name!=p3,spec.nodeName==node-2")) == []
    assert names(lst(store, None, res=PODS, fieldSelector="metadata.namespace=default")) == ["p1", "p2", "p3", "p4"]


def test_event_field_selectors(store: ResourceStore) -> None:
    for name, obj in (("e1", "web"), ("e2", "db"), ("e3", "web")):
        store.create(EVENTS, "default", {
            "metadata": {"name": name}, "reason": "Started", "message": "m", "type": "Normal",
            "involvedObject": {"kind": "Pod", "name": obj, "namespace": "default", "uid": f"uid-{obj}"}})
    assert names(lst(store, res=EVENTS, fieldSelector="involvedObject.name=web")) == ["e1", "e3"]
    assert names(lst(store, res=EVENTS, fieldSelector="involvedObject.name=web,involvedObject.namespace=default,"
                                                      "involvedObject.uid=uid-web")) == ["e1", "e3"]
    assert names(lst(store, res=EVENTS, fieldSelector="involvedObject.kind=Pod,involvedObject.name!=web")) == ["e2"]


def test_unknown_field_labels_are_bad_requests(store: ResourceStore) -> None:
    err = error(store, res=PODS, fieldSelector="spec.foo=bar")
    assert (err.code, err.reason, err.message) == (400, "BadRequest", "field label not supported: spec.foo")
    err = error(store, fieldSelector="data.x=1")
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"'
    err = error(store, fieldSelector="metadata.name")
    assert err.message == "invalid selector: 'metadata.name'; can't understand 'metadata.name'"


def test_metadata_name_selector_on_cluster_scoped_kinds(store: ResourceStore) -> None:
    for n in ("n1", "n2"):
        store.create(NODES, None, {"metadata": {"name": n}})
    assert names(lst(store, None, res=NODES, fieldSelector="metadata.name=n2")) == ["n2"]
    assert names(lst(store, None, res=NODES, fieldSelector="metadata.name=zz")) == []


# ---- limit / continue ------------------------------------------------------------------------------

def test_pages_carry_continue_and_remaining_item_count(store: ResourceStore) -> None:
    for i in range(5):
        make_cm(store, f"c{i}")
    first = lst(store, limit="2")
    assert names(first) == ["c0", "c1"]
    assert first.continue_token and first.remaining == 3
    second = lst(store, limit="2", **{"continue": first.continue_token})
    assert names(second) == ["c2", "c3"]
    assert second.continue_token and second.remaining == 1
    third = lst(store, limit="2", **{"continue": second.continue_token})
    assert names(third) == ["c4"]
    assert third.continue_token == "" and third.remaining is None
    assert first.resource_version == second.resource_version == third.resource_version == store.storage.revision


def test_a_full_last_page_has_no_continue(store: ResourceStore) -> None:
    for i in range(4):
        make_cm(store, f"c{i}")
    first = lst(store, limit="2")
    second = lst(store, limit="2", **{"continue": first.continue_token})
    assert names(second) == ["c2", "c3"]
    assert second.continue_token == "" and second.remaining is None
    whole = lst(store, limit="10")
    assert names(whole) == ["c0", "c1", "c2", "c3"] and whole.continue_token == ""


def test_selector_pages_omit_remaining_item_count(labelled: ResourceStore) -> None:
    first = lst(labelled, limit="1", labelSelector="app=web")
    assert names(first) == ["a"] and first.continue_token and first.remaining is None
    second = lst(labelled, limit="1", labelSelector="app=web", **{"continue": first.continue_token})
    assert names(second) == ["b"] and second.continue_token == ""


def test_pages_are_a_consistent_snapshot_when_writes_happen_between_them(store: ResourceStore) -> None:
    for i in range(6):
        make_cm(store, f"c{i}", v="old")
    first = lst(store, limit="2")
    snapshot_rv = first.resource_version
    store.delete(CM, "default", "c3")
    patch(store, CM, "default", "c4", patching.MERGE, b'{"metadata":{"labels":{"v":"new"}}}')
    make_cm(store, "c2a")
    make_cm(store, "c9")
    make_cm(store, "x", "kube-system")
    assert store.storage.revision > snapshot_rv
    seen = names(first)
    token = first.continue_token
    pages = []
    while token:
        page = lst(store, limit="2", **{"continue": token})
        pages.append(page)
        seen += names(page)
        token = page.continue_token
        for kv in page.items:
            assert kv.obj["metadata"]["labels"]["v"] == "old"
            assert int(kv.obj["metadata"]["resourceVersion"]) <= snapshot_rv
    assert seen == [f"c{i}" for i in range(6)]
    assert all(p.resource_version == snapshot_rv for p in pages)
    # a fresh list sees the writes
    assert names(lst(store)) == ["c0", "c1", "c2", "c2a", "c4", "c5", "c9"]


def test_a_continue_token_older_than_the_window_is_expired() -> None:
    store = ResourceStore(MemoryStorage(window=5))
    ensure_system_namespaces(store, REGISTRY)
    for i in range(4):
        make_cm(store, f"c{i}")
    first = lst(store, limit="2")
    for i in range(10):
        make_cm(store, f"z{i}")
    err = error(store, limit="2", **{"continue": first.continue_token})
    assert (err.code, err.reason) == (410, "Expired")
    assert err.message.startswith("The provided continue parameter is too old to display a consistent list result.")


def test_a_garbage_continue_token_is_a_bad_request(store: ResourceStore) -> None:
    err = error(store, limit="2", **{"continue": "not-a-token"})
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message.startswith("continue key is not valid")


def test_limit_with_an_old_resource_version_reads_that_revision(store: ResourceStore) -> None:
    make_cm(store, "a")
    rv = str(store.storage.revision)
    make_cm(store, "b")
    assert names(lst(store, resourceVersion=rv, limit="10")) == ["a"]
    assert names(lst(store, resourceVersion=rv, resourceVersionMatch="Exact")) == ["a"]
    assert lst(store, resourceVersion=rv, resourceVersionMatch="Exact").resource_version == int(rv)
    # NotOlderThan (and a plain RV without limit) may answer with the current state
    assert names(lst(store, resourceVersion=rv, resourceVersionMatch="NotOlderThan")) == ["a", "b"]
    assert names(lst(store, resourceVersion="0")) == ["a", "b"]


# ---- resourceVersion / resourceVersionMatch validation ---------------------------------------------

INVALID = 'ListOptions.meta.k8s.io "" is invalid: '


@pytest.mark.parametrize("query, message", [
    ({"resourceVersionMatch": "Exact"},
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
    ({"resourceVersionMatch": "NotOlderThan", "resourceVersion": "1", "continue": "abc"},
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"),
    ({"resourceVersionMatch": "Exact", "resourceVersion": "0"},
     'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
    ({"resourceVersionMatch": "Newest", "resourceVersion": "1"},
     'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""'),
    ({"sendInitialEvents": "true"},
     "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
])
def test_resource_version_match_validation(store: ResourceStore, query: dict[str, str], message: str) -> None:
    err = error(store, **query)
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == INVALID + message
    assert err.details is not None
    assert (err.details.get("group"), err.details.get("kind")) == ("meta.k8s.io", "ListOptions")
    (cause,) = err.details["causes"]
    assert cause["field"] == message.split(":")[0]


def test_resource_version_match_validation_reports_every_error(store: ResourceStore) -> None:
    err = error(store, resourceVersionMatch="Newest", **{"continue": "abc"})
    assert err.message == INVALID + (
        "[resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, "
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided, "
        'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""]')
    assert err.details is not None and len(err.details["causes"]) == 3


def test_a_non_numeric_resource_version_is_invalid(store: ResourceStore) -> None:
    err = error(store, resourceVersion="abc")
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.details is not None and [c["field"] for c in err.details["causes"]] == ["resourceVersion"]


def test_a_too_large_resource_version_is_a_504_timeout(store: ResourceStore) -> None:
    current = store.storage.revision
    for query in ({"resourceVersion": str(current + 100)},
                  {"resourceVersion": str(current + 100), "resourceVersionMatch": "Exact"},
                  {"resourceVersion": str(current + 100), "limit": "5"}):
        err = error(store, **query)
        assert (err.code, err.reason) == (504, "Timeout")
        assert err.details is not None
        assert err.details.get("retryAfterSeconds") == 1
        assert err.details.get("causes") == [{"reason": "ResourceVersionTooLarge",
                                              "message": "Too large resource version"}]
        assert f"Too large resource version: {current + 100}, current: {current}" in err.message


def test_a_too_large_resource_version_message_has_the_timeout_prefix(store: ResourceStore) -> None:
    current = store.storage.revision
    err = error(store, resourceVersion=str(current + 100))
    assert err.message == f"Timeout: Too large resource version: {current + 100}, current: {current}"
