"""Content negotiation: what a request body is, and what representation the client accepts.

Requests: JSON (also with no Content-Type, as the Python client sends), YAML, and the four patch
types; protobuf bodies (kubectl's typed `create <subcommand>`) get a 415 that says what to run instead.
Responses: JSON, or a meta.k8s.io Table when Accept asks for `as=Table`.
"""

from __future__ import annotations

from typing import Any

from fakeapi import codec
from fakeapi.errors import StatusError, bad_request, not_acceptable
from fakeapi.registry import patch as patching

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
PATCH_TYPES = (patching.JSON_PATCH, patching.MERGE, patching.STRATEGIC, patching.APPLY)

PROTOBUF_HINT = (
    "fakeapi does not decode protobuf request bodies; kubectl sends them for built-in "
    "`kubectl create <kind> ...` subcommands. Generate the manifest and apply it as JSON instead, e.g. "
    "`kubectl create deployment web --image=nginx --dry-run=client -o yaml | kubectl apply -f -`")


def media_type(content_type: str | None) -> str:
    if not content_type:
        return JSON
    return content_type.split(";", 1)[0].strip().lower()


def decode_body(body: bytes, content_type: str | None) -> Any:
    mt = media_type(content_type)
    if mt == PROTOBUF:
        raise StatusError(415, "UnsupportedMediaType", PROTOBUF_HINT)
    if mt in (YAML, "application/x-yaml", "text/yaml"):
        import yaml

        try:
            return yaml.safe_load(body)
        except yaml.YAMLError as exc:
            raise bad_request(f"error converting YAML to JSON: {exc}") from None
    if mt not in (JSON, "*/*", "text/plain", "application/x-www-form-urlencoded"):
        raise StatusError(415, "UnsupportedMediaType",
                          f'the body of the request was in an unknown format - accepted media types include: '
                          f'application/json, application/yaml, {PROTOBUF}')
    if not body:
        raise bad_request("the request body is empty: an object is required")
    try:
        return codec.loads(body)
    except codec.JSONDecodeError as exc:
        raise bad_request(f"couldn't get version/kind; json parse error: {exc}") from None


def patch_type(content_type: str | None) -> str:
    mt = media_type(content_type)
    if mt == PROTOBUF:
        raise StatusError(415, "UnsupportedMediaType", PROTOBUF_HINT)
    if mt not in PATCH_TYPES:
        raise StatusError(415, "UnsupportedMediaType",
                          f"the body of the request was in an unknown format - accepted media types include: "
                          f"{', '.join(PATCH_TYPES)}")
    return mt


def wants_table(accept: str | None) -> bool:
    """True when the client's first acceptable type is a meta.k8s.io Table."""
    if not accept or "as=Table" not in accept:
        return False
    for part in accept.split(","):
        params = [p.strip() for p in part.split(";")]
        if "as=Table" in params:
            if "g=meta.k8s.io" in params and ("v=v1" in params or "v=v1beta1" in params):
                return True
            continue
        mt = params[0]
        if mt in (JSON, "*/*", "application/*"):
            return False
    raise not_acceptable("only the following media types are accepted: application/json, application/yaml, "
                         "application/vnd.kubernetes.protobuf, application/json;stream=watch, "
                         "application/vnd.kubernetes.protobuf;stream=watch")
