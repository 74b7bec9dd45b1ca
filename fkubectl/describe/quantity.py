"""Kubernetes resource quantities (`100m`, `1.5Gi`, `2e3`), enough for describe's sums and percentages.

`parse` gives an exact `Fraction` and the quantity's format family (BinarySI, DecimalSI, DecimalExponent);
`format_quantity` writes the canonical form apimachinery's `Quantity.String()` would after arithmetic: the
largest suffix of the family that keeps the value an integer, milli units below one, `0` for zero.
"""

from __future__ import annotations

from fractions import Fraction

BINARY = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}
DECIMAL = {"n": Fraction(1, 10 ** 9), "u": Fraction(1, 10 ** 6), "m": Fraction(1, 1000), "": Fraction(1),
           "k": Fraction(10 ** 3), "M": Fraction(10 ** 6), "G": Fraction(10 ** 9), "T": Fraction(10 ** 12),
           "P": Fraction(10 ** 15), "E": Fraction(10 ** 18)}


def parse(text: str | int | float | None) -> tuple[Fraction, str]:
    if text is None or text == "":
        return Fraction(0), "DecimalSI"
    raw = str(text).strip()
    for suffix, factor in BINARY.items():
        if raw.endswith(suffix):
            return Fraction(raw[: -len(suffix)]) * factor, "BinarySI"
    if "e" in raw.lower() and not raw.lower().endswith("e"):
        mantissa, _, exponent = raw.lower().partition("e")
        return Fraction(mantissa) * Fraction(10) ** int(exponent), "DecimalExponent"
    for suffix in ("n", "u", "m", "k", "M", "G", "T", "P", "E"):
        if raw.endswith(suffix):
            return Fraction(raw[: -len(suffix)]) * DECIMAL[suffix], "DecimalSI"
    return Fraction(raw), "DecimalSI"


def format_quantity(value: Fraction, family: str = "DecimalSI") -> str:
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if family == "BinarySI" and value.denominator == 1 and value >= 1024:
        suffix = next((s for s, factor in reversed(list(BINARY.items())) if value % factor == 0), "")
        if suffix:
            return f"{sign}{value // BINARY[suffix]}{suffix}"
    if family == "BinarySI" and value.denominator == 1 and value < 1024:
        return f"{sign}{value}"
    for suffix in ("E", "P", "T", "G", "M", "k", "", "m", "u", "n"):
        scaled = value / DECIMAL[suffix]
        if scaled.denominator == 1 and (scaled >= 1 or suffix == "n"):
            if suffix == "" or scaled % 1000 != 0 or suffix == "E":
                return f"{sign}{scaled.numerator}{suffix}"
    scaled = value / DECIMAL["n"]
    return f"{sign}{int(scaled) + (1 if scaled.denominator != 1 else 0)}n"


def milli(text: str | None) -> int:
    value, _ = parse(text)
    return int(value * 1000)


def whole(text: str | None) -> int:
    value, _ = parse(text)
    return int(value)
