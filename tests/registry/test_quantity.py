"""fakeapi.registry.quantity follows resource.Quantity parsing, rounding and canonical formatting."""

from __future__ import annotations

from fractions import Fraction

import pytest

from fakeapi.registry.quantity import (
    FORMAT_ERROR,
    NUMERIC_ERROR,
    SUFFIX_ERROR,
    canonicalize_quantity,
    format_quantity,
    parse_quantity,
    parse_quantity_format,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100m", Fraction(1, 10)),
        ("128Mi", 134217728),
        ("1Gi", 2**30),
        ("1Ki", 1024),
        ("2", 2),
        ("1.5", Fraction(3, 2)),
        (".5", Fraction(1, 2)),
        ("1e3", 1000),
        ("1E3", 1000),
        ("1e-3", Fraction(1, 1000)),
        ("500M", 500_000_000),
        ("1E", 10**18),
        ("5n", Fraction(5, 10**9)),
        ("3u", Fraction(3, 10**6)),
        ("1k", 1000),
        ("1T", 10**12),
        ("1P", 10**15),
        ("1Ei", 2**60),
        ("-1.5Gi", -(3 * 2**29)),
        ("+4", 4),
        ("0", 0),
        ("000", 0),
        (" 2 ", 2),
        (3, 3),
        (0.25, Fraction(1, 4)),
    ],
)
def test_parse(text: str | int | float, value: Fraction | int) -> None:
    assert parse_quantity(text) == value


def test_rounds_up_to_nano_away_from_zero() -> None:
    assert parse_quantity("0.1n") == Fraction(1, 10**9)
    assert parse_quantity("-0.1n") == Fraction(-1, 10**9)
    assert parse_quantity("1.0000000001") == 1 + Fraction(1, 10**9)
    assert parse_quantity("1e-30") == Fraction(1, 10**9)


def test_binary_capped_at_max_int64() -> None:
    assert parse_quantity("9223372036854775807Ki") == 2**63 - 1
    assert parse_quantity("100Ei") == 2**63 - 1


def test_formats() -> None:
    assert parse_quantity_format("1Gi") == "BinarySI"
    assert parse_quantity_format("1G") == "DecimalSI"
    assert parse_quantity_format("1e9") == "DecimalExponent"
    assert parse_quantity_format("0.5Ki") == "BinarySI"
    assert parse_quantity_format("0.0005Ki") == "DecimalSI"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", FORMAT_ERROR),
        ("abc", FORMAT_ERROR),
        ("1Q", FORMAT_ERROR),
        ("1KB", FORMAT_ERROR),
        ("1.5.5", FORMAT_ERROR),
        ("1 Gi", FORMAT_ERROR),
        ("1e3.5", FORMAT_ERROR),
        ("1kk", SUFFIX_ERROR),
        ("1e", SUFFIX_ERROR),
        ("1i", SUFFIX_ERROR),
        ("1ki", SUFFIX_ERROR),
        ("Ei", NUMERIC_ERROR),
        (True, FORMAT_ERROR),
        (float("nan"), FORMAT_ERROR),
    ],
)
def test_parse_errors(text: str | float, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_quantity(text)
    assert str(exc.value) == message


def test_format_error_text_is_gos() -> None:
    assert FORMAT_ERROR == (
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


@pytest.mark.parametrize(
    ("value", "binary", "text"),
    [
        (Fraction(0), False, "0"),
        (Fraction(5), False, "5"),
        (Fraction(100), False, "100"),
        (Fraction(1000), False, "1k"),
        (Fraction(1, 10), False, "100m"),
        (Fraction(3, 2), False, "1500m"),
        (Fraction(1, 10**9), False, "1n"),
        (Fraction(1, 10**10), False, "1n"),
        (Fraction(500_000_000), False, "500M"),
        (Fraction(-2500), False, "-2500"),
        (Fraction(10**21), False, "1000E"),
        (Fraction(2**30), True, "1Gi"),
        (Fraction(134217728), True, "128Mi"),
        (Fraction(3 * 2**29), True, "1536Mi"),
        (Fraction(1025), True, "1025"),
        (Fraction(1000), True, "1k"),
        (Fraction(-(2**20)), True, "-1Mi"),
        (Fraction(2049, 2), True, "1024500m"),
        (Fraction(2**60), True, "1Ei"),
        (Fraction(2**70), True, "1024Ei"),
    ],
)
def test_format(value: Fraction, binary: bool, text: str) -> None:
    assert format_quantity(value, binary) == text


@pytest.mark.parametrize(
    ("submitted", "stored"),
    [
        ("100m", "100m"),
        ("1000m", "1"),
        ("1.5", "1500m"),
        ("0.5", "500m"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("2048", "2048"),
        ("1e3", "1e3"),
        ("1e100", "10e99"),
        ("1000k", "1M"),
        ("0.1n", "1n"),
        ("+1", "+1"),
        ("-0", "0"),
        ("0Mi", "0"),
        (" 250m ", "250m"),
        (2, "2"),
        (0.5, "500m"),
    ],
)
def test_canonicalize(submitted: str | int | float, stored: str) -> None:
    assert canonicalize_quantity(submitted) == stored


def test_round_trip_agrees_with_value() -> None:
    for text in ("100m", "128Mi", "1.5Gi", "1e3", "7", "12345678901234567890", "0.000000001"):
        assert parse_quantity(canonicalize_quantity(text)) == parse_quantity(text)
