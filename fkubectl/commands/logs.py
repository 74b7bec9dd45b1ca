"""`fkubectl logs`: stream a container's log (kubectl logs.go, polymorphichelpers/logsforobject.go).

The pod is read first to pick the container: `-c`, else the `kubectl.kubernetes.io/default-container`
annotation, else the first container (saying `Defaulted container "a" out of: a, b` on stderr when there
were several). `TYPE/NAME` of a workload resolves to one of its pods (`Found 3 pods, using pod/x`), `-l`
to every matching pod. Query parameters are kubectl's (`follow`, `previous`, `timestamps`,
`sinceSeconds`, `sinceTime`, `tailLines`, `limitBytes`); bytes are copied to stdout as they arrive.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.errors import PROG, CommandError
from fkubectl.flags import BOOL, INT, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.mapping import Mapping
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "logs"
SHORT = "Print the logs for a container in a pod"
USAGE = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]"
LONG = """Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional."""
EXAMPLES = """  # Return snapshot logs from pod nginx with only one container
  {prog} logs nginx

  # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name
  {prog} logs nginx --prefix

  # Begin streaming the logs of the ruby container in pod web-1
  {prog} logs -f -c ruby web-1

  # Display only the most recent 20 lines of output in pod nginx
  {prog} logs --tail=20 nginx"""
FLAGS = (
    Flag("all-containers", BOOL, help="Get all containers' logs in the pod(s)."),
    Flag("container", STRING, short="c", help="Print the logs of this container"),
    Flag("follow", BOOL, short="f", help="Specify if the logs should be streamed."),
    Flag("ignore-errors", BOOL, help="If watching / following pod logs, allow for any errors that occur to be non-fatal"),
    Flag("limit-bytes", INT, 0, "Maximum bytes of logs to return. Defaults to no limit."),
    Flag("max-log-requests", INT, 5, "Specify maximum number of concurrent logs to follow when using by a selector. "
         "Defaults to 5."),
    Flag("pod-running-timeout", STRING, "20s", "The length of time to wait until at least one pod is running"),
    Flag("prefix", BOOL, help="Prefix each log line with the log source (pod name and container name)"),
    Flag("previous", BOOL, short="p", help="If true, print the logs for the previous instance of the container in a "
         "pod if it exists."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
    Flag("since", STRING, help="Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all "
         "logs. Only one of since-time / since may be used."),
    Flag("since-time", STRING, help="Only return logs after a specific date (RFC3339). Defaults to all logs. Only one "
         "of since-time / since may be used."),
    Flag("tail", INT, -1, "Lines of recent log file to display. Defaults to -1 with no selector, showing all log "
         "lines otherwise 10, if a selector is provided."),
    Flag("timestamps", BOOL, help="Include timestamps on each line in the log output"),
)

DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


def _pods_mapping() -> Mapping:
    from fkubectl.client.mapping import Mapping

    return Mapping("", "v1", "pods", "Pod", True)


def _query(v: Values, container: str) -> dict[str, str]:
    query: dict[str, str] = {"container": container}
    if v["follow"]:
        query["follow"] = "true"
    if v["previous"]:
        query["previous"] = "true"
    if v["timestamps"]:
        query["timestamps"] = "true"
    if v["since"]:
        from fkubectl.config.clientconfig import parse_timeout

        try:
            seconds = parse_timeout(v["since"]) or 0
        except ValueError:
            raise CommandError(f'invalid argument "{v["since"]}" for "--since" flag: time: invalid duration '
                               f'"{v["since"]}"') from None
        query["sinceSeconds"] = str(max(1, int(seconds + 0.999)))
    if v["since-time"]:
        query["sinceTime"] = v["since-time"]
    if v["tail"] >= 0:
        query["tailLines"] = str(v["tail"])
    if v["limit-bytes"] > 0:
        query["limitBytes"] = str(v["limit-bytes"])
    return query


def _all_container_names(pod: dict[str, Any]) -> str:
    spec = pod.get("spec") or {}
    names = [c.get("name", "") for c in spec.get("containers") or []]
    names += [f"{c.get('name', '')} (init)" for c in spec.get("initContainers") or []]
    names += [f"{c.get('name', '')} (ephem)" for c in spec.get("ephemeralContainers") or []]
    return ", ".join(names)


def pick_container(f: Factory, pod: dict[str, Any], requested: str) -> str:
    spec = pod.get("spec") or {}
    name = str((pod.get("metadata") or {}).get("name", ""))
    containers = spec.get("containers") or []
    every = containers + (spec.get("initContainers") or []) + (spec.get("ephemeralContainers") or [])
    container = requested
    if not container:
        default = ((pod.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CONTAINER, "")
        if default:
            if any(c.get("name") == default for c in every):
                container = default
            else:
                f.streams.err.write(f'Default container name "{default}" not found in pod {name}\n')
    if not container:
        if not containers:
            raise CommandError(f"pod {name} does not have any containers")
        container = str(containers[0].get("name", ""))
        if len(containers) > 1 or spec.get("initContainers") or spec.get("ephemeralContainers"):
            f.streams.err.write(f'Defaulted container "{container}" out of: {_all_container_names(pod)}\n')
    if not any(c.get("name") == container for c in every):
        raise CommandError(f"container {container} is not valid for pod {name}")
    return container


def _active_rank(pod: dict[str, Any]) -> tuple[Any, ...]:
    """kubectl's `podutils.ActivePods` order: assigned, running, ready, then fewer restarts, newer."""
    from fkubectl.printers.duration import parse_rfc3339

    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}.get(status.get("phase", ""), 0)
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
    restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or []), default=0)
    created = parse_rfc3339((pod.get("metadata") or {}).get("creationTimestamp", "")) or 0
    return (0 if spec.get("nodeName") else 1, -phase_rank, 0 if ready else 1, restarts, -created)


