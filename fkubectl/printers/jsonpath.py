"""Kubernetes JSONPath templates (`k8s.io/client-go/util/jsonpath`), as `-o jsonpath`, `custom-columns`
and `--sort-by` use them.

Grammar: literal text, and `{...}` actions holding a path (`.a.b`, `['a.b']`, `[0]`, `[-1]`, `[1:3]`,
`[*]`, `*`, `..name`, `[?(@.x == "y")]`, `[a,b]`), a union `{.a,.b}`, a string literal (`{"\\n"}`),
`{range <path>}...{end}` and `{@}`. Printing follows `PrintResults`: each action's values are joined by
spaces, maps and lists print as compact JSON, scalars as Go prints them. Missing keys print nothing
(kubectl's `--allow-missing-template-keys=true`).
"""

from __future__ import annotations

import json
import re

from fkubectl.errors import CommandError
from fkubectl.printers.gofmt import go_json, go_str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class JSONPathError(CommandError):
    pass


_MISSING = object()
_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed(expression: str) -> str:
    """kubectl's `RelaxedJSONPathExpression`: `metadata.name` and `.metadata.name` mean `{.metadata.name}`."""
    if not expression:
        return expression
    m = _RELAXED.match(expression)
    if m is None:
        raise JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                            "'{name1.name2}' or '{.name1.name2}'")
    return "{.%s}" % (m.group(1) or m.group(2))


# -- parsing --------------------------------------------------------------------------------------
# A template is a list of nodes: ("text", str) | ("action", [path, ...]) | ("range", [path], body) .
# A path is a list of steps: ("field", name) | ("wild",) | ("recursive",) | ("index", i) | ("slice", a, b, s)
# | ("filter", left_path, op, right) | ("union", [path, ...]) | ("literal", value) | ("current",).


def parse(template: str) -> list[Any]:
    tokens = _split_actions(template)
    nodes, rest = _nodes(tokens, 0, template)
    if rest != len(tokens):
        raise JSONPathError(f"unexpected {{end}} in {template}")
    return nodes


