"""`fkubectl describe`: human-oriented detail for one or many objects (kubectl describe.go).

`describe TYPE NAME` fetches NAME; if it does not exist every object of TYPE whose name starts with NAME is
described instead (kubectl's `DescribeMatchingResources`, which prints each followed by a newline and
without events), and only when none matches is NotFound reported. `describe TYPE` describes every object (optionally `-l`), outputs separated by a blank line.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.describe import describer_for
from fkubectl.errors import PROG, Aggregate, CommandError
from fkubectl.flags import BOOL, INT, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "describe"
SHORT = "Show details of a specific resource or group of resources"
USAGE = "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]"
LONG = """Show details of a specific resource or group of resources.

 Print a detailed description of the selected resources, including related resources such as events or
controllers. You may select a single object by name, all objects of that type, provide a name prefix, or
label selector. For example:

  $ {prog} describe TYPE NAME_PREFIX

 will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output
details for every resource that has a name prefixed with NAME_PREFIX.

Use "{prog} api-resources" for a complete list of supported resources."""
EXAMPLES = """  # Describe a node
  {prog} describe nodes kubernetes-node-emt8.c.myproject.internal

  # Describe a pod
  {prog} describe pods/nginx

  # Describe pods by label name=myLabel
  {prog} describe pods -l name=myLabel"""
FLAGS = (
    Flag("all-namespaces", BOOL, short="A", help="If present, list the requested object(s) across all namespaces. "
         "Namespace in current context is ignored even if specified with --namespace."),
    Flag("chunk-size", INT, 500, "Return large lists in chunks rather than all at once. Pass 0 to disable."),
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files containing the resource to "
         "describe"),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', "
         "'notin'."),
    Flag("show-events", BOOL, True, "If true, display events related to the described object."),
)

MISSING_TYPE = ('You must specify the type of resource to describe. Use "{prog} api-resources" for a complete list '
                "of supported resources.")


def run(f: Factory, args: list[str], v: Values) -> int:
    all_ns = v["all-namespaces"]
    namespace = "" if all_ns else f.namespace
    show_events = v["show-events"]
    if not args and not v["filename"]:
        raise CommandError(MISSING_TYPE.format(prog=PROG))
    objects: list[dict[str, Any]] = []
    prefixed: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    if v["filename"]:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"], recursive=v["recursive"])
    else:
        targets = builder.resolve(f.mapper(), args)
    for target in targets:
        mapping = target.mapping
        ns = target.namespace or namespace
        try:
            if target.name:
                objects.append(_with_kind(f.client().json(rq.get_request(mapping, ns, target.name)), mapping))
            else:
                objects.extend(_list(f, mapping, ns, v["selector"], v["chunk-size"]))
        except ApiError as exc:
            if exc.code != 404 or not target.name:
                errors.append(exc)
                continue
            matches = [o for o in _list(f, mapping, ns, v["selector"], v["chunk-size"])
                       if str((o.get("metadata") or {}).get("name", "")).startswith(target.name)]
            if not matches:
                errors.append(exc)
            prefixed.extend(matches)
    out = f.streams.out
    if len(objects) > 1:
        show_events = False
    for i, obj in enumerate(objects):
        group = str(obj.get("apiVersion", "")).rpartition("/")[0]
        text = describer_for(group, str(obj.get("kind", "")))(f, obj, show_events=show_events)
        out.write(text if i == 0 else "\n\n" + text)
    for obj in prefixed:
        group = str(obj.get("apiVersion", "")).rpartition("/")[0]
        out.write(describer_for(group, str(obj.get("kind", "")))(f, obj, show_events=False) + "\n")
    if not objects and not prefixed and not errors:
        if not all_ns and targets and all(t.mapping.namespaced for t in targets):
            f.streams.err.write(f"No resources found in {namespace} namespace.\n")
        else:
            f.streams.err.write("No resources found\n")
    if errors:
        raise Aggregate(errors)
    return 0


def _with_kind(obj: dict[str, Any], mapping: Any) -> dict[str, Any]:
    obj.setdefault("apiVersion", mapping.api_version)
    obj.setdefault("kind", mapping.kind)
    return obj


def _list(f: Factory, mapping: Any, namespace: str, selector: str, chunk: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cont = ""
    while True:
        page = f.client().json(rq.list_request(mapping, namespace, label_selector=selector, limit=chunk, cont=cont))
        items.extend(_with_kind(i, mapping) for i in page.get("items") or [])
        cont = (page.get("metadata") or {}).get("continue", "")
        if not cont:
            return items
