"""Building blocks shared by describers, each a port of the kubectl function of the same name:
multi-line labels/annotations/tolerations, the Events table, timestamps in RFC 1123 (local time), and
event lookup by `involvedObject`.
"""

from __future__ import annotations

import time

from fkubectl.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter
from fkubectl.printers.duration import age, parse_rfc3339

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory

MAX_ANNOTATION_LEN = 140
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def rfc1123z(timestamp: str | None) -> str:
    """Go's `time.RFC1123Z` in the local zone, as metav1.Time decodes to local time."""
    epoch = parse_rfc3339(timestamp or "")
    if epoch is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    return time.strftime("%a, %d %b %Y %H:%M:%S %z", time.localtime(epoch))


def meta(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("metadata") or {}


def go_bool(value: Any) -> str:
    return "true" if value else "false"


def print_labels(w: PrefixWriter, title: str, labels: dict[str, str] | None, *, initial_indent: str = "",
                 inner_indent: str = "\t") -> None:
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not labels:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(LEVEL_0, initial_indent + inner_indent)
        w.write(LEVEL_0, f"{key}={labels[key]}\n")


def print_annotations(w: PrefixWriter, title: str, annotations: dict[str, str] | None, *,
                      initial_indent: str = "", inner_indent: str = "\t") -> None:
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    keys = sorted(k for k in (annotations or {}) if k != LAST_APPLIED)
    if not keys:
        w.line("<none>")
        return
    indent = initial_indent + inner_indent
    assert annotations is not None
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, indent)
        value = annotations[key].removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, f"{key}:\n")
            for part in value.split("\n"):
                w.write(LEVEL_0, f"{indent}  {shorten(part, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(LEVEL_0, f"{key}: {value}\n")


def shorten(text: str, max_length: int) -> str:
    return text[:max_length] + "..." if len(text) > max_length else text


def print_tolerations(w: PrefixWriter, title: str, tolerations: list[dict[str, Any]] | None, *,
                      initial_indent: str = "", inner_indent: str = "\t") -> None:
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not tolerations:
        w.line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(LEVEL_0, initial_indent + inner_indent)
        text = t.get("key", "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if t.get("key") or t.get("effect") else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        w.write(LEVEL_0, text + "\n")


def search_events(f: Factory, obj: dict[str, Any], *, with_kind: bool = True) -> list[dict[str, Any]] | None:
    """Events about `obj` (kubectl's `searchEvents`); None when they cannot be listed."""
    from fkubectl.client.errors import ApiError
    from fkubectl.client.mapping import Mapping
    from fkubectl.client.request import list_request

    m = meta(obj)
    fields = {"involvedObject.name": m.get("name", ""), "involvedObject.namespace": m.get("namespace", "")}
    if with_kind and obj.get("kind"):
        fields["involvedObject.kind"] = obj["kind"]
    if m.get("uid"):
        fields["involvedObject.uid"] = m["uid"]
    selector = ",".join(f"{k}={v}" for k, v in sorted(fields.items()))
    events = Mapping("", "v1", "events", "Event", True)
    items: list[dict[str, Any]] = []
    cont = ""
    try:
        while True:
            page = f.client().json(list_request(events, m.get("namespace", ""), field_selector=selector, cont=cont))
            items.extend(page.get("items") or [])
            cont = (page.get("metadata") or {}).get("continue", "")
            if not cont:
                return items
    except ApiError:
        return None


def _event_time(e: dict[str, Any]) -> float:
    stamp = e.get("lastTimestamp") or e.get("eventTime") or ""
    return parse_rfc3339(stamp) or 0.0


def describe_events(w: PrefixWriter, events: list[dict[str, Any]] | None) -> None:
    if events is None:
        return
    if not events:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for e in sorted(events, key=_event_time):
        first = age(e.get("eventTime")) if e.get("eventTime") else age(e.get("firstTimestamp"))
        series = e.get("series")
        if series:
            interval = f"{age(series.get('lastObservedTime'))} (x{series.get('count', 0)} over {first})"
        elif (e.get("count") or 0) > 1:
            interval = f"{age(e.get('lastTimestamp'))} (x{e['count']} over {first})"
        else:
            interval = first
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        message = e.get("message", "")
        field_path = (e.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(LEVEL_1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message.strip()}\n")


def controller_of(obj: dict[str, Any]) -> str:
    for ref in meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def format_selector(selector: dict[str, Any] | None) -> str:
    """`metav1.FormatLabelSelector`."""
    if not selector:
        return "<none>"
    parts = [(k, f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        key, op = str(expr.get("key", "")), expr.get("operator", "")
        values = sorted(expr.get("values") or [])
        if op in ("In", "NotIn"):
            parts.append((key, f"{key} {op.lower()} ({','.join(values)})"))
        elif op == "Exists":
            parts.append((key, key))
        elif op == "DoesNotExist":
            parts.append((key, f"!{key}"))
    parts.sort(key=lambda p: p[0])
    text = ",".join(p[1] for p in parts)
    return text or "<none>"
