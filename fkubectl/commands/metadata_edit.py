"""`label` and `annotate` share one implementation (kubectl label.go / annotate.go): parse `KEY=VALUE` and
`KEY-` arguments, GET each object, change its labels or annotations, and send the JSON merge patch
between old and new object (`{"metadata":{"labels":{"k":"v","gone":null}}}`), with `fieldManager`
`kubectl-label` / `kubectl-annotate`; `--resource-version` adds `metadata.resourceVersion` so a stale
object is a 409. Changing an existing key needs `--overwrite`.
"""

from __future__ import annotations

import copy

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, Printer
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values


def flags(noun: str) -> tuple[Flag, ...]:
    return (
        DRY_RUN, OUTPUT,
        Flag("all", BOOL, help="Select all resources, in the namespace of the specified resource types"),
        Flag("all-namespaces", BOOL, short="A", help="If true, check the specified action in all namespaces."),
        Flag("field-selector", STRING, help="Selector (field query) to filter on, supports '=', '==', and '!='."),
        Flag("filename", SLICE, short="f", help=f"Filename, directory, or URL to files identifying the resource to "
             f"update the {noun}"),
        Flag("list", BOOL, help=f"If true, display the {noun}s for a given resource."),
        Flag("local", BOOL, help=f"If true, {noun} will NOT contact api-server but run locally."),
        Flag("overwrite", BOOL, help=f"If true, allow {noun}s to be overwritten, otherwise reject {noun} updates "
             f"that overwrite existing {noun}s."),
        Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
        Flag("resource-version", STRING, help="If non-empty, the update will only succeed if this is the current "
             "resource-version for the object. Only valid when specifying a single resource."),
        Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
        Flag("field-manager", STRING, f"kubectl-{'label' if noun == 'label' else 'annotate'}",
             "Name of the manager used to track field ownership."),
    )


def split_changes(args: list[str], noun: str) -> tuple[list[str], dict[str, str], list[str]]:
    """(resource args, key=value additions, removed keys), as kubectl's `GetResourcesAndPairs`: the first
    `KEY=VALUE` or `KEY-` starts the changes, and every later argument must be one."""
    resources: list[str] = []
    changes: dict[str, str] = {}
    removals: list[str] = []
    for arg in args:
        is_pair = ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")
        if not is_pair:
            if changes or removals:
                raise CommandError(f"all resources must be specified before {noun} changes: {arg}")
            resources.append(arg)
        elif "=" in arg:
            key, _, value = arg.partition("=")
            changes[key] = value
        else:
            removals.append(arg[:-1])
    for key in removals:
        if key in changes:
            raise CommandError(f"can not both modify and remove {noun} in the same command")
    return resources, changes, removals


def run(f: Factory, args: list[str], v: Values, *, noun: str, field: str, verbs: tuple[str, str, str]) -> int:
    """verbs: (applied, removed, unchanged) as printed, e.g. ("labeled", "unlabeled", "not labeled")."""
    resources, changes, removals = split_changes(args, noun)
    if not v["list"] and not changes and not removals:
        raise CommandError(f"at least one {noun} update is required")
    printer = Printer(f, v)
    namespace = "" if v["all-namespaces"] else f.namespace
    if v["filename"]:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"], recursive=v["recursive"])
    else:
        if not resources:
            raise CommandError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
        targets = builder.resolve(f.mapper(), resources, allow_categories=False)
    if any(not t.name for t in targets) and not (v["all"] or v["selector"] or v["field-selector"]):
        raise CommandError("resource(s) were provided, but no name was specified")
    client = f.client()
    errors: list[BaseException] = []
    objects: list[tuple[Any, dict[str, Any]]] = []
    for target in targets:
        ns = target.namespace or namespace
        try:
            if target.name:
                objects.append((target.mapping, client.json(rq.get_request(target.mapping, ns, target.name))))
            else:
                page = client.json(rq.list_request(target.mapping, ns, label_selector=v["selector"],
                                                   field_selector=v["field-selector"], limit=0))
                objects.extend((target.mapping, item) for item in page.get("items") or [])
        except ApiError as exc:
            errors.append(exc)
    if v["resource-version"] and len(objects) > 1:
        raise CommandError("--resource-version may only be used with a single resource")
    for mapping, obj in objects:
        meta = obj.setdefault("metadata", {})
        current: dict[str, str] = dict(meta.get(field) or {})
        if v["list"]:
            f.streams.out.write("".join(f"{k}={current[k]}\n" for k in sorted(current)))
            continue
        updated = dict(current)
        for key, value in changes.items():
            if key in current and current[key] != value and not v["overwrite"]:
                if noun == "label":
                    raise CommandError(f"'{key}' already has a value ({current[key]}), and --overwrite is false")
                raise CommandError(f"--overwrite is false but found the following declared annotation(s): '{key}' "
                                   f"already has a value ({current[key]})")
            updated[key] = value
        for key in removals:
            if key not in updated:
                f.streams.out.write(f'{noun} "{key}" not found.\n')
            updated.pop(key, None)
        patch: dict[str, Any] = {}
        delta: dict[str, str | None] = {k: v_ for k, v_ in updated.items() if current.get(k) != v_}
        delta.update({k: None for k in current if k not in updated})
        if delta:
            patch = {"metadata": {field: delta}}
        if v["resource-version"]:
            patch.setdefault("metadata", {})["resourceVersion"] = v["resource-version"]
        name = str(meta.get("name", ""))
        if noun == "label" and not delta:
            printer.done(mapping, obj, verbs[2])
            continue
        verb = verbs[1] if removals and not changes else verbs[0]
        if printer.dry_run == "client" or not patch:
            result = copy.deepcopy(obj)
            result["metadata"][field] = updated
            printer.done(mapping, result, verb)
            continue
        try:
            result = client.json(rq.patch_request(mapping, str(meta.get("namespace", "")), name, patch,
                                                  patch_type="merge", field_manager=v["field-manager"],
                                                  dry_run=printer.dry_run == "server"))
        except ApiError as exc:
            errors.append(exc)
            continue
        printer.done(mapping, result, verb)
    if errors:
        raise Aggregate(errors)
    return 0