def _selector_of(obj: dict[str, Any]) -> str:
    from fkubectl.describe.common import format_selector

    selector = (obj.get("spec") or {}).get("selector")
    if isinstance(selector, dict) and ("matchLabels" in selector or "matchExpressions" in selector):
        text = format_selector(selector)
    elif isinstance(selector, dict):
        text = ",".join(f"{k}={selector[k]}" for k in sorted(selector))
    else:
        text = ""
    if not text or text == "<none>":
        raise CommandError("cannot attach to the object without a selector")
    return text


def resolve_pods(f: Factory, args: list[str], v: Values) -> list[dict[str, Any]]:
    client = f.client()
    pods = _pods_mapping()
    if v["selector"]:
        if args:
            raise CommandError("only a selector (-l) or a POD name is allowed")
        listing = client.json(rq.list_request(pods, f.namespace, label_selector=v["selector"], limit=0))
        items = listing.get("items") or []
        if not items:
            f.streams.err.write(f"No resources found in {f.namespace} namespace.\n")
        return list(items)
    if not args:
        raise CommandError(f"expected '{USAGE.removesuffix(' [options]')}'.\nPOD or TYPE/NAME is a required argument "
                           f"for the logs command\nSee '{PROG} logs -h' for help and examples")
    if len(args) > 2 or (len(args) == 2 and "/" in args[0]):
        raise CommandError(f"expected '{USAGE.removesuffix(' [options]')}'.\nPOD or TYPE/NAME is a required argument "
                           f"for the logs command\nSee '{PROG} logs -h' for help and examples")
    if len(args) == 2 and not v["container"]:
        v["container"] = args[1]
    target = args[0]
    if "/" not in target:
        try:
            return [client.json(rq.get_request(pods, f.namespace, target))]
        except ApiError as exc:
            if exc.code != 404:
                raise
            raise CommandError(f'error from server (NotFound): pods "{target}" not found in namespace '
                               f'"{f.namespace}"') from None
    found = builder.resolve(f.mapper(), [target], allow_categories=False)[0]
    obj = client.json(rq.get_request(found.mapping, f.namespace, found.name))
    if found.mapping.kind == "Pod":
        return [obj]
    items = client.json(rq.list_request(pods, f.namespace, label_selector=_selector_of(obj), limit=0)).get("items")
    if not items:
        raise CommandError("timed out waiting for the condition")
    items = sorted(items, key=_active_rank)
    if len(items) > 1:
        f.streams.err.write(f"Found {len(items)} pods, using pod/{(items[0].get('metadata') or {}).get('name', '')}\n")
    return [items[0]]


def _write(f: Factory, data: bytes) -> None:
    out = f.streams.out
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8", "replace"))


def run(f: Factory, args: list[str], v: Values) -> int:
    if v["since"] and v["since-time"]:
        raise CommandError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if v["selector"] and v["tail"] < 0 and "tail" not in v.changed:
        v["tail"] = 10
    pods = resolve_pods(f, args, v)
    if v["selector"] and v["follow"] and len(pods) > v["max-log-requests"]:
        raise CommandError(f"you are attempting to follow {len(pods)} log streams, but maximum allowed concurrency is "
                           f"{v['max-log-requests']}, use --max-log-requests to increase the limit")
    client = f.client()
    mapping = _pods_mapping()
    for pod in pods:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        if v["all-containers"]:
            containers = [c.get("name", "") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])
                          + (spec.get("ephemeralContainers") or [])]
        else:
            containers = [pick_container(f, pod, v["container"])]
        for container in containers:
            req = rq.get_request(mapping, str(meta.get("namespace") or f.namespace), str(meta.get("name", "")),
                                 subresource="log")
            req.query = _query(v, container)
            req.headers = {"Accept": "*/*"}
            req.stream = True
            prefix = f"[pod/{meta.get('name', '')}/{container}] ".encode() if v["prefix"] else b""
            try:
                if prefix:
                    for line in client.lines(req):
                        _write(f, prefix + line + b"\n")
                else:
                    for chunk in client.chunks(req):
                        _write(f, chunk)
            except ApiError:
                if v["ignore-errors"]:
                    continue
                raise
            except KeyboardInterrupt:
                return 0
    return 0
