"""Patch application for PATCH requests: JSON merge patch (RFC 7386) and JSON patch (RFC 6902).

Errors are the apiserver's: a malformed patch is 400 BadRequest; a JSON patch whose `test` fails or whose
path does not exist is a 422 "the server rejected our request due to an error in our request".
"""

from __future__ import annotations

from typing import Any

from fakeapi import codec
from fakeapi.errors import StatusError, bad_request

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"
APPLY_CBOR = "application/apply-patch+cbor"

MAX_JSON_PATCH_OPS = 10000


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _split(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _patch_error(f'JSON pointer "{path}" must start with "/"')
    return [_unescape(t) for t in path[1:].split("/")]


def _patch_error(message: str) -> StatusError:
    """NewGenericServerResponse(422): the fixed message and empty details, whatever went wrong (`message`
    is what the apiserver logs, not what it answers)."""
    return StatusError(422, "Invalid", "the server rejected our request due to an error in our request", {})


def _parent(doc: Any, tokens: list[str], path: str) -> tuple[Any, str]:
    node = doc
    for t in tokens[:-1]:
        if isinstance(node, dict):
            if t not in node:
                raise _patch_error(f"doc is missing path: \"{path}\": missing value")
            node = node[t]
        elif isinstance(node, list):
            try:
                node = node[int(t)]
            except (ValueError, IndexError):
                raise _patch_error(f"doc is missing path: \"{path}\": missing value") from None
        else:
            raise _patch_error(f"doc is missing path: \"{path}\": missing value")
    return node, tokens[-1]


def _get(doc: Any, path: str) -> Any:
    tokens = _split(path)
    if not tokens:
        return doc
    parent, last = _parent(doc, tokens, path)
    try:
        if isinstance(parent, dict):
            return parent[last]
        if isinstance(parent, list):
            return parent[int(last)]
    except (KeyError, ValueError, IndexError):
        pass
    raise _patch_error(f"doc is missing path: \"{path}\": missing value")


def _add(doc: Any, path: str, value: Any) -> Any:
    tokens = _split(path)
    if not tokens:
        return value
    parent, last = _parent(doc, tokens, path)
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            try:
                idx = int(last)
            except ValueError:
                raise _patch_error(f"add operation does not apply: doc is missing path: \"{path}\": missing value") from None
            if idx < 0 or idx > len(parent):
                raise _patch_error(f"add operation does not apply: doc is missing path: \"{path}\": missing value")
            parent.insert(idx, value)
    else:
        raise _patch_error(f"add operation does not apply: doc is missing path: \"{path}\": missing value")
    return doc


def _remove(doc: Any, path: str, op: str = "remove") -> Any:
    tokens = _split(path)
    parent, last = _parent(doc, tokens, path)
    try:
        if isinstance(parent, dict):
            del parent[last]
            return doc
        if isinstance(parent, list):
            del parent[int(last)]
            return doc
    except (KeyError, ValueError, IndexError):
        pass
    raise _patch_error(f"{op} operation does not apply: doc is missing path: \"{path}\": missing value")


def json_patch(doc: Any, ops: Any) -> Any:
    if not isinstance(ops, list):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    if len(ops) > MAX_JSON_PATCH_OPS:
        raise StatusError(413, "RequestEntityTooLarge",
                          f"Request entity too large: The allowed maximum operations in a JSON patch is "
                          f"{MAX_JSON_PATCH_OPS}, got {len(ops)}")
    for op in ops:
        if not isinstance(op, dict) or "op" not in op:
            raise bad_request("Unexpected kind: ")
        kind, path = op["op"], op.get("path", "")
        if not isinstance(path, str):
            raise bad_request("path must be a string")
        if kind == "add":
            doc = _add(doc, path, codec.deepcopy(op.get("value")))
        elif kind == "remove":
            doc = _remove(doc, path)
        elif kind == "replace":
            _get(doc, path) if path else None
            if path:
                doc = _remove(doc, path, "replace")
            doc = _add(doc, path, codec.deepcopy(op.get("value")))
        elif kind in ("move", "copy"):
            value = _get(doc, op.get("from", ""))
            if kind == "move":
                doc = _remove(doc, op.get("from", ""), "move")
            doc = _add(doc, path, codec.deepcopy(value))
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise _patch_error(f"testing value {path} failed: test failed")
        else:
            raise bad_request(f"Unexpected kind: {kind}")
    return doc
