"""`fkubectl rollout status|history|undo|restart|pause|resume` (kubectl pkg/cmd/rollout).

Per-kind behaviour comes from `fkubectl.rollout` lookup tables. `status` prints the viewer's message for
the current object and then for every change seen on a watch (`fieldSelector=metadata.name=<n>`), until
the rollout is done, the object is deleted, or `--timeout` passes; `--watch=false` prints once.
`restart`, `pause` and `resume` send strategic merge patches with `fieldManager=kubectl-rollout`.
"""

from __future__ import annotations

import time

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, Printer, object_name
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, INT, SLICE, STRING, Flag
from fkubectl.rollout import history_viewer_for, rollbacker_for, status_viewer_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.commands.builder import Target
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "rollout"
SHORT = "Manage the rollout of a resource"
USAGE = "rollout SUBCOMMAND [options]"
LONG = """Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets"""
EXAMPLES = """  # Rollback to the previous deployment
  {prog} rollout undo deployment/abc

  # Check the rollout status of a daemonset
  {prog} rollout status daemonset/foo

  # Restart a deployment
  {prog} rollout restart deployment/abc"""
SUBCOMMANDS = {
    "history": "fkubectl.commands.rollout:History",
    "pause": "fkubectl.commands.rollout:Pause",
    "restart": "fkubectl.commands.rollout:Restart",
    "resume": "fkubectl.commands.rollout:Resume",
    "status": "fkubectl.commands.rollout:Status",
    "undo": "fkubectl.commands.rollout:Undo",
}
FLAGS: tuple[Flag, ...] = ()
SELECTION = (
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files identifying the resource to get "
         "from a server."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
)


def run(f: Factory, args: list[str], v: Values) -> int:
    from fkubectl.app import command_help
    from fkubectl.commands import rollout as me

    f.streams.err.write(command_help(me, "rollout"))
    return 1


def _objects(f: Factory, args: list[str], v: Values) -> list[tuple[Target, dict[str, Any]]]:
    if v.get("filename"):
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"], recursive=v.get("recursive", False))
    elif args:
        targets = builder.resolve(f.mapper(), args, allow_categories=False)
    else:
        raise CommandError("required resource not specified")
    client = f.client()
    out: list[tuple[Target, dict[str, Any]]] = []
    for target in targets:
        ns = target.namespace or f.namespace
        if target.name:
            out.append((target, client.json(rq.get_request(target.mapping, ns, target.name))))
        else:
            page = client.json(rq.list_request(target.mapping, ns, label_selector=v.get("selector", ""), limit=0))
            out.extend((builder.Target(target.mapping, (i.get("metadata") or {}).get("name", "")), i)
                       for i in page.get("items") or [])
    return out


class Status:
    SHORT = "Show the status of the rollout"
    USAGE = "rollout status (TYPE NAME | TYPE/NAME) [flags] [options]"
    FLAGS = SELECTION + (
        Flag("revision", INT, 0, "Pin to a specific revision for showing its status. Defaults to 0 (last revision)."),
        Flag("timeout", STRING, "0s", "The length of time to wait before ending watch, zero means never."),
        Flag("watch", BOOL, True, "Watch the status of the rollout until it's done.", short="w"),
    )

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        from fkubectl.config.clientconfig import parse_timeout

        objects = _objects(f, args, v)
        if len(objects) != 1:
            raise CommandError("rollout status is only supported on individual resources and resource collections, "
                               f"but {len(objects)} resources were found")
        target, obj = objects[0]
        viewer = status_viewer_for(target.mapping.group, target.mapping.kind)
        timeout = parse_timeout(v["timeout"])
        deadline = time.monotonic() + timeout if timeout else None
        out = f.streams.out
        message, done = viewer(obj, v["revision"])
        out.write(message)
        out.flush()
        if done or not v["watch"]:
            return 0
        from fkubectl.client.watch import events

        client = f.client()
        ns = str((obj.get("metadata") or {}).get("namespace") or f.namespace)
        rv = str((obj.get("metadata") or {}).get("resourceVersion", ""))
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise CommandError("timed out waiting for the condition")
            req = rq.watch_request(target.mapping, ns, resource_version=rv, name=target.name,
                                   timeout_seconds=int(remaining) + 1 if remaining else 300)
            try:
                for kind, event_obj in events(client.lines(req)):
                    if kind == "DELETED":
                        raise CommandError("object has been deleted")
                    if kind not in ("ADDED", "MODIFIED"):
                        continue
                    rv = str((event_obj.get("metadata") or {}).get("resourceVersion", rv))
                    message, done = viewer(event_obj, v["revision"])
                    out.write(message)
                    out.flush()
                    if done:
                        return 0
                    if deadline is not None and time.monotonic() > deadline:
                        raise CommandError("timed out waiting for the condition")
            except ApiError as exc:
                if exc.code != 410:
                    raise
                obj = client.json(rq.get_request(target.mapping, ns, target.name))
                rv = str((obj.get("metadata") or {}).get("resourceVersion", ""))


