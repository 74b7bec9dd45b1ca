"""`-o custom-columns=HEADER:.path,...` (cli-runtime customcolumn.go).

Headers print as given; each cell is every value the path finds, joined by `,`, or `<none>`; Go's
`%v` formatting for values; rows go through kubectl's tabwriter.
"""

from __future__ import annotations

from fkubectl.errors import CommandError
from fkubectl.printers import jsonpath
from fkubectl.printers.gofmt import go_str
from fkubectl.printers.tabwriter import format_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ColumnSpecError(CommandError):
    pass


def parse_spec(spec: str) -> list[tuple[str, str]]:
    if "\n" in spec.strip():
        return _parse_file(spec)
    columns: list[tuple[str, str]] = []
    for part in spec.split(","):
        pieces = part.split(":")
        if len(pieces) != 2:
            raise ColumnSpecError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append((pieces[0], jsonpath.relaxed(pieces[1])))
    return columns


def _parse_file(text: str) -> list[tuple[str, str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    headers, paths = lines[0].split(), lines[1].split()
    if len(headers) != len(paths):
        raise ColumnSpecError(f"number of headers ({len(headers)}) does not match number of columns ({len(paths)})")
    return [(h, jsonpath.relaxed(p)) for h, p in zip(headers, paths, strict=True)]


def cells(columns: list[tuple[str, str]], obj: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for _, path in columns:
        found = jsonpath.values(path, obj)
        out.append(",".join(go_str(v) for v in found) if found else "<none>")
    return out


def render(spec: str, objects: list[dict[str, Any]], *, no_headers: bool = False) -> str:
    columns = parse_spec(spec)
    lines = [] if no_headers else [[h for h, _ in columns]]
    lines.extend(cells(columns, obj) for obj in objects)
    return format_lines(lines)
