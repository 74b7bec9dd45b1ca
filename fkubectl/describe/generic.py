"""The fallback describer (kubectl's `genericDescriber`): name, namespace, labels, annotations, then every
other field as a tree with "smart" labels (`creationTimestamp` -> `Creation Timestamp`), then Events.
"""

from __future__ import annotations

from fkubectl.describe.common import describe_events, meta, print_annotations, print_labels, search_events
from fkubectl.describe.writer import LEVEL_0, PrefixWriter
from fkubectl.printers.gofmt import go_str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory

SKIP = (".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
        ".metadata.annotations")
ACRONYMS = ("API", "URL", "UID", "OSB", "GUID")


def describe(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m = meta(obj)
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    print_content(w, LEVEL_0, obj, "")
    describe_events(w, events)
    return w.text()


def print_content(w: PrefixWriter, level: int, content: dict[str, Any], prefix: str) -> None:
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            print_content(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    print_content(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{go_str(child)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{go_str(value)}\n")


def camel_split(text: str) -> list[str]:
    """fatih/camelcase `Split`: runs of lower, upper, digit and other characters, `HTTPServer` -> HTTP Server."""
    runs: list[list[str]] = []
    last = ""
    for c in text:
        kind = "l" if c.islower() else "u" if c.isupper() else "d" if c.isdigit() else "o"
        if runs and kind == last:
            runs[-1].append(c)
        else:
            runs.append([c])
        last = kind
    for i in range(len(runs) - 1):
        if runs[i][0].isupper() and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(r) for r in runs if r]


def smart_label(field: str) -> str:
    if any(not (c.isalpha() or c == "-") for c in field):
        return field
    parts = []
    for part in camel_split(field):
        if part == "-":
            continue
        parts.append(part.upper() if part.upper() in ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(parts)
