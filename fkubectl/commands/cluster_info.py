"""`fkubectl cluster-info`: the control plane address and the kube-system services labelled
`kubernetes.io/cluster-service=true`, each with its API proxy URL (kubectl clusterinfo.go). Colours only
on a terminal."""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.mapping import Mapping
from fkubectl.errors import PROG, CommandError
from fkubectl.flags import Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "cluster-info"
SHORT = "Display cluster information"
USAGE = "cluster-info [flags] [options]"
LONG = """Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To
further debug and diagnose cluster problems, use '{prog} cluster-info dump'."""
FLAGS: tuple[Flag, ...] = ()


def run(f: Factory, args: list[str], v: Values) -> int:
    if args:
        raise CommandError(f"Unexpected args: {args}")
    out = f.streams.out
    color = bool(getattr(out, "isatty", lambda: False)())

    def paint(text: str, code: str) -> str:
        return f"\x1b[0;{code}m{text}\x1b[0m" if color else text

    server = f.client_config().server
    services = Mapping("", "v1", "services", "Service", True)
    items = f.client().json(rq.list_request(services, "kube-system",
                                            label_selector="kubernetes.io/cluster-service=true", limit=0))
    out.write(f"{paint('Kubernetes control plane', '32')} is running at {paint(server, '33')}\n")
    for svc in items.get("items") or []:
        meta = svc.get("metadata") or {}
        name = (meta.get("labels") or {}).get("kubernetes.io/name") or meta.get("name", "")
        ports = (svc.get("spec") or {}).get("ports") or []
        link = ""
        if ports:
            port = ports[0]
            port_name = port.get("name") or str(port.get("port", ""))
            proxy = f"{meta.get('name', '')}:{port_name}"
            link = f"{server}/api/v1/namespaces/kube-system/services/{proxy}/proxy"
        out.write(f"{paint(name, '32')} is running at {paint(link, '33')}\n")
    out.write(f"\nTo further debug and diagnose cluster problems, use '{PROG} cluster-info dump'.\n")
    return 0
