"""Values printed the way Go prints them, because kubectl's output is Go's formatting of decoded JSON.

- `go_str`: `fmt.Sprint` of a JSON value (`true`, `3`, `0.5`, `<nil>`, `[a b]`, `map[k:v]`);
- `go_json`: `json.MarshalIndent(obj, "", "    ")` of an unstructured object: sorted keys, 4 spaces,
  `<`, `>`, `&`, U+2028 and U+2029 escaped, UTF-8 kept;
- `format_labels`: `labels.FormatLabels` (sorted `k=v` joined by commas, `<none>` when empty).
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def go_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        digits = exp.lstrip("+-").rjust(2, "0")
        return f"{mantissa}e{sign}{digits}"
    return text


def go_str(value: Any) -> str:
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, list):
        return "[" + " ".join(go_str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_str(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def _escape(text: str) -> str:
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def go_json(obj: Any, *, indent: int | None = 4, sort_keys: bool = True) -> str:
    """`sort_keys=False` for typed objects, which Go marshals in struct field order."""
    text = json.dumps(obj, indent=indent, sort_keys=sort_keys, ensure_ascii=False,
                      separators=(",", ": ") if indent is not None else (",", ":"))
    return _escape(text) if ("<" in text or ">" in text or "&" in text or "\u2028" in text
                             or "\u2029" in text) else text


def format_labels(labels: dict[str, str] | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))
