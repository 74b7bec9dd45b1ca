"""A strict, tiny YAML reader for the block-style subset kubeconfig files are written in.

Why: importing PyYAML costs ~40 ms, more than half of a whole `kubectl get pods`, and every command reads
the kubeconfig. Files written by kubectl, kind, minikube, k3s and cloud CLIs use only block mappings,
block sequences, plain/quoted scalars and empty `{}`/`[]`. Anything outside that subset (anchors, tags,
block scalars, flow collections with content, documents markers, tabs, ambiguous scalars such as `yes`
or `0x1F`) raises `Unsupported`, and the caller falls back to PyYAML, so a result from here always equals
`yaml.safe_load` of the same text.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Unsupported(Exception):
    pass


_DIGITS = frozenset("0123456789")
_PLAIN_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+=^-")
_PLAIN_REST = _PLAIN_FIRST | frozenset(":@%~, ()")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = {"null", "Null", "NULL", "~", ""}
_AMBIGUOUS_WORDS = {"y", "n", "yes", "no", "on", "off", ".inf", "+.inf", "-.inf", ".nan", "<<", "="}


def _is_int(raw: str) -> bool:
    """YAML 1.1 decimal ints as PyYAML reads them (`0`, `-12`, `+3`), but not octal-looking `012`."""
    digits = raw[1:] if raw[:1] in "+-" else raw
    return bool(digits) and all(c in _DIGITS for c in digits) and (digits == "0" or digits[0] != "0")


def _ambiguous(raw: str) -> bool:
    """Anything PyYAML might resolve to a non-string (numbers, dates, sexagesimals, bool words)."""
    if raw.lower() in _AMBIGUOUS_WORDS:
        return True
    body = raw[1:] if raw[:1] in "+-." else raw
    return bool(body) and body[0] in _DIGITS


class _Line:
    __slots__ = ("indent", "text", "number")

    def __init__(self, indent: int, text: str, number: int) -> None:
        self.indent = indent
        self.text = text
        self.number = number


def load(text: str) -> Any:
    lines: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise Unsupported("tab indentation")
        stripped = _strip_comment(raw).rstrip()
        if not stripped.strip():
            continue
        body = stripped.lstrip(" ")
        if body.startswith(("---", "...", "%")):
            raise Unsupported("document markers")
        lines.append(_Line(len(stripped) - len(body), body, number))
    if not lines:
        return None
    value, pos = _node(lines, 0, lines[0].indent)
    if pos != len(lines):
        raise Unsupported(f"unexpected indentation at line {lines[pos].number}")
    return value


def _strip_comment(raw: str) -> str:
    if "#" not in raw:
        return raw
    quote = ""
    for i, c in enumerate(raw):
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or raw[i - 1] in " \t"):
            return raw[:i]
    return raw


def _node(lines: list[_Line], pos: int, indent: int) -> tuple[Any, int]:
    if lines[pos].text.startswith("- ") or lines[pos].text == "-":
        return _sequence(lines, pos, indent)
    return _mapping(lines, pos, indent)


def _sequence(lines: list[_Line], pos: int, indent: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while pos < len(lines) and lines[pos].indent == indent and (lines[pos].text.startswith("- ")
                                                                 or lines[pos].text == "-"):
        line = lines[pos]
        rest = line.text[1:].lstrip(" ")
        if not rest:
            pos += 1
            if pos < len(lines) and lines[pos].indent > indent:
                value, pos = _node(lines, pos, lines[pos].indent)
            else:
                value = None
            items.append(value)
            continue
        inner = indent + (len(line.text) - len(rest))
        if rest.startswith("- ") or _split_key(rest) is not None:
            lines[pos] = _Line(inner, rest, line.number)
            value, pos = _node(lines, pos, inner)
        else:
            value = _scalar(rest)
            pos += 1
        items.append(value)
    return items, pos


def _split_key(text: str) -> tuple[str, str] | None:
    if text[0] in "'\"":
        end = _quoted_end(text)
        if end < 0 or not text[end:].startswith(":") or not (len(text) == end + 1 or text[end + 1] == " "):
            return None
        return _scalar(text[:end]), text[end + 1:].strip()
    idx = text.find(": ")
    if idx < 0:
        if text.endswith(":"):
            return _key(text[:-1]), ""
        return None
    return _key(text[:idx]), text[idx + 2:].strip()


def _key(raw: str) -> str:
    if not _plain_ok(raw) or raw in _BOOLS or raw in _NULLS or _is_int(raw):
        raise Unsupported(f"key {raw!r}")
    return raw


def _mapping(lines: list[_Line], pos: int, indent: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while pos < len(lines) and lines[pos].indent == indent:
        line = lines[pos]
        split = _split_key(line.text)
        if split is None:
            raise Unsupported(f"not a mapping entry at line {line.number}")
        key, rest = split
        if key in result:
            raise Unsupported("duplicate key")
        pos += 1
        if rest:
            result[key] = _scalar(rest)
        elif pos < len(lines) and (lines[pos].indent > indent or (
                lines[pos].indent == indent and lines[pos].text.startswith("- "))):
            result[key], pos = _node(lines, pos, lines[pos].indent)
        else:
            result[key] = None
    if pos < len(lines) and lines[pos].indent > indent:
        raise Unsupported(f"unexpected indentation at line {lines[pos].number}")
    return result, pos


def _quoted_end(text: str) -> int:
    q = text[0]
    i = 1
    while i < len(text):
        c = text[i]
        if q == '"' and c == "\\":
            i += 2
            continue
        if c == q:
            if q == "'" and text[i + 1: i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return -1


def _scalar(raw: str) -> Any:
    if raw in ("{}",):
        return {}
    if raw in ("[]",):
        return []
    c = raw[0]
    if c == "'":
        if _quoted_end(raw) != len(raw):
            raise Unsupported("single-quoted scalar")
        return raw[1:-1].replace("''", "'")
    if c == '"':
        if _quoted_end(raw) != len(raw):
            raise Unsupported("double-quoted scalar")
        inner = raw[1:-1]
        if "\\" in inner:
            import json

            try:
                return json.loads(raw)
            except ValueError:
                raise Unsupported("escape") from None
        return inner
    if raw in _BOOLS:
        return _BOOLS[raw]
    if raw in _NULLS:
        return None
    if _is_int(raw):
        return int(raw)
    if not _plain_ok(raw):
        raise Unsupported(f"scalar {raw!r}")
    return raw


def _plain_ok(raw: str) -> bool:
    return (bool(raw) and raw[0] in _PLAIN_FIRST and all(c in _PLAIN_REST for c in raw) and not _ambiguous(raw)
            and not raw.endswith(":") and ": " not in raw and " #" not in raw and not raw.startswith("- ")
            and raw != "-")
