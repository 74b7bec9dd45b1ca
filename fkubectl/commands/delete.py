"""`fkubectl delete`: by type and names, `TYPE/NAME`, `-f`, `-l` or `--all` (kubectl delete.go).

Each DELETE carries a `DeleteOptions` body (`propagationPolicy` from `--cascade`, `gracePeriodSeconds`);
each deletion is reported as it happens (`configmap "x" deleted from default namespace`, or `namespace "x"
deleted`), then, unless `--wait=false`, the command waits until every deleted object is gone (404, or a
new uid under the same name), polling with a short backoff.
"""

from __future__ import annotations

import time

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import DRY_RUN, dry_run_mode, object_name, with_source
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, INT, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:

    from fkubectl.commands.builder import Target
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "delete"
SHORT = "Delete resources by file names, stdin, resources and names, or by resources and label selector"
USAGE = ("delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]")
LONG = """Delete resources by file names, stdin, resources and names, or by resources and label selector.

 JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and
names, or resources and label selector."""
EXAMPLES = """  # Delete a pod using the type and name specified in pod.json
  {prog} delete -f ./pod.json

  # Delete pods and services with same names "baz" and "foo"
  {prog} delete pod,service baz foo

  # Delete pods and services with label name=myLabel
  {prog} delete pods,services -l name=myLabel

  # Delete all pods
  {prog} delete pods --all"""
FLAGS = (
    DRY_RUN,
    Flag("all", BOOL, help="Delete all resources, in the namespace of the specified resource types."),
    Flag("all-namespaces", BOOL, short="A", help="If present, list the requested object(s) across all namespaces."),
    Flag("cascade", STRING, "background", "Must be \"background\", \"orphan\", or \"foreground\".",
         no_opt="background"),
    Flag("field-selector", STRING, help="Selector (field query) to filter on, supports '=', '==', and '!='."),
    Flag("filename", SLICE, short="f", help="containing the resource to delete."),
    Flag("force", BOOL, help="If true, immediately remove resources from API and bypass graceful deletion."),
    Flag("grace-period", INT, -1, "Period of time in seconds given to the resource to terminate gracefully."),
    Flag("ignore-not-found", BOOL, help="Treat \"resource not found\" as a successful delete."),
    Flag("now", BOOL, help="If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
    Flag("output", STRING, short="o", help="Output mode. Use \"-o name\" for shorter output (resource/name)."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
    Flag("timeout", STRING, "0s", "The length of time to wait before giving up on a delete, zero means determine a "
         "timeout from the size of the object"),
    Flag("wait", BOOL, True, "If true, wait for resources to be gone before returning."),
)

NO_RESOURCES = """You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'"""
FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.\n")
PROPAGATION = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan", "true": "Background",
               "false": "Orphan"}


class _Deleted:
    __slots__ = ("target", "namespace", "uid")

    def __init__(self, target: Target, namespace: str, uid: str) -> None:
        self.target, self.namespace, self.uid = target, namespace, uid


def _targets(f: Factory, args: list[str], v: Values) -> list[Target]:
    if v["filename"]:
        if args:
            raise CommandError("when paths, URLs, or stdin is provided as input, you may not specify resources by "
                               "arguments as well")
        from fkubectl.commands.manifests import read_targets

        return read_targets(f, v["filename"], recursive=v["recursive"])
    if not args:
        raise CommandError(NO_RESOURCES)
    targets = builder.resolve(f.mapper(), args, allow_categories=False)
    unnamed = [t for t in targets if not t.name]
    if unnamed and not (v["all"] or v["selector"] or v["field-selector"]):
        raise CommandError("resource(s) were provided, but no name was specified")
    return targets


def run(f: Factory, args: list[str], v: Values) -> int:
    cascade = PROPAGATION.get(str(v["cascade"]).lower())
    if cascade is None:
        raise CommandError(f'invalid cascade value ({v["cascade"]}). Must be "background", "foreground", or "orphan".')
    grace = v["grace-period"]
    if v["now"]:
        grace = 1
    if v["force"] and grace < 0:
        grace = 0
    if v["force"] and grace == 0:
        f.streams.err.write(FORCE_WARNING)
    dry_run = dry_run_mode(v)
    namespace = "" if v["all-namespaces"] else f.namespace
    targets = _targets(f, args, v)
    client = f.client()
    deleted: list[_Deleted] = []
    errors: list[BaseException] = []
    found_any = False
    for target in targets:
        ns = target.namespace or namespace
        if target.name:
            names = [(ns, target.name)]
        else:
            page = client.json(rq.list_request(target.mapping, ns, label_selector=v["selector"],
                                               field_selector=v["field-selector"], limit=0))
            names = [((i.get("metadata") or {}).get("namespace", ""), (i.get("metadata") or {}).get("name", ""))
                     for i in page.get("items") or []]
        for obj_ns, name in names:
            found_any = True
            try:
                result = client.json(rq.delete_request(target.mapping, obj_ns, name, propagation=cascade,
                                                       grace_period=grace if grace >= 0 else None,
                                                       dry_run=dry_run == "server")) \
                    if dry_run != "client" else {}
            except ApiError as exc:
                if exc.code == 404 and v["ignore-not-found"]:
                    continue
                errors.append(with_source(exc, "deleting", target.source))
                continue
            _report(f, v, target, obj_ns, name, dry_run)
            uid = str(((result.get("details") or {}).get("uid")) or (result.get("metadata") or {}).get("uid") or "")
            deleted.append(_Deleted(builder.Target(target.mapping, name), obj_ns, uid))
    if not found_any and not errors and not v["ignore-not-found"]:
        f.streams.err.write("No resources found\n")
    if v["wait"] and dry_run == "none" and deleted:
        _wait(f, deleted, _timeout(v["timeout"]), errors)
    if errors:
        raise Aggregate(errors)
    return 0


def _report(f: Factory, v: Values, target: Target, namespace: str, name: str, dry_run: str) -> None:
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    if v["output"] == "name":
        f.streams.out.write(f"{object_name(target.mapping, name)}\n")
    elif target.mapping.namespaced and namespace:
        f.streams.out.write(f'{target.mapping.kind_prefix} "{name}" deleted from {namespace} namespace{suffix}\n')
    else:
        f.streams.out.write(f'{target.mapping.kind_prefix} "{name}" deleted{suffix}\n')


def _timeout(raw: str) -> float:
    from fkubectl.config.clientconfig import parse_timeout

    try:
        value = parse_timeout(raw)
    except ValueError:
        raise CommandError(f'invalid argument "{raw}" for "--timeout" flag') from None
    return value or 7 * 24 * 3600.0


def _wait(f: Factory, deleted: list[_Deleted], timeout: float, errors: list[BaseException]) -> None:
    client = f.client()
    deadline = time.monotonic() + timeout
    pending = list(deleted)
    delay = 0.05
    while pending:
        still: list[_Deleted] = []
        for item in pending:
            try:
                live = client.json(rq.get_request(item.target.mapping, item.namespace, item.target.name))
            except ApiError as exc:
                if exc.code != 404:
                    errors.append(exc)
                continue
            if item.uid and (live.get("metadata") or {}).get("uid") != item.uid:
                continue
            still.append(item)
        pending = still
        if not pending:
            return
        if time.monotonic() > deadline:
            for item in pending:
                errors.append(CommandError(f"timed out waiting for the condition on "
                                           f"{item.target.mapping.group_resource}/{item.target.name}"))
            return
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
