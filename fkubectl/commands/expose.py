"""`fkubectl expose (TYPE NAME | TYPE/NAME) --port=N`: create a Service for a deployment, replica set,
replication controller, service or pod (kubectl expose.go). The selector comes from the object (its
`spec.selector.matchLabels`, a service's selector, a pod's labels), the labels from the object's labels,
the port from `--port` or the first container port; sent as JSON and reported as `service/x exposed`.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.commands import builder
from fkubectl.commands.create import send
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, SHOW_MANAGED
from fkubectl.errors import CommandError
from fkubectl.flags import STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "expose"
SHORT = "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service"
USAGE = ("expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] "
         "[--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]")
LONG = """Expose a resource as a new Kubernetes service."""
EXAMPLES = """  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
  {prog} expose deployment nginx --port=80 --target-port=8000"""
FLAGS = (
    DRY_RUN, OUTPUT, SHOW_MANAGED,
    Flag("external-ip", STRING, help="Additional external IP address (not managed by Kubernetes) to accept for the "
         "service."),
    Flag("labels", STRING, short="l", help="Labels to apply to the service created by this call."),
    Flag("name", STRING, help="The name for the newly created object."),
    Flag("port", STRING, help="The port that the service should serve on."),
    Flag("protocol", STRING, help="The network protocol for the service to be created. Default is 'TCP'."),
    Flag("selector", STRING, help="A label selector to use for this service."),
    Flag("target-port", STRING, help="Name or number for the port on the container that the service should direct "
         "traffic to."),
    Flag("type", STRING, help="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName."),
    Flag("field-manager", STRING, "kubectl-expose", "Name of the manager used to track field ownership."),
)
EXPOSABLE = {"Deployment", "ReplicaSet", "ReplicationController", "Service", "Pod", "StatefulSet"}


def _pairs(text: str) -> dict[str, str]:
    return dict(item.partition("=")[::2] for item in text.split(",") if item)


def _selector(obj: dict[str, Any]) -> dict[str, str]:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Pod":
        return dict((obj.get("metadata") or {}).get("labels") or {})
    selector = spec.get("selector") or {}
    if obj.get("kind") in ("Service", "ReplicationController"):
        return dict(selector)
    if selector.get("matchExpressions"):
        raise CommandError("couldn't retrieve selectors via --selector flag or introspection: the selector has "
                           "expressions, which a service cannot use")
    return dict(selector.get("matchLabels") or {})


def _ports(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Service":
        return [{"protocol": p.get("protocol", "TCP"), "port": p.get("port")} for p in spec.get("ports") or []]
    pod_spec = spec if obj.get("kind") == "Pod" else (spec.get("template") or {}).get("spec") or {}
    return [{"protocol": p.get("protocol", "TCP"), "port": p.get("containerPort")}
            for c in pod_spec.get("containers") or [] for p in c.get("ports") or []]


def run(f: Factory, args: list[str], v: Values) -> int:
    targets = builder.resolve(f.mapper(), args, allow_categories=False) if args else []
    if len(targets) != 1 or not targets[0].name:
        raise CommandError("You must provide one or more resources by argument or filename.")
    target = targets[0]
    if target.mapping.kind not in EXPOSABLE:
        raise CommandError(f"cannot expose a {target.mapping.kind}")
    obj = f.client().json(rq.get_request(target.mapping, f.namespace, target.name))
    obj.setdefault("kind", target.mapping.kind)
    selector = _pairs(v["selector"]) if v["selector"] else _selector(obj)
    if not selector:
        raise CommandError("couldn't retrieve selectors via --selector flag or introspection")
    if v["port"]:
        ports = [{"protocol": v["protocol"] or "TCP", "port": int(v["port"])}]
    else:
        ports = _ports(obj)
        if not ports:
            raise CommandError("couldn't find port via --port flag or introspection")
        if v["protocol"]:
            for port in ports:
                port["protocol"] = v["protocol"]
    for n, port in enumerate(ports):
        target_port: Any = v["target-port"] or port["port"]
        if isinstance(target_port, str) and target_port.isdigit():
            target_port = int(target_port)
        port["targetPort"] = target_port
        if len(ports) > 1:
            ports[n] = {"name": f"port-{n + 1}", **port}
    labels = _pairs(v["labels"]) if v["labels"] else dict((obj.get("metadata") or {}).get("labels") or {})
    metadata: dict[str, Any] = {"name": v["name"] or target.name}
    if f.explicit_namespace:
        metadata["namespace"] = f.namespace
    if labels:
        metadata["labels"] = labels
    spec: dict[str, Any] = {"ports": ports, "selector": selector}
    if v["type"]:
        spec["type"] = v["type"]
    if v["external-ip"]:
        spec["externalIPs"] = [v["external-ip"]]
    service = {"kind": "Service", "apiVersion": "v1", "metadata": metadata, "spec": spec,
               "status": {"loadBalancer": {}}}
    return send(f, v, f.mapper().resolve("services"), f.namespace, service, verb="exposed")
