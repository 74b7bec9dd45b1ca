"""Rows of a server-side `Table` (meta.k8s.io/v1) as kubectl prints them (`cli-runtime` tableprinter.go).

- headers are the column names upper-cased; columns with `priority != 0` only with `-o wide`;
- `-A` prepends NAMESPACE, taken from each row's `object.metadata`;
- `-L a,b/c` appends one column per label (header: the key's last path segment, upper-cased);
  `--show-labels` appends LABELS (`k=v,...` or `<none>`);
- several resource types in one `get` prefix the name cell with `kind.group/` (`deployment.apps/web`);
- `--output-watch-events` prepends EVENT.
A non-Table answer (a server without Tables) is printed with kubectl's fallback columns NAME and AGE.
"""

from __future__ import annotations

from fkubectl.printers.gofmt import format_labels, go_str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class TableOptions:
    __slots__ = ("wide", "no_headers", "with_namespace", "show_labels", "label_columns", "kind_prefix",
                 "event_type")

    def __init__(self, *, wide: bool = False, no_headers: bool = False, with_namespace: bool = False,
                 show_labels: bool = False, label_columns: list[str] | None = None, kind_prefix: str = "",
                 event_type: bool = False) -> None:
        self.wide = wide
        self.no_headers = no_headers
        self.with_namespace = with_namespace
        self.show_labels = show_labels
        self.label_columns = label_columns or []
        self.kind_prefix = kind_prefix
        self.event_type = event_type


def visible_columns(columns: list[dict[str, Any]], wide: bool) -> list[int]:
    return [i for i, c in enumerate(columns) if wide or not c.get("priority")]


def header(columns: list[dict[str, Any]], opts: TableOptions) -> list[str]:
    cells = ["NAMESPACE"] if opts.with_namespace else []
    if opts.event_type:
        cells.append("EVENT")
    cells.extend(str(columns[i].get("name", "")).upper() for i in visible_columns(columns, opts.wide))
    cells.extend(key.rsplit("/", 1)[-1].upper() for key in opts.label_columns)
    if opts.show_labels:
        cells.append("LABELS")
    return cells


def _metadata(row: dict[str, Any]) -> dict[str, Any]:
    obj = row.get("object") or {}
    return obj.get("metadata") or {}


def row_cells(row: dict[str, Any], columns: list[dict[str, Any]], opts: TableOptions, *,
              event: str = "") -> list[str]:
    meta = _metadata(row)
    cells = [str(meta.get("namespace", ""))] if opts.with_namespace else []
    if opts.event_type:
        cells.append(event)
    raw = row.get("cells") or []
    for n, i in enumerate(visible_columns(columns, opts.wide)):
        text = go_str(raw[i]) if i < len(raw) else ""
        if n == 0 and opts.kind_prefix:
            text = f"{opts.kind_prefix}/{text}"
        cells.append(text)
    if (opts.label_columns or opts.show_labels) and row.get("object") is not None:
        labels = meta.get("labels") or {}
        cells.extend(str(labels.get(key, "")) for key in opts.label_columns)
        if opts.show_labels:
            cells.append(format_labels(labels))
    return cells


def table_lines(table: dict[str, Any], opts: TableOptions, *, columns: list[dict[str, Any]] | None = None,
                headers: bool = True, event: str = "") -> list[list[str]]:
    """Header (unless suppressed) and one line per row; `columns` overrides the table's own definitions
    (watch events after the first carry none)."""
    cols = columns if columns is not None else table.get("columnDefinitions") or []
    lines: list[list[str]] = []
    if headers and not opts.no_headers:
        lines.append(header(cols, opts))
    for row in table.get("rows") or []:
        lines.append(row_cells(row, cols, opts, event=event))
    return lines


NAME_AGE_COLUMNS: list[dict[str, Any]] = [{"name": "Name", "priority": 0}, {"name": "Age", "priority": 0}]


def fallback_table(items: list[dict[str, Any]], now: float | None = None) -> dict[str, Any]:
    """kubectl's client-side default for objects that are not Tables: NAME and AGE."""
    from fkubectl.printers.duration import age

    rows = [{"cells": [(o.get("metadata") or {}).get("name", ""),
                       age((o.get("metadata") or {}).get("creationTimestamp"), now)],
             "object": {"metadata": o.get("metadata") or {}}} for o in items]
    return {"kind": "Table", "columnDefinitions": NAME_AGE_COLUMNS, "rows": rows}