def _split_actions(template: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(template):
        start = template.find("{", i)
        if start < 0:
            out.append(("text", template[i:]))
            break
        if start > i:
            out.append(("text", template[i:start]))
        depth, j, quote = 0, start, ""
        while j < len(template):
            c = template[j]
            if quote:
                if c == "\\":
                    j += 2
                    continue
                if c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(template):
            raise JSONPathError("unclosed action")
        out.append(("action", template[start + 1:j].strip()))
        i = j + 1
    return out


def _nodes(tokens: list[tuple[str, str]], pos: int, template: str) -> tuple[list[Any], int]:
    nodes: list[Any] = []
    while pos < len(tokens):
        kind, text = tokens[pos]
        if kind == "text":
            nodes.append(("text", text))
            pos += 1
            continue
        if text == "end":
            return nodes, pos
        if text.startswith("range ") or text == "range":
            path = _parse_union(text[5:].strip())
            body, pos = _nodes(tokens, pos + 1, template)
            if pos >= len(tokens) or tokens[pos] != ("action", "end"):
                raise JSONPathError(f"unexpected EOF in {template}: missing {{end}}")
            nodes.append(("range", path, body))
            pos += 1
            continue
        nodes.append(("action", _parse_union(text)))
        pos += 1
    return nodes, pos


def _parse_union(text: str) -> list[list[Any]]:
    return [_parse_path(part.strip()) for part in _split_top(text, ",")]


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, quote, cur = [], 0, "", ""
    for c in text:
        if quote:
            cur += c
            if c == quote:
                quote = ""
            continue
        if c in "\"'":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        if c == sep and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        cur += c
    parts.append(cur)
    return parts


_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def _parse_path(text: str) -> list[Any]:
    if not text:
        return []
    if text[0] in "\"'":
        return [("literal", _unquote(text))]
    if _NUMBER.match(text):
        return [("literal", float(text) if "." in text else int(text))]
    if text in ("true", "false"):
        return [("literal", text == "true")]
    steps: list[Any] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "@" or c == "$":
            steps.append(("current",))
            i += 1
        elif text.startswith("..", i):
            steps.append(("recursive",))
            i += 2
            if i < n and text[i] not in ".[":
                j = _name_end(text, i)
                steps.append(("field", text[i:j]) if text[i:j] != "*" else ("wild",))
                i = j
        elif c == ".":
            i += 1
            if i < n and text[i] == "*":
                steps.append(("wild",))
                i += 1
                continue
            j = _name_end(text, i)
            if j > i:
                steps.append(("field", text[i:j]))
            i = j
        elif c == "[":
            j = _bracket_end(text, i)
            steps.append(_parse_bracket(text[i + 1:j]))
            i = j + 1
        else:
            j = _name_end(text, i)
            if j == i:
                raise JSONPathError(f"unrecognized character in action: {text[i:]!r}")
            steps.append(("field", text[i:j]))
            i = j
    return steps


def _name_end(text: str, i: int) -> int:
    while i < len(text) and text[i] not in ".[ ,)=!<>":
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        i += 1
    return i


def _bracket_end(text: str, i: int) -> int:
    depth, quote = 0, ""
    for j in range(i, len(text)):
        c = text[j]
        if quote:
            if c == quote:
                quote = ""
            continue
        if c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
    raise JSONPathError(f"unterminated array in {text}")


def _unquote(text: str) -> str:
    if text[0] == '"':
        try:
            return str(json.loads(text))
        except ValueError:
            return text[1:-1]
    return text[1:-1]


def _parse_bracket(inner: str) -> Any:
    inner = inner.strip()
    if inner.startswith("?"):
        expr = inner[1:].strip()
        if expr.startswith("(") and expr.endswith(")"):
            expr = expr[1:-1].strip()
        m = re.match(r"(.+?)\s*(==|!=|<=|>=|<|>|=~)\s*(.+)\Z", expr)
        if m is None:
            return ("filter", _parse_path(expr), "exists", None)
        return ("filter", _parse_path(m.group(1).strip()), m.group(2), _parse_path(m.group(3).strip()))
    if inner == "*":
        return ("wild",)
    if inner[:1] in "\"'":
        names = [_unquote(p.strip()) for p in _split_top(inner, ",")]
        return ("field", names[0]) if len(names) == 1 else ("union", [[("field", n)] for n in names])
    if "," in inner:
        return ("union", [[_parse_bracket(p)] for p in inner.split(",")])
    if ":" in inner:
        parts = [p.strip() for p in inner.split(":")]
        nums = [int(p) if p else None for p in parts] + [None] * (3 - len(parts))
        return ("slice", nums[0], nums[1], nums[2])
    try:
        return ("index", int(inner))
    except ValueError:
        return ("field", inner)


# -- evaluation -----------------------------------------------------------------------------------
def find(path: list[Any], data: Any) -> list[Any]:
    values = [data]
    for step in path:
        values = _step(step, values, data)
    return values


def _step(step: Any, values: list[Any], root: Any) -> list[Any]:
    kind = step[0]
    out: list[Any] = []
    if kind == "current":
        return values
    if kind == "literal":
        return [step[1]]
    for value in values:
        if kind == "field":
            if isinstance(value, dict) and step[1] in value:
                out.append(value[step[1]])
        elif kind == "wild":
            if isinstance(value, dict):
                out.extend(value[k] for k in sorted(value))
            elif isinstance(value, list):
                out.extend(value)
        elif kind == "index":
            if isinstance(value, list):
                i = step[1]
                if -len(value) <= i < len(value):
                    out.append(value[i])
                else:
                    raise JSONPathError(f"array index out of bounds: index {i}, length {len(value)}")
        elif kind == "slice":
            if isinstance(value, list):
                out.extend(value[step[1]:step[2]:step[3]])
        elif kind == "recursive":
            out.extend(_descend(value))
        elif kind == "union":
            for path in step[1]:
                out.extend(find(path, value))
        elif kind == "filter":
            items = value if isinstance(value, list) else []
            out.extend(item for item in items if _matches(step, item, root))
    return out


def _descend(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, dict):
        for k in sorted(value):
            out.extend(_descend(value[k]))
    elif isinstance(value, list):
        for v in value:
            out.extend(_descend(v))
    return out


def _matches(step: Any, item: Any, root: Any) -> bool:
    _, left, op, right = step
    lefts = find(left, item)
    if op == "exists":
        return bool(lefts)
    rights = find(right, item) if right and right[0][0] == "current" else find(right, root)
    if not lefts or not rights:
        return False
    a, b = lefts[0], rights[0]
    try:
        if op == "==":
            return bool(a == b)
        if op == "!=":
            return bool(a != b)
        if op == "=~":
            return re.search(str(b), str(a)) is not None
        if isinstance(a, str) != isinstance(b, str):
            return False
        return bool({"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op])
    except TypeError:
        return False


def _text(value: Any, as_json: bool) -> str:
    if as_json:
        return go_json(value)
    if isinstance(value, (dict, list)):
        return go_json(value, indent=None)
    if value is None:
        return "null"
    return go_str(value)


def execute(nodes: list[Any], data: Any, *, as_json: bool = False) -> str:
    out: list[str] = []
    for node in nodes:
        if node[0] == "text":
            out.append(node[1])
        elif node[0] == "action":
            values: list[Any] = []
            for path in node[1]:
                values.extend(find(path, data))
            out.append(" ".join(_text(v, as_json) for v in values))
        else:
            items: list[Any] = []
            for path in node[1]:
                items.extend(find(path, data))
            for item in items:
                out.append(execute(node[2], item, as_json=as_json))
    return "".join(out)


def values(expression: str, data: Any) -> list[Any]:
    """All values a (relaxed) single-path expression finds; used by custom-columns and --sort-by."""
    nodes = parse(relaxed(expression) if not expression.startswith("{") else expression)
    found: list[Any] = []
    for node in nodes:
        if node[0] == "action":
            for path in node[1]:
                found.extend(find(path, data))
    return found
