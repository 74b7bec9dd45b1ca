"""Patch application (registry/patch.py): JSON merge patch (RFC 7386) and JSON patch (RFC 6902)."""

from __future__ import annotations

from typing import Any

import pytest

from fakeapi import codec
from fakeapi.errors import StatusError
from fakeapi.registry.patch import json_patch, merge_patch

# RFC 7386 Appendix A, every example
RFC7386 = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize("target, patch, expected", RFC7386)
def test_merge_patch_rfc7386_examples(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


def test_merge_patch_does_not_mutate_its_inputs() -> None:
    target = {"metadata": {"labels": {"a": "1"}}, "spec": {"x": [1]}}
    patch = {"metadata": {"labels": {"a": None, "b": "2"}}}
    before_target, before_patch = codec.deepcopy(target), codec.deepcopy(patch)
    assert merge_patch(target, patch) == {"metadata": {"labels": {"b": "2"}}, "spec": {"x": [1]}}
    assert (target, patch) == (before_target, before_patch)


# ---- JSON patch ------------------------------------------------------------------------------------

def doc() -> dict[str, Any]:
    return {"metadata": {"name": "x", "labels": {"a": "1", "k/v": "s", "t~i": "l"}},
            "spec": {"list": [1, 2, 3], "n": 0}}


def test_json_patch_add_replace_remove() -> None:
    out = json_patch(doc(), [
        {"op": "add", "path": "/metadata/annotations", "value": {"x": "y"}},
        {"op": "add", "path": "/spec/list/1", "value": 9},
        {"op": "add", "path": "/spec/list/-", "value": 4},
        {"op": "replace", "path": "/spec/n", "value": 5},
        {"op": "remove", "path": "/metadata/labels/a"},
    ])
    assert out["metadata"]["annotations"] == {"x": "y"}
    assert out["spec"] == {"list": [1, 9, 2, 3, 4], "n": 5}
    assert out["metadata"]["labels"] == {"k/v": "s", "t~i": "l"}


def test_json_patch_pointer_escapes() -> None:
    out = json_patch(doc(), [{"op": "replace", "path": "/metadata/labels/k~1v", "value": "S"},
                             {"op": "remove", "path": "/metadata/labels/t~0i"}])
    assert out["metadata"]["labels"] == {"a": "1", "k/v": "S"}


def test_json_patch_move_copy_and_test() -> None:
    out = json_patch(doc(), [
        {"op": "copy", "from": "/metadata/labels", "path": "/metadata/annotations"},
        {"op": "move", "from": "/spec/n", "path": "/spec/m"},
        {"op": "test", "path": "/spec/m", "value": 0},
        {"op": "test", "path": "/metadata/annotations/a", "value": "1"},
    ])
    assert out["metadata"]["annotations"] == out["metadata"]["labels"]
    assert out["spec"] == {"list": [1, 2, 3], "m": 0}
    # the copy is a copy, not an alias
    out["metadata"]["annotations"]["a"] = "changed"
    assert out["metadata"]["labels"]["a"] == "1"


def test_json_patch_add_value_is_copied() -> None:
    value = {"deep": [1]}
    out = json_patch(doc(), [{"op": "add", "path": "/spec/v", "value": value}])
    out["spec"]["v"]["deep"].append(2)
    assert value == {"deep": [1]}


def test_json_patch_replace_of_the_whole_document() -> None:
    assert json_patch(doc(), [{"op": "replace", "path": "", "value": {"a": 1}}]) == {"a": 1}


@pytest.mark.parametrize("ops", [
    [{"op": "replace", "path": "/metadata/annotations/x", "value": "y"}],  # replace needs an existing value
    [{"op": "remove", "path": "/metadata/nope"}],
    [{"op": "add", "path": "/missing/parent/x", "value": 1}],
    [{"op": "add", "path": "/spec/list/9", "value": 1}],
    [{"op": "test", "path": "/spec/n", "value": 1}],
    [{"op": "move", "from": "/spec/nope", "path": "/spec/x"}],
])
def test_json_patch_failures_are_422(ops: list[dict[str, Any]]) -> None:
    with pytest.raises(StatusError) as exc:
        json_patch(doc(), ops)
    assert (exc.value.code, exc.value.reason) == (422, "Invalid")


def test_json_patch_failure_message_is_the_apiserver_generic_text() -> None:
    with pytest.raises(StatusError) as exc:
        json_patch(doc(), [{"op": "test", "path": "/spec/n", "value": 1}])
    assert exc.value.message == "the server rejected our request due to an error in our request"


@pytest.mark.parametrize("ops", [{"op": "add"}, [{"path": "/x"}], [{"op": "frobnicate", "path": "/x"}], "x"])
def test_malformed_json_patches_are_bad_requests(ops: Any) -> None:
    with pytest.raises(StatusError) as exc:
        json_patch(doc(), ops)
    assert (exc.value.code, exc.value.reason) == (400, "BadRequest")


def test_too_many_json_patch_operations() -> None:
    ops = [{"op": "test", "path": "/spec/n", "value": 0}] * 10001
    with pytest.raises(StatusError) as exc:
        json_patch(doc(), ops)
    assert (exc.value.code, exc.value.reason) == (413, "RequestEntityTooLarge")
    assert "The allowed maximum operations in a JSON patch is 10000, got 10001" in exc.value.message
    assert json_patch(doc(), ops[:10000]) == doc()


def test_too_many_json_patch_operations_message() -> None:
    with pytest.raises(StatusError) as exc:
        json_patch(doc(), [{"op": "test", "path": "/spec/n", "value": 0}] * 10001)
    assert exc.value.message == ("Request entity too large: The allowed maximum operations in a JSON patch is 10000, "
                                 "got 10001")