class History:
    SHORT = "View rollout history"
    USAGE = "rollout history (TYPE NAME | TYPE/NAME) [flags] [options]"
    FLAGS = SELECTION + (Flag("revision", INT, 0, "See the details, including podTemplate of the revision specified"),
                         OUTPUT)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        for target, obj in _objects(f, args, v):
            viewer = history_viewer_for(target.mapping.group, target.mapping.kind)
            text = viewer(f, obj, v["revision"])
            header = f"with revision #{v['revision']}" if v["revision"] > 0 else ""
            f.streams.out.write(f"{object_name(target.mapping, target.name)} {header}\n{text}\n")
        return 0


class Undo:
    SHORT = "Undo a previous rollout"
    USAGE = "rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]"
    FLAGS = SELECTION + (DRY_RUN, OUTPUT, Flag("to-revision", INT, 0, "The revision to rollback to. Default to 0 "
                                                "(last revision)."))

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        printer = Printer(f, v)
        errors: list[BaseException] = []
        for target, obj in _objects(f, args, v):
            try:
                rollbacker = rollbacker_for(target.mapping.group, target.mapping.kind)
                result = rollbacker(f, target.mapping, obj, v["to-revision"], dry_run=printer.dry_run != "none")
            except CommandError as exc:
                errors.append(exc)
                continue
            printer.done(target.mapping, obj, result)
        if errors:
            raise Aggregate(errors)
        return 0


def _patch_each(f: Factory, args: list[str], v: Values, patch_for: Any, verb: str, noop: str) -> int:
    """Patch every object; `patch_for` returning None means nothing to do, reported as `<resource> "<n>" <noop>`."""
    printer = Printer(f, v)
    errors: list[BaseException] = []
    for target, obj in _objects(f, args, v):
        try:
            patch = patch_for(target, obj)
        except CommandError as exc:
            errors.append(exc)
            continue
        if patch is None:
            errors.append(CommandError(f'{target.mapping.group_resource} "{target.name}" {noop}'))
            continue
        ns = str((obj.get("metadata") or {}).get("namespace") or f.namespace)
        try:
            result = f.client().json(rq.patch_request(target.mapping, ns, target.name, patch,
                                                      field_manager="kubectl-rollout",
                                                      dry_run=printer.dry_run != "none"))
        except ApiError as exc:
            errors.append(exc)
            continue
        printer.done(target.mapping, result, verb)
    if errors:
        raise Aggregate(errors)
    return 0


PAUSABLE = {("apps", "Deployment")}


class Pause:
    SHORT = "Mark the provided resource as paused"
    USAGE = "rollout pause RESOURCE [options]"
    FLAGS = SELECTION + (DRY_RUN, OUTPUT)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        def patch(target: Target, obj: dict[str, Any]) -> Any:
            if (target.mapping.group, target.mapping.kind) not in PAUSABLE:
                raise CommandError(f"{object_name(target.mapping, target.name)} pausing is not supported")
            return None if (obj.get("spec") or {}).get("paused") else {"spec": {"paused": True}}

        return _patch_each(f, args, v, patch, "paused", "is already paused")


class Resume:
    SHORT = "Resume a paused resource"
    USAGE = "rollout resume RESOURCE [options]"
    FLAGS = SELECTION + (DRY_RUN, OUTPUT)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        def patch(target: Target, obj: dict[str, Any]) -> Any:
            if (target.mapping.group, target.mapping.kind) not in PAUSABLE:
                raise CommandError(f"{object_name(target.mapping, target.name)} resuming is not supported")
            return {"spec": {"paused": None}} if (obj.get("spec") or {}).get("paused") else None

        return _patch_each(f, args, v, patch, "resumed", "is not paused")


RESTARTABLE = {("apps", "Deployment"), ("apps", "DaemonSet"), ("apps", "StatefulSet")}


class Restart:
    SHORT = "Restart a resource"
    USAGE = "rollout restart RESOURCE [options]"
    FLAGS = SELECTION + (DRY_RUN, OUTPUT)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        now = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime())
        offset = time.strftime("%z")
        stamp = now + ("Z" if offset in ("+0000", "-0000") else f"{offset[:3]}:{offset[3:]}")

        def patch(target: Target, obj: dict[str, Any]) -> Any:
            if (target.mapping.group, target.mapping.kind) not in RESTARTABLE:
                raise CommandError("restarting is not supported")
            if (obj.get("spec") or {}).get("paused"):
                raise CommandError(f'{target.mapping.group_resource} "{target.name}" can\'t restart paused deployment '
                                   "(run rollout resume first)")
            return {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}

        return _patch_each(f, args, v, patch, "restarted", "restarted")
