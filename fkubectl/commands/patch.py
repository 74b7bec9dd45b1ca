"""`fkubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]` (kubectl patch.go).

The object is read first so the result can say `patched` or `patched (no change)` (kubectl compares the
object before and after); `--patch-file` reads the patch from a file; YAML patches are accepted and sent
as JSON. `fieldManager=kubectl-patch`.
"""

from __future__ import annotations

import json

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

NAME = "patch"
SHORT = "Update fields of a resource"
USAGE = "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]"
LONG = """Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

 JSON and YAML formats are accepted."""
EXAMPLES = """  # Partially update a node using a strategic merge patch, specifying the patch as JSON
  {prog} patch node k8s-node-1 -p '{{"spec":{{"unschedulable":true}}}}'

  # Update a container's image using a JSON patch with positional arrays
  {prog} patch pod valid-pod --type='json' -p='[{{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}}]'"""
FLAGS = (
    DRY_RUN, OUTPUT,
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files identifying the resource to update"),
    Flag("local", BOOL, help="If true, patch will operate on the content of the file, not the server-side resource."),
    Flag("patch", STRING, short="p", help="The patch to be applied to the resource JSON file."),
    Flag("patch-file", STRING, help="A file containing a patch to be applied to the resource."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("subresource", STRING, help="If specified, patch will operate on the subresource of the requested object."),
    Flag("type", STRING, "strategic", "The type of patch being provided; one of [json merge strategic]"),
    Flag("field-manager", STRING, "kubectl-patch", "Name of the manager used to track field ownership."),
)


def _load_patch(v: Values) -> Any:
    raw = v["patch"]
    if v["patch-file"]:
        with open(v["patch-file"], encoding="utf-8") as fh:
            raw = fh.read()
    if not raw:
        raise CommandError("must specify --patch or --patch-file containing the contents of the patch")
    try:
        return json.loads(raw)
    except ValueError:
        import yaml

        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise CommandError(f"unable to parse \"{raw}\": {exc}") from None


def run(f: Factory, args: list[str], v: Values) -> int:
    patch_type = v["type"]
    if patch_type not in ("json", "merge", "strategic"):
        raise CommandError(f"--type must be one of [json merge strategic], not \"{patch_type}\"")
    patch = _load_patch(v)
    printer = Printer(f, v)
    if v["filename"]:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"], recursive=v["recursive"])
    elif args:
        targets = builder.resolve(f.mapper(), args, allow_categories=False)
    else:
        raise CommandError("You must provide one or more resources by argument or filename.")
    if any(not t.name for t in targets):
        raise CommandError("resource(s) were provided, but no name was specified")
    client = f.client()
    errors: list[BaseException] = []
    for target in targets:
        ns = target.namespace or f.namespace
        try:
            before = client.json(rq.get_request(target.mapping, ns, target.name, subresource=v["subresource"]))
            after = client.json(rq.patch_request(target.mapping, ns, target.name, patch, patch_type=patch_type,
                                                 field_manager=v["field-manager"], subresource=v["subresource"],
                                                 dry_run=printer.dry_run in ("server", "client")))
        except ApiError as exc:
            errors.append(exc)
            continue
        printer.done(target.mapping, after, "patched" if before != after else "patched (no change)")
    if errors:
        raise Aggregate(errors)
    return 0
