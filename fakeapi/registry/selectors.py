"""Label and field selectors as kube-apiserver parses and applies them (apimachinery `labels`, `fields`).

Label selectors (`labels.Parse`): a comma-separated AND of `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
`k notin (a,b)`, `k`, `!k`, `k>N`, `k<N`. `!=` and `notin` also match objects without the key; `>`/`<`
need the label to exist and parse as a 64-bit integer. Requirements are sorted by key, value sets are
sorted and de-duplicated, and `str()` gives the canonical `Selector.String()` form. Keys must be qualified
names and values label values; lengths are counted in UTF-8 bytes as Go does.

Field selectors (`fields.ParseSelector`): a comma-separated AND of `f=v`, `f==v`, `f!=v`; a backslash
escapes `\\`, `,` and `=` in values. A field missing from the object's field set compares as "".

Every parse failure raises SelectorError whose str() is the apiserver's 400 message, byte for byte.
Matching is precompiled into flat tuples: equality pairs first, then the set/existence/integer checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any


class SelectorError(ValueError):
    """A selector the apiserver rejects; str() is the exact Status message."""


_NAME_RE = re.compile(r"(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_DNS_SUBDOMAIN_RE = re.compile(r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*")
_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_NAME_RULE = _regex_error("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                          "an alphanumeric character", _NAME_FMT, "MyName", "my.name", "123-abc")
_VALUE_RULE = _regex_error("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
                           "or '.', and must start and end with an alphanumeric character", f"({_NAME_FMT})?",
                           "MyValue", "my_value", "12345")
_PREFIX_RULE = _regex_error("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                            "'-' or '.', and must start and end with an alphanumeric character",
                            r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", "example.com")


def _byte_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def _go_quote(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        else:
            cp = ord(ch)
            out.append(f"\\x{cp:02x}" if cp < 0x20 or cp == 0x7F else
                       f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")
    out.append('"')
    return "".join(out)


def _key_errors(key: str) -> str:
    parts = key.split("/")
    if len(parts) > 2:
        return (f"a valid label key {_NAME_RULE} with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')")
    errs: list[str] = []
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            if _byte_len(prefix) > 253:
                errs.append("prefix part must be no more than 253 bytes")
            if not _DNS_SUBDOMAIN_RE.fullmatch(prefix):
                errs.append("prefix part " + _PREFIX_RULE)
    name = parts[-1]
    if not name:
        errs.append("name part must be non-empty")
    elif _byte_len(name) > 63:
        errs.append("name part must be no more than 63 bytes")
    if not _NAME_RE.fullmatch(name):
        errs.append("name part " + _NAME_RULE)
    return "; ".join(errs)


def _value_errors(value: str) -> str:
    errs: list[str] = []
    if _byte_len(value) > 63:
        errs.append("must be no more than 63 bytes")
    if value and not _NAME_RE.fullmatch(value):
        errs.append(_VALUE_RULE)
    return "; ".join(errs)


def _parse_int64(s: str) -> int | None:
    digits = s[1:] if s[:1] in ("+", "-") else s
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    n = int(s)
    return n if -(1 << 63) <= n < (1 << 63) else None


def _go_slice(values: list[str]) -> str:
    return "[]string{" + ", ".join(map(_go_quote, values)) + "}" if values else "[]string(nil)"


Requirement = tuple[str, str, tuple[str, ...]]


def _new_requirement(key: str, op: str, values: list[str]) -> Requirement:
    errs: list[str] = []
    if msg := _key_errors(key):
        errs.append(f"key: Invalid value: {_go_quote(key)}: {msg}")
    if op in ("in", "notin") and not values:
        errs.append(f"values: Invalid value: {_go_slice(values)}: "
                    "for 'in', 'notin' operators, values set can't be empty")
    elif op in ("exists", "!") and values:
        errs.append(f"values: Invalid value: {_go_slice(values)}: "
                    "values set must be empty for exists and does not exist")
    elif op in ("gt", "lt"):
        errs.extend(f"values[{i}]: Invalid value: {_go_quote(v)}: for 'Gt', 'Lt' operators, the value must be an "
                    "integer" for i, v in enumerate(values) if _parse_int64(v) is None)
    for i, v in enumerate(values):
        if msg := _value_errors(v):
            errs.append(f"values[{i}][{key}]: Invalid value: {_go_quote(v)}: {msg}")
    if errs:
        unique = list(dict.fromkeys(errs))
        raise SelectorError(unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]")
    return key, op, tuple(values)


_IN, _NOTIN, _EXISTS, _ABSENT, _GT, _LT = range(6)
_OP_TEXT = {"=": "=", "==": "==", "!=": "!=", "in": " in ", "notin": " notin ", "gt": ">", "lt": "<"}
_NO_LABELS: dict[str, str] = {}


class LabelSelector:
    """A parsed label selector; `requirements` are (key, operator, values) sorted by key."""

    __slots__ = ("requirements", "_nothing", "_never", "_eq", "_checks")

    def __init__(self, requirements: tuple[Requirement, ...] = (), nothing: bool = False) -> None:
        self.requirements = requirements
        self._nothing = nothing
        eq: dict[str, str] = {}
        checks: list[tuple[str, int, Any]] = []
        never = nothing
        for key, op, values in requirements:
            if op in ("=", "==") or (op == "in" and len(values) == 1):
                never = never or eq.setdefault(key, values[0]) != values[0]
            elif op == "in":
                checks.append((key, _IN, frozenset(values)))
            elif op in ("!=", "notin"):
                checks.append((key, _NOTIN, frozenset(values)))
            elif op == "exists":
                checks.append((key, _EXISTS, None))
            elif op == "!":
                checks.append((key, _ABSENT, None))
            else:
                checks.append((key, _GT if op == "gt" else _LT, _parse_int64(values[0])))
        self._never = never
        self._eq = tuple(eq.items())
        self._checks = tuple(checks)

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self._never:
            return False
        if labels is None:
            labels = _NO_LABELS
        get = labels.get
        for key, value in self._eq:
            if get(key) != value:
                return False
        for key, op, arg in self._checks:
            if op == _IN:
                if get(key) not in arg:
                    return False
            elif op == _NOTIN:
                if get(key) in arg:
                    return False
            elif op == _EXISTS:
                if key not in labels:
                    return False
            elif op == _ABSENT:
                if key in labels:
                    return False
            else:
                found = get(key)
                n = None if found is None else _parse_int64(found)
                if n is None or not (n > arg if op == _GT else n < arg):
                    return False
        return True

    def empty(self) -> bool:
        return not self.requirements and not self._nothing

    def equality_pairs(self) -> list[tuple[str, str]]:
        return [(key, values[0]) for key, op, values in self.requirements
                if op in ("=", "==") or (op == "in" and len(values) == 1)]

    def __str__(self) -> str:
        out = []
        for key, op, values in self.requirements:
            if op in ("exists", "!"):
                out.append(key if op == "exists" else "!" + key)
                continue
            text = values[0] if len(values) == 1 else ",".join(sorted(values))
            out.append(f"{key}{_OP_TEXT[op]}({text})" if op in ("in", "notin") else f"{key}{_OP_TEXT[op]}{text}")
        return ",".join(out)


_ID, _EOS = "<id>", "<eos>"
_SPECIAL = frozenset("=!(),><")
_SPACE = frozenset(" \t\r\n")
_KEYWORDS = frozenset((")", ",", "!", "==", "=", ">", "in", "<", "!=", "notin", "("))
_BINARY_OPS = {"in": "in", "notin": "notin", "=": "=", "==": "==", "!=": "!=", ">": "gt", "<": "lt"}


def _lex(s: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    n, pos = len(s), 0
    while True:
        while pos < n and s[pos] in _SPACE:
            pos += 1
        if pos >= n or s[pos] == "\0":
            items.append((_EOS, ""))
            return items
        start = pos
        pos += 1
        if s[start] in _SPECIAL:
            while pos < n and s[pos] in _SPECIAL and s[start:pos + 1] in _KEYWORDS:
                pos += 1
            lit = s[start:pos]
        else:
            while pos < n and s[pos] not in _SPECIAL and s[pos] not in _SPACE and s[pos] != "\0":
                pos += 1
            lit = s[start:pos]
        if pos < n and s[pos] == "\0":
            pos += 1
        items.append((lit if lit in _KEYWORDS else _ID, lit))


class _Parser:
    __slots__ = ("items", "pos")

    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[str, str]:
        kind, lit = self.items[self.pos]
        return (_ID, lit) if values and kind in ("in", "notin") else (kind, lit)

    def take(self, values: bool = True) -> tuple[str, str]:
        token = self.peek(values)
        self.pos += 1
        return token

    def requirement(self) -> Requirement:
        kind, key = self.take()
        op = ""
        if kind == "!":
            op = "!"
            kind, key = self.take()
        if kind != _ID:
            raise SelectorError(f"found '{key}', expected: identifier")
        if msg := _key_errors(key):
            raise SelectorError(f"<nil>: Invalid value: {_go_quote(key)}: {msg}")
        if op != "!" and self.peek()[0] in (_EOS, ","):
            op = "exists"
        if op:
            return _new_requirement(key, op, [])
        kind, lit = self.take(values=False)
        if kind not in _BINARY_OPS:
            raise SelectorError(f"found '{lit}', expected: in, notin, =, ==, !=, gt, lt")
        op = _BINARY_OPS[kind]
        return _new_requirement(key, op, sorted(self.value_set() if op in ("in", "notin") else self.exact_value()))

    def value_set(self) -> set[str]:
        kind, lit = self.take()
        if kind != "(":
            raise SelectorError(f"found '{lit}' expected: '('")
        kind, lit = self.peek()
        if kind not in (_ID, ",", ")"):
            raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")
        values = {""} if kind == ")" else self.identifiers()
        self.pos += 1
        return values

    def identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            kind, lit = self.take()
            if kind == _ID:
                values.add(lit)
                kind, lit = self.peek()
                if kind == ")":
                    return values
                if kind != ",":
                    raise SelectorError(f"found '{lit}', expected: ',' or ')'")
            elif kind == ",":
                if not values:
                    values.add("")
                kind = self.peek()[0]
                if kind == ")":
                    values.add("")
                    return values
                if kind == ",":
                    self.pos += 1
                    values.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> list[str]:
        if self.peek()[0] in (_EOS, ","):
            return [""]
        kind, lit = self.take()
        if kind != _ID:
            raise SelectorError(f"found '{lit}', expected: identifier")
        return [lit]


def parse_label_selector(text: str) -> LabelSelector:
    p = _Parser(text)
    requirements: list[Requirement] = []
    while True:
        kind, lit = p.peek()
        if kind == _EOS:
            break
        if kind not in (_ID, "!"):
            raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
        try:
            requirements.append(p.requirement())
        except SelectorError as exc:
            raise SelectorError(f"unable to parse requirement: {exc}") from None
        kind, lit = p.take()
        if kind == _EOS:
            break
        if kind != ",":
            raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
        kind, lit = p.peek()
        if kind not in (_ID, "!"):
            raise SelectorError(f"found '{lit}', expected: identifier after ','")
    requirements.sort(key=lambda r: r[0])
    return LabelSelector(tuple(requirements))


_EXPRESSION_OPS = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}


def label_selector_from_dict(sel: Mapping[str, Any] | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None selects nothing, an empty selector everything."""
    if sel is None:
        return LabelSelector(nothing=True)
    match_labels = sel.get("matchLabels") or {}
    expressions = sel.get("matchExpressions") or []
    requirements = [_new_requirement(k, "=", [v]) for k, v in match_labels.items()]
    for expr in expressions:
        operator = expr.get("operator") or ""
        if operator not in _EXPRESSION_OPS:
            raise SelectorError(f"{_go_quote(str(operator))} is not a valid pod selector operator")
        requirements.append(_new_requirement(expr.get("key") or "", _EXPRESSION_OPS[operator],
                                             list(expr.get("values") or ())))
    requirements.sort(key=lambda r: r[0])
    return LabelSelector(tuple(requirements))


