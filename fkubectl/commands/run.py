"""`fkubectl run NAME --image=IMAGE [-- ARGS...]`: create one pod (kubectl run.go's generator), sent as JSON.

Arguments after `--` become the container's `args`, or its `command` with `--command`. Attaching (`-i`,
`-t`, `--attach`, `--rm`) needs kubectl's WebSocket/SPDY streams and is refused with a clear message.
"""

from __future__ import annotations

import json

from fkubectl.commands.create import send
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, SHOW_MANAGED
from fkubectl.errors import CommandError
from fkubectl.flags import ARRAY, BOOL, INT, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "run"
SHORT = "Run a particular image on the cluster"
USAGE = ("run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] "
         "[--command] -- [COMMAND] [args...] [options]")
LONG = "Create and run a particular image in a pod."
EXAMPLES = """  # Start a nginx pod
  {prog} run nginx --image=nginx

  # Start a busybox pod and keep it in the foreground, don't restart it if it exits
  {prog} run busybox --image=busybox --restart=Never -- sleep 3600"""
FLAGS = (
    DRY_RUN, OUTPUT, SHOW_MANAGED,
    Flag("annotations", ARRAY, help="Annotations to apply to the pod."),
    Flag("attach", BOOL, help="If true, wait for the Pod to start running, and then attach to the Pod."),
    Flag("command", BOOL, help="If true and extra arguments are present, use them as the 'command' field in the "
         "container, rather than the 'args' field which is the default."),
    Flag("env", ARRAY, help="Environment variables to set in the container."),
    Flag("image", STRING, help="The image for the container to run."),
    Flag("image-pull-policy", STRING, help="The image pull policy for the container."),
    Flag("labels", STRING, short="l", help="Comma separated labels to apply to the pod. Will override previous "
         "values."),
    Flag("overrides", STRING, help="An inline JSON override for the generated object."),
    Flag("port", INT, -1, "The port that this container exposes."),
    Flag("privileged", BOOL, help="If true, run the container in privileged mode."),
    Flag("restart", STRING, "Always", "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]."),
    Flag("rm", BOOL, help="If true, delete the pod after it exits.  Only valid when attaching to the container."),
    Flag("stdin", BOOL, short="i", help="Keep stdin open on the container in the pod."),
    Flag("tty", BOOL, short="t", help="Allocate a TTY for the container in the pod."),
    Flag("field-manager", STRING, "kubectl-run", "Name of the manager used to track field ownership."),
)


def _pairs(text: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in (part for part in text.split(",") if part):
        key, eq, value = item.partition("=")
        if not eq:
            raise CommandError(f"invalid {what}: {item!r}")
        out[key] = value
    return out


def build_pod(name: str, v: Values, extra: list[str], namespace: str = "") -> dict[str, Any]:
    """The pod kubectl generates, fields in Go struct order (for `--dry-run=client -o json`)."""
    container: dict[str, Any] = {"name": name, "image": v["image"]}
    if extra:
        container["command" if v["command"] else "args"] = extra
    if v["env"]:
        container["env"] = [{"name": k, "value": val} for k, _, val in (e.partition("=") for e in v["env"])]
    if v["image-pull-policy"]:
        container["imagePullPolicy"] = v["image-pull-policy"]
    if v["port"] >= 0:
        container["ports"] = [{"containerPort": v["port"]}]
    container["resources"] = {}
    if v["privileged"]:
        container["securityContext"] = {"privileged": True}
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    metadata["labels"] = _pairs(v["labels"], "label") if v["labels"] else {"run": name}
    if v["annotations"]:
        metadata["annotations"] = {k: val for k, _, val in (a.partition("=") for a in v["annotations"])}
    pod: dict[str, Any] = {"kind": "Pod", "apiVersion": "v1", "metadata": metadata,
                           "spec": {"containers": [container], "restartPolicy": v["restart"],
                                    "dnsPolicy": "ClusterFirst"},
                           "status": {}}
    if v["overrides"]:
        from fkubectl.patch.jsonmerge import apply

        pod = apply(pod, json.loads(v["overrides"]))
    return pod


def run(f: Factory, args: list[str], v: Values) -> int:
    if not args:
        raise CommandError("NAME is required for run")
    if not v["image"]:
        raise CommandError('required flag(s) "image" not set')
    if v["stdin"] or v["tty"] or v["attach"] or v["rm"]:
        raise CommandError("attaching to a container (-i, -t, --attach, --rm) is not supported by fkubectl: it needs "
                           "a WebSocket/SPDY stream")
    if v["restart"] not in ("Always", "OnFailure", "Never"):
        raise CommandError(f"invalid restart policy: {v['restart']}")
    name, extra = args[0], args[1:]
    pod = build_pod(name, v, extra, f.namespace if f.explicit_namespace else "")
    return send(f, v, f.mapper().resolve("pods"), f.namespace, pod)
