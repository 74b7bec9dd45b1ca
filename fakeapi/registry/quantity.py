"""resource.Quantity parsing and canonical formatting (k8s.io/apimachinery/pkg/api/resource).

Contract:
- `parse_quantity` accepts what Quantity.UnmarshalJSON accepts (JSON string or number, surrounding
  whitespace trimmed) and returns the exact value as a Fraction: rounded away from zero to a multiple
  of 1n, binary-suffixed values capped at 2^63-1 in magnitude. Bad input raises ValueError carrying the
  Go error text (format, numeric part, or suffix).
- `format_quantity` renders a value the way Quantity.String() renders a DecimalSI (default) or BinarySI
  quantity: no fractional digits, largest suffix that loses no precision (1.5 -> "1500m",
  1.5Gi -> "1536Mi"), binary values below 1024 or with a fractional part falling back to DecimalSI.
- `canonicalize_quantity` is the string the apiserver writes back for a submitted quantity: the input
  text itself where Go keeps it (already canonical, e.g. "100m", "1Gi", "1e3"), else the canonical form
  in the input's format (DecimalSI, BinarySI or DecimalExponent).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "FORMAT_ERROR",
    "NUMERIC_ERROR",
    "SUFFIX_ERROR",
    "DECIMAL_SI",
    "BINARY_SI",
    "DECIMAL_EXPONENT",
    "parse_quantity",
    "parse_quantity_format",
    "format_quantity",
    "canonicalize_quantity",
]

SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
FORMAT_ERROR = f"quantities must match the regular expression '{SPLIT_RE}'"
NUMERIC_ERROR = "unable to parse numeric part of quantity"
SUFFIX_ERROR = "unable to parse quantity's suffix"

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXPONENT = {e: s for s, e in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_EXPONENT = {e: s for s, e in _BINARY_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_EXPONENT_RE = re.compile("[+-]?[0-9]+")

_NANO = Fraction(1, 10**9)
_MAX_INT64 = 2**63 - 1
_MAX_INT64_DIGITS = 18
_MAX_DECIMAL_EXPONENT = 100_000


@dataclass(frozen=True)
class _Scanned:
    negative: bool
    has_digits: bool
    num: str
    denom: str
    suffix: str


@dataclass(frozen=True)
class _Parsed:
    value: Fraction
    format: str
    kept_text: bool


def _scan(text: str) -> _Scanned:
    end = len(text)
    pos = 0
    negative = False
    if pos < end and text[0] in "+-":
        negative = text[0] == "-"
        pos = 1
    start = pos
    while pos < end and text[pos] == "0":
        pos += 1
    if pos == end:
        return _Scanned(negative, pos > start, "0", "", "")
    num_start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[num_start:pos] or "0"
    has_digits = pos > start
    denom = ""
    if pos < end and text[pos] == ".":
        pos += 1
        denom_start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[denom_start:pos]
        has_digits = has_digits or bool(denom)
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise ValueError(FORMAT_ERROR)
    return _Scanned(negative, has_digits, num, denom, text[suffix_start:])


def _interpret_suffix(suffix: str) -> tuple[int, int, str]:
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    exponent = suffix[1:]
    if suffix[:1] in ("e", "E") and _EXPONENT_RE.fullmatch(exponent):
        return 10, int(exponent), DECIMAL_EXPONENT
    raise ValueError(SUFFIX_ERROR)


def _round_up_nano(value: Fraction) -> Fraction:
    scaled = value / _NANO
    if scaled.denominator == 1:
        return value
    magnitude = math.ceil(abs(scaled))
    return Fraction(magnitude if value > 0 else -magnitude) * _NANO


def _kept_by_fast_path(scanned: _Scanned, base: int, exponent: int, fmt: str) -> bool | None:
    """Go's int64 fast path: None when it does not apply, else whether the input text is kept."""
    num, denom = scanned.num, scanned.denom
    if fmt == BINARY_SI:
        if denom:
            return None
        precision = 15 - len(num) - exponent * 3 // 10 - 1
        mantissa = 1 << exponent
        scale = 0
    else:
        precision = _MAX_INT64_DIGITS - (len(num) + len(denom))
        mantissa = 1
        scale = exponent - len(denom)
    if precision < 0 or scale < -9:
        return None
    shifted = num + denom
    if int(shifted) * mantissa > _MAX_INT64:
        return None
    if fmt == BINARY_SI:
        return int(shifted) & 0x07 != 0
    return scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"