class FieldSelector:
    """A parsed field selector; `requirements` are (field, "=" or "!=", value) in sorted term order."""

    __slots__ = ("requirements", "_eq", "_ne")

    def __init__(self, requirements: list[tuple[str, str, str]]) -> None:
        self.requirements = requirements
        self._eq = tuple((f, v) for f, op, v in requirements if op == "=")
        self._ne = tuple((f, v) for f, op, v in requirements if op == "!=")

    def matches(self, fields: Mapping[str, str]) -> bool:
        get = fields.get
        for name, value in self._eq:
            if get(name, "") != value:
                return False
        for name, value in self._ne:
            if get(name, "") == value:
                return False
        return True

    def empty(self) -> bool:
        return not self.requirements

    def exact(self, field: str) -> str | None:
        for name, op, value in self.requirements:
            if op == "=" and name == field:
                return value
        return None

    def fields(self) -> set[str]:
        return {name for name, _, _ in self.requirements}

    def __str__(self) -> str:
        return ",".join(name + op + value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
                        for name, op, value in self.requirements)


def _unescape(value: str) -> str:
    if "\\" not in value and "," not in value and "=" not in value:
        return value
    out: list[str] = []
    escaped = False
    for ch in value:
        if escaped:
            if ch not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":
            raise SelectorError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    if escaped:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


_TERM_OP = re.compile("!=|==|=")


def _split_terms(text: str) -> list[str]:
    terms: list[str] = []
    start, escaped = 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def parse_field_selector(text: str) -> FieldSelector:
    requirements: list[tuple[str, str, str]] = []
    for term in sorted(_split_terms(text)):
        if not term:
            continue
        found = _TERM_OP.search(term)
        if found is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{term}'")
        name, value = term[:found.start()], _unescape(term[found.end():])
        if name or value:
            requirements.append((name, "!=" if found.group() == "!=" else "=", value))
    return FieldSelector(requirements)


def check_fields(sel: FieldSelector, allowed: Iterable[str], resource_label: str) -> None:
    """The per-kind field label conversion: reject the first (sorted) field the kind does not support."""
    supported = allowed if isinstance(allowed, (set, frozenset)) else set(allowed)
    for name, _, _ in sel.requirements:
        if name not in supported:
            raise SelectorError(f"field label not supported: {name}")
