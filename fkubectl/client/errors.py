"""The client's one error type, `ApiError`, carrying the server's `metav1.Status`, and transport errors.

A non-Status error body is turned into a Status the way client-go does (`api/errors/errors.go`
`NewGenericServerResponse`), so the renderer only ever sees Statuses.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_REASON_BY_CODE = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
    406: "NotAcceptable", 409: "Conflict", 410: "Gone", 415: "UnsupportedMediaType", 422: "Invalid",
    429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
}


class ApiError(Exception):
    def __init__(self, status: dict[str, Any]) -> None:
        self.status = status
        super().__init__(self.message)

    @property
    def code(self) -> int:
        return int(self.status.get("code") or 0)

    @property
    def reason(self) -> str:
        return str(self.status.get("reason") or "")

    @property
    def message(self) -> str:
        return str(self.status.get("message") or "")

    @property
    def details(self) -> dict[str, Any]:
        return self.status.get("details") or {}

    @classmethod
    def from_response(cls, code: int, body: bytes, *, method: str = "GET", resource: str = "",
                      name: str = "") -> ApiError:
        try:
            doc = json.loads(body) if body else None
        except ValueError:
            doc = None
        if isinstance(doc, dict) and doc.get("kind") == "Status":
            doc.setdefault("code", code)
            return cls(doc)
        return cls(generic_status(code, body, method=method, resource=resource, name=name))


def generic_status(code: int, body: bytes, *, method: str, resource: str, name: str) -> dict[str, Any]:
    reason = _REASON_BY_CODE.get(code, "")
    text = body.decode("utf-8", "replace").strip()
    if code == 404:
        message = "the server could not find the requested resource"
    elif code == 409:
        message = "the server reported a conflict"
    elif code == 401:
        message = "the server has asked for the client to provide credentials"
    elif code == 403:
        message = text or "forbidden"
    else:
        reason = reason or "Unknown"
        message = f'an error on the server ("{text}") has prevented the request from succeeding'
    details: dict[str, Any] = {"causes": [{"reason": "UnexpectedServerResponse", "message": text}]} if text else {}
    if resource:
        details["kind"] = resource
    if name:
        details["name"] = name
    if resource:
        message = f"{message} ({method.lower()} {resource}{' ' + name if name else ''})"
    return {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message, "reason": reason,
            "details": details, "code": code}


class TransportError(Exception):
    """The request never got an HTTP answer."""

    def __init__(self, url: str, detail: str, *, refused: bool = False) -> None:
        self.url = url
        self.detail = detail
        self.refused = refused
        super().__init__(detail)
