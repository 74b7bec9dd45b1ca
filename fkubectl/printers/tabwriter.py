"""A port of the tabwriter kubectl prints tables with (`github.com/liggitt/tabwriter`, Go's `text/tabwriter`
plus `RememberWidths`), with kubectl's settings: minwidth 6, padding 3, pad char ' '.

What users see follows from it: a column is as wide as its widest cell plus 3 (at least 6); the last cell
of a line is never padded; a line with fewer cells ends a column block (a blank line between two tables
aligns them independently); widths count characters, not bytes; and across flushes a column never
shrinks (`RememberWidths`), which keeps `get -w` rows aligned with the header printed before them.
"""

from __future__ import annotations

MIN_WIDTH = 6
PADDING = 3


class TabWriter:
    """`TabWriter()` is kubectl's table writer; `TabWriter(min_width=0, padding=2, remember=False)` is the
    one `kubectl describe` uses."""

    def __init__(self, *, min_width: int = MIN_WIDTH, padding: int = PADDING, remember: bool = True) -> None:
        self.lines: list[list[str]] = []
        self.max_widths: list[int] = []
        self.min_width = min_width
        self.padding = padding
        self.remember = remember

    def row(self, cells: list[str]) -> None:
        self.lines.append(cells)

    def reset_widths(self) -> None:
        self.max_widths = []

    def flush(self) -> str:
        lines, self.lines = self.lines, []
        out: list[str] = []
        widths: list[int] = []
        remembered, remember = self.max_widths, self.remember
        min_width, padding = self.min_width, self.padding

        def write_lines(line0: int, line1: int) -> None:
            for i in range(line0, line1):
                line = lines[i]
                last = len(line) - 1
                out.append("".join(cell + " " * (widths[j] - len(cell)) if j < len(widths) and j < last else cell
                                   for j, cell in enumerate(line)))

        def fmt(line0: int, line1: int) -> None:
            column = len(widths)
            this = line0
            while this < line1:
                if column >= len(lines[this]) - 1:
                    this += 1
                    continue
                write_lines(line0, this)
                line0 = this
                width = min_width
                while this < line1:
                    line = lines[this]
                    if column >= len(line) - 1:
                        break
                    w = len(line[column]) + padding
                    if w > width:
                        width = w
                    this += 1
                if remember:
                    if len(remembered) < len(widths):
                        remembered.extend(widths[len(remembered):])
                    if len(remembered) == len(widths):
                        remembered.append(width)
                    elif remembered[len(widths)] > width:
                        width = remembered[len(widths)]
                    else:
                        remembered[len(widths)] = width
                widths.append(width)
                fmt(line0, this)
                widths.pop()
                line0 = this
            write_lines(line0, line1)

        fmt(0, len(lines))
        return "".join(line + "\n" for line in out)


def format_text(text: str, *, min_width: int = MIN_WIDTH, padding: int = PADDING) -> str:
    """Tab-separated text (as Go code writes it) through one tabwriter flush."""
    writer = TabWriter(min_width=min_width, padding=padding, remember=False)
    lines = text.split("\n")
    trailing = lines.pop() if lines else ""
    for line in lines:
        writer.row(line.split("\t"))
    out = writer.flush()
    return out + trailing


def format_lines(lines: list[list[str]]) -> str:
    writer = TabWriter()
    for cells in lines:
        writer.row(cells)
    return writer.flush()
