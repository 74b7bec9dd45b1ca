"""Describers for kinds with short, flat layouts: Namespace, ConfigMap, Secret, ServiceAccount (kubectl's
`describeNamespace`, `describeConfigMap`, `describeSecret`)."""

from __future__ import annotations

from fkubectl.describe.common import describe_events, meta, print_annotations, print_labels, search_events
from fkubectl.describe.writer import LEVEL_0, PrefixWriter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory


def namespace(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    from fkubectl.client.errors import ApiError
    from fkubectl.client.mapping import Mapping
    from fkubectl.client.request import list_request

    m = meta(obj)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"Status:\t{(obj.get('status') or {}).get('phase', '')}\n")
    conditions = (obj.get("status") or {}).get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('lastTransitionTime', '')}\t"
                       f"{c.get('reason', '')}\t{c.get('message', '')}\n")
    for resource, kind, empty in (("resourcequotas", "ResourceQuota", "No resource quota."),
                                  ("limitranges", "LimitRange", "No LimitRange resource.")):
        try:
            items = f.client().json(list_request(Mapping("", "v1", resource, kind, True), m.get("name", "")))
        except ApiError:
            continue
        w.write(LEVEL_0, "\n")
        if not (items or {}).get("items"):
            w.write(LEVEL_0, f"{empty}\n")
        else:
            w.write(LEVEL_0, f"{kind}s:\n" if kind == "LimitRange" else "Resource Quotas\n")
            for item in items["items"]:
                w.write(1, f"Name:\t{meta(item).get('name', '')}\n")
    return w.text()


def config_map(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m = meta(obj)
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, "\nData\n====\n")
    data = obj.get("data") or {}
    for key in sorted(data):
        w.write(LEVEL_0, f"{key}:\n----\n")
        w.write(LEVEL_0, f"{data[key]}\n")
        w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "\nBinaryData\n====\n")
    binary = obj.get("binaryData") or {}
    for key in sorted(binary):
        w.write(LEVEL_0, f"{key}: {_decoded_len(binary[key])} bytes\n")
    w.write(LEVEL_0, "\n")
    describe_events(w, events)
    return w.text()


def _decoded_len(value: str) -> int:
    import base64

    try:
        return len(base64.b64decode(value))
    except ValueError:
        return len(value)


def secret(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m = meta(obj)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    w.write(LEVEL_0, f"\nType:\t{obj.get('type', '')}\n")
    w.write(LEVEL_0, "\nData\n====\n")
    data = obj.get("data") or {}
    for key in sorted(data):
        if obj.get("type") in ("kubernetes.io/service-account-token",) and key in ("ca.crt", "namespace"):
            import base64

            w.write(LEVEL_0, f"{key}:\t{base64.b64decode(data[key]).decode(errors='replace')}\n")
        else:
            w.write(LEVEL_0, f"{key}:\t{_decoded_len(data[key])} bytes\n")
    return w.text()


def service_account(f: Factory, obj: dict[str, Any], *, show_events: bool = True) -> str:
    m = meta(obj)
    events = search_events(f, obj) if show_events else None
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")
    print_labels(w, "Labels", m.get("labels"))
    print_annotations(w, "Annotations", m.get("annotations"))
    pulls = [s.get("name", "") for s in obj.get("imagePullSecrets") or []]
    mountable = [s.get("name", "") for s in obj.get("secrets") or []]
    w.write(LEVEL_0, f"Image pull secrets:\t{', '.join(pulls) or '<none>'}\n")
    w.write(LEVEL_0, f"Mountable secrets: \t{', '.join(mountable) or '<none>'}\n")
    w.write(LEVEL_0, "Tokens:            \t<none>\n")
    describe_events(w, events)
    return w.text()