def _parse(raw: str | int | float) -> _Parsed:
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, (int, float)):
        text = repr(raw)
    elif isinstance(raw, str):
        text = raw.strip()
    else:
        raise ValueError(FORMAT_ERROR)
    if not text:
        raise ValueError(FORMAT_ERROR)
    if text == "0":
        return _Parsed(Fraction(0), DECIMAL_SI, True)
    scanned = _scan(text)
    base, exponent, fmt = _interpret_suffix(scanned.suffix)
    kept = _kept_by_fast_path(scanned, base, exponent, fmt)
    if kept is None and not scanned.has_digits:
        raise ValueError(NUMERIC_ERROR)
    try:
        mantissa = int(scanned.num + scanned.denom)
    except ValueError:
        raise ValueError(NUMERIC_ERROR) from None
    if scanned.negative:
        mantissa = -mantissa
    if mantissa == 0:
        return _Parsed(Fraction(0), fmt, bool(kept))
    if base == 2:
        value = Fraction(mantissa << exponent, 10 ** len(scanned.denom))
    else:
        power = exponent - len(scanned.denom)
        if power > _MAX_DECIMAL_EXPONENT:
            raise ValueError(NUMERIC_ERROR)
        if power < -(len(str(abs(mantissa))) + 10):
            value = _NANO if mantissa > 0 else -_NANO
        else:
            value = mantissa * Fraction(10) ** power
    value = _round_up_nano(value)
    if fmt == BINARY_SI:
        if abs(value) > _MAX_INT64:
            value = Fraction(_MAX_INT64 if value > 0 else -_MAX_INT64)
        if abs(value) < 1:
            fmt = DECIMAL_SI
    return _Parsed(value, fmt, bool(kept))


def parse_quantity(text: str | int | float) -> Fraction:
    return _parse(text).value


def parse_quantity_format(text: str | int | float) -> str:
    """The Format Go records for a parsed quantity: DecimalSI, BinarySI or DecimalExponent."""
    return _parse(text).format


def _strip_factors(value: int, base: int, limit: int | None = None) -> tuple[int, int]:
    magnitude, times = abs(value), 0
    while magnitude >= base and magnitude % base == 0 and (limit is None or times < limit):
        magnitude //= base
        times += 1
    return (magnitude if value >= 0 else -magnitude), times


def _format(value: Fraction, fmt: str) -> str:
    value = _round_up_nano(Fraction(value))
    if value == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 < value < 1024 or value.denominator != 1:
            fmt = DECIMAL_SI
        else:
            amount, times = _strip_factors(int(value), 1024, limit=max(_BINARY_BY_EXPONENT) // 10)
            return f"{amount}{_BINARY_BY_EXPONENT.get(times * 10, '')}"
    amount, times = _strip_factors(int(value / _NANO), 10)
    exponent = times - 9
    shift = exponent % 3
    amount *= 10**shift
    exponent -= shift
    if fmt == DECIMAL_EXPONENT:
        return f"{amount}e{exponent}" if exponent else str(amount)
    top = max(_DECIMAL_BY_EXPONENT)
    if exponent > top:
        amount *= 10 ** (exponent - top)
        exponent = top
    return f"{amount}{_DECIMAL_BY_EXPONENT[exponent]}"


def format_quantity(value: Fraction, binary: bool = False) -> str:
    return _format(value, BINARY_SI if binary else DECIMAL_SI)


def canonicalize_quantity(text: str | int | float) -> str:
    parsed = _parse(text)
    if parsed.kept_text and not isinstance(text, bool):
        return text.strip() if isinstance(text, str) else repr(text)
    return _format(parsed.value, parsed.format)
