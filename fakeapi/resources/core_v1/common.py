"""Small helpers shared by the core/v1 kinds: tolerant accessors over decoded JSON, apiequality's
semantic comparison, config-map keys, quantities, and field errors whose value Go renders with %#v.

Kind modules read user JSON through `dicts`/`mapping`/`text` so that a wrongly-typed field is treated as
absent instead of raising; validation reports the problem where the apiserver would.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value
from fakeapi.registry.quantity import (
    BINARY_SI, canonicalize_quantity, format_quantity, parse_quantity, parse_quantity_format,
)

Obj = dict[str, Any]

CONFIG_KEY_RE = re.compile(r"[-._a-zA-Z0-9]+")
CONFIG_KEY_MSG = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                  "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
QUANTITY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


@dataclass(frozen=True)
class GoRenderedDuplicate(FieldError):
    """A Duplicate error whose `value` is already Go's %#v text of a struct."""

    def body(self) -> str:
        s = f"Duplicate value: {self.value}"
        return f"{s}: {self.detail}" if self.detail else s


def dicts(value: object) -> list[Obj]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def mapping(value: object) -> Obj:
    return value if isinstance(value, dict) else {}


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def semantic(value: Any) -> Any:
    """apiequality.Semantic's view of decoded JSON: nil == empty, unset == zero-valued scalar."""
    if isinstance(value, dict):
        out = {k: semantic(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [semantic(v) for v in value]
    return value


def is_config_key(key: str) -> list[str]:
    """validation.IsConfigMapKey."""
    errs = []
    if len(key.encode()) > 253:
        errs.append("must be no more than 253 characters")
    if not CONFIG_KEY_RE.fullmatch(key):
        errs.append(CONFIG_KEY_MSG)
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def is_relaxed_env_var_name(name: str) -> list[str]:
    """validation.IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is GA)."""
    if any(ord(ch) < 32 or ord(ch) > 126 or ch == "=" for ch in name):
        return ["a valid environment variable name must consist only of printable ASCII characters other than '='"]
    return []


def quantity_value(raw: object) -> Any:
    """The exact value of a quantity (a Fraction), or None when the text is not a Kubernetes quantity."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return None
    try:
        return parse_quantity(raw)
    except (ValueError, ArithmeticError):
        return None


def quantity_string(raw: object) -> str:
    """Quantity.String() of a stored value; unparsable text is shown as it is."""
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        try:
            return canonicalize_quantity(raw)
        except (ValueError, ArithmeticError):
            pass
    return str(raw)


def canonical_quantities(bag: object) -> None:
    """SetDefaults_ResourceList plus the Quantity round trip: round up to milli, write the canonical text."""
    if not isinstance(bag, dict):
        return
    for key, raw in bag.items():
        value = quantity_value(raw)
        if value is None:
            continue
        if (value * 1000).denominator != 1:
            bag[key] = format_quantity(Fraction(math.ceil(value * 1000), 1000),
                                       binary=parse_quantity_format(raw) == BINARY_SI)
        else:
            bag[key] = quantity_string(raw)


def quantity_errors(raw: object, path: str) -> list[FieldError]:
    """A malformed quantity (the apiserver's decode error) or a negative one."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return [invalid_value(path, raw, QUANTITY_MSG)]
    try:
        value = parse_quantity(raw)
    except (ValueError, ArithmeticError) as exc:
        return [invalid_value(path, raw, str(exc) or QUANTITY_MSG)]
    if value < 0:
        return [invalid_value(path, quantity_string(raw), "must be greater than or equal to 0")]
    return []
