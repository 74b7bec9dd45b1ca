"""kubectl's describe output machinery: a `PrefixWriter` (levels of two spaces, Go-format-like writes)
whose text goes through a tabwriter with describe's settings (minwidth 0, padding 2) when flushed.

Consecutive lines containing tabs align as one block; a line without a tab ends the block; `flush()`
ends alignment explicitly, as kubectl does before the Events table.
"""

from __future__ import annotations

from fkubectl.printers.tabwriter import format_text

LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = 0, 1, 2, 3, 4


class PrefixWriter:
    def __init__(self) -> None:
        self._pending: list[str] = []
        self._done: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._pending.append("  " * level + text)

    def line(self, *parts: str) -> None:
        """kubectl's `WriteLine`: the parts joined by spaces, then a newline."""
        self._pending.append(" ".join(parts) + "\n")

    def flush(self) -> None:
        self._done.append(format_text("".join(self._pending), min_width=0, padding=2))
        self._pending = []

    def raw(self) -> str:
        """The text as written, tabs kept (kubectl prints `rollout history --revision` this way)."""
        return "".join(self._done) + "".join(self._pending)

    def text(self) -> str:
        self.flush()
        return "".join(self._done)
