"""`fkubectl wait --for=...` (kubectl wait.go): block until objects meet a condition, or time out.

Supported: `--for=condition=Ready[=false]` (matched case-insensitively on `status.conditions[].type`, and
only once that condition's `observedGeneration` has caught up with the object's generation),
`--for=jsonpath='{.status.phase}'=Running` (or just a path, meaning "exists"), `--for=delete` and
`--for=create`. Objects are polled with a short backoff. Success prints `pod/x condition met` (`deleted`,
`created`; an object already gone before waiting for its deletion prints nothing); a timeout is
`timed out waiting for the condition on pods/x`.
"""

from __future__ import annotations

import time

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import object_name
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, SLICE, STRING, Flag
from fkubectl.printers.gofmt import go_str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "wait"
SHORT = "Wait for a specific condition on one or many resources"
USAGE = ("wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) "
         "[--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]")
LONG = """Experimental: Wait for a specific condition on one or many resources.

 The command takes multiple resources and waits until the specified condition is seen in the Status field of
every given resource."""
EXAMPLES = """  # Wait for the pod "busybox1" to contain the status condition of type "Ready"
  {prog} wait --for=condition=Ready pod/busybox1

  # Wait for the pod "busybox1" to contain the status phase to be "Running"
  {prog} wait --for=jsonpath='{{.status.phase}}'=Running pod/busybox1

  # Wait for pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command
  {prog} wait --for=delete pod/busybox1 --timeout=60s"""
FLAGS = (
    Flag("all", BOOL, help="Select all resources in the namespace of the specified resource types"),
    Flag("all-namespaces", BOOL, short="A", help="If present, list the requested object(s) across all namespaces."),
    Flag("field-selector", STRING, help="Selector (field query) to filter on, supports '=', '==', and '!='."),
    Flag("filename", SLICE, short="f", help="identifying the resource."),
    Flag("for", STRING, help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|"
         "jsonpath='{JSONPath expression}'=[JSONPath value]]."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
    Flag("timeout", STRING, "30s", "The length of time to wait before giving up.  Zero means check once and don't "
         "wait, negative means wait for a week."),
)



def condition_check(spec: str) -> tuple[Any, str]:
    """(check(obj) -> bool, verb printed on success)."""
    if spec == "delete":
        return (lambda obj: obj is None), "deleted"
    if spec == "create":
        return (lambda obj: obj is not None), "created"
    if spec.lower().startswith("condition="):
        name, _, value = spec[len("condition="):].partition("=")
        wanted = value or "true"

        def has_condition(obj: dict[str, Any] | None) -> bool:
            if obj is None:
                return False
            generation = (obj.get("metadata") or {}).get("generation")
            for cond in (obj.get("status") or {}).get("conditions") or []:
                if str(cond.get("type", "")).lower() != name.lower():
                    continue
                observed = cond.get("observedGeneration")
                if observed is not None and generation is not None and observed < generation:
                    return False
                return str(cond.get("status", "")).lower() == wanted.lower()
            return False

        return has_condition, "condition met"
    if spec.lower().startswith("jsonpath="):
        from fkubectl.printers import jsonpath

        expr = spec[len("jsonpath="):]
        path, expected = _split_jsonpath(expr)
        relaxed = jsonpath.relaxed(path.strip("'\""))

        def matches(obj: dict[str, Any] | None) -> bool:
            if obj is None:
                return False
            found = jsonpath.values(relaxed, obj)
            if expected is None:
                return bool(found)
            return len(found) == 1 and go_str(found[0]) == expected

        return matches, "condition met"
    raise CommandError(f"unrecognized condition: \"{spec}\"")


def _split_jsonpath(expr: str) -> tuple[str, str | None]:
    depth = 0
    for i, c in enumerate(expr):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "=" and depth == 0:
            return expr[:i], expr[i + 1:]
    return expr, None


def _timeout(raw: str) -> float:
    from fkubectl.config.clientconfig import parse_timeout

    if raw.startswith("-"):
        return 7 * 24 * 3600.0
    try:
        return parse_timeout(raw) or 0.0
    except ValueError:
        raise CommandError(f'invalid argument "{raw}" for "--timeout" flag: time: invalid duration "{raw}"') from None


def run(f: Factory, args: list[str], v: Values) -> int:
    if not v["for"]:
        raise CommandError("--for must be set")
    check, verb = condition_check(v["for"])
    timeout = _timeout(v["timeout"])
    namespace = "" if v["all-namespaces"] else f.namespace
    if v["filename"]:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"], recursive=v["recursive"])
    elif args:
        targets = builder.resolve(f.mapper(), args, allow_categories=False)
    else:
        raise CommandError("resource(s) were provided, but no name was specified")
    client = f.client()
    pending: list[tuple[Any, str, str]] = []
    for target in targets:
        ns = target.namespace or namespace
        if target.name:
            pending.append((target.mapping, ns, target.name))
            continue
        if not (v["all"] or v["selector"] or v["field-selector"]):
            raise CommandError("resource(s) were provided, but no name was specified")
        page = client.json(rq.list_request(target.mapping, ns, label_selector=v["selector"],
                                           field_selector=v["field-selector"], limit=0))
        pending.extend((target.mapping, (i.get("metadata") or {}).get("namespace", ""),
                        (i.get("metadata") or {}).get("name", "")) for i in page.get("items") or [])
    if not pending:
        raise CommandError("no matching resources found")
    deadline = time.monotonic() + timeout
    delay = 0.05
    errors: list[BaseException] = []
    first = True
    while pending:
        remaining: list[tuple[Any, str, str]] = []
        for mapping, ns, name in pending:
            try:
                obj = client.json(rq.get_request(mapping, ns, name))
            except ApiError as exc:
                if exc.code != 404:
                    raise
                obj = None
                if v["for"] not in ("delete", "create") and time.monotonic() >= deadline:
                    errors.append(exc)
                    continue
            if check(obj):
                if not (first and obj is None and verb == "deleted"):
                    f.streams.out.write(f"{object_name(mapping, name)} {verb}\n")
            else:
                remaining.append((mapping, ns, name))
        pending = remaining
        first = False
        if not pending:
            break
        if time.monotonic() >= deadline:
            errors.extend(CommandError(f"timed out waiting for the condition on {m.resource}/{n}")
                          for m, _, n in pending)
            break
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.5)
    if errors:
        raise Aggregate(errors)
    return 0
