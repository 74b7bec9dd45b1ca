"""Field-level validation errors, worded as k8s.io/apimachinery/pkg/util/validation/field renders them.

Strategies return a list of `FieldError`; `invalid()` folds them into one 422 Invalid Status whose
message is `<Kind.group> "<name>" is invalid: <field>: <body>` (several errors joined as `[e1, e2]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakeapi.errors import StatusCause, StatusError

_REASONS = {
    "Required": "FieldValueRequired",
    "Invalid": "FieldValueInvalid",
    "NotSupported": "FieldValueNotSupported",
    "Forbidden": "FieldValueForbidden",
    "Duplicate": "FieldValueDuplicate",
    "NotFound": "FieldValueNotFound",
    "TooLong": "FieldValueTooLong",
    "TooMany": "FieldValueTooMany",
    "TypeInvalid": "FieldValueTypeInvalid",
}


def format_value(value: Any) -> str:
    """Go's rendering of a bad value inside an error body."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    import orjson

    return orjson.dumps(value).decode()


@dataclass(frozen=True)
class FieldError:
    type: str  # one of the keys of _REASONS
    field: str
    value: Any = None
    detail: str = ""
    supported: tuple[str, ...] = ()

    def body(self) -> str:
        t = self.type
        if t == "Required":
            s = "Required value"
        elif t == "Invalid":
            s = f"Invalid value: {format_value(self.value)}"
        elif t == "NotSupported":
            s = f"Unsupported value: {format_value(self.value)}"
            if self.supported:
                s += ": supported values: " + ", ".join(format_value(v) for v in self.supported)
        elif t == "Forbidden":
            s = "Forbidden"
        elif t == "Duplicate":
            s = f"Duplicate value: {format_value(self.value)}"
        elif t == "NotFound":
            s = f"Not found: {format_value(self.value)}"
        elif t == "TooLong":
            s = "Too long"
        elif t == "TooMany":
            s = "Too many"
        else:
            s = f"Invalid value: {format_value(self.value)}"
        if self.detail:
            s += ": " + self.detail
        return s

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}" if self.field else self.body()

    def cause(self) -> StatusCause:
        return {"reason": _REASONS.get(self.type, "FieldValueInvalid"), "message": self.body(), "field": self.field}


def required(field: str, detail: str = "") -> FieldError:
    return FieldError("Required", field, None, detail)


def invalid_value(field: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("Invalid", field, value, detail)


def not_supported(field: str, value: Any, supported: tuple[str, ...] | list[str]) -> FieldError:
    return FieldError("NotSupported", field, value, "", tuple(supported))


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("Forbidden", field, None, detail)


def duplicate(field: str, value: Any) -> FieldError:
    return FieldError("Duplicate", field, value)


def too_long(field: str, max_len: int) -> FieldError:
    return FieldError("TooLong", field, None, f"may not be more than {max_len} bytes")


def invalid(kind: str, group: str, name: str, errs: list[FieldError]) -> StatusError:
    """errors.NewInvalid: one 422 for all field errors of an object."""
    qualified_kind = f"{kind}.{group}" if group else kind
    if len(errs) == 1:
        agg = str(errs[0])
    else:
        agg = "[" + ", ".join(str(e) for e in errs) + "]"
    details = {"name": name, "kind": kind, "causes": [e.cause() for e in errs]}
    if group:
        details["group"] = group
    return StatusError(422, "Invalid", f'{qualified_kind} "{name}" is invalid: {agg}', details)  # type: ignore[arg-type]
