"""`fkubectl scale --replicas=N TYPE NAME` (kubectl scale.go, pkg/scale).

Sends `PATCH .../<resource>/<name>/scale` as a JSON merge patch `{"spec":{"replicas":N}}`; with
`--current-replicas` or `--resource-version` it reads the Scale and PUTs it back instead, so a mismatch is
reported, as kubectl does. The resource must publish a `scale` subresource in discovery.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, Printer
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, INT, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "scale"
SHORT = "Set a new size for a deployment, replica set, or replication controller"
USAGE = ("scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) "
         "[options]")
LONG = """Set a new size for a deployment, replica set, replication controller, or stateful set.

 Scale also allows users to specify one or more preconditions for the scale action.

 If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and
it is guaranteed that the precondition holds true when the scale is sent to the server."""
EXAMPLES = """  # Scale a replica set named 'foo' to 3
  {prog} scale --replicas=3 rs/foo

  # Scale a resource identified by type and name specified in "foo.yaml" to 3
  {prog} scale --replicas=3 -f foo.yaml"""
FLAGS = (
    DRY_RUN, OUTPUT,
    Flag("all", BOOL, help="Select all resources in the namespace of the specified resource types"),
    Flag("current-replicas", INT, -1, "Precondition for current size. Requires that the current size of the "
         "resource match this value in order to scale. -1 (default) for no condition."),
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files identifying the resource to set a "
         "new size"),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("replicas", INT, -1, "The new desired number of replicas. Required."),
    Flag("resource-version", STRING, help="Precondition for resource version. Requires that the current resource "
         "version match this value in order to scale."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
    Flag("timeout", STRING, "0s", "The length of time to wait before giving up on a scale operation."),
)


def run(f: Factory, args: list[str], v: Values) -> int:
    if v["replicas"] < 0 and "replicas" not in v.changed:
        raise CommandError('required flag(s) "replicas" not set')
    if v["replicas"] < 0:
        raise CommandError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    printer = Printer(f, v)
    if v["filename"]:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"], recursive=v["recursive"])
    elif args:
        targets = builder.resolve(f.mapper(), args, allow_categories=False)
    else:
        raise CommandError("required resource not specified")
    client = f.client()
    errors: list[BaseException] = []
    for target in targets:
        mapping = target.mapping
        if "scale" not in mapping.subresources:
            raise CommandError(f"could not find scale subresource for {mapping.group_resource} in discovery "
                               "information")
        ns = target.namespace or f.namespace
        names = [target.name] if target.name else [
            (i.get("metadata") or {}).get("name", "") for i in client.json(rq.list_request(
                mapping, ns, label_selector=v["selector"], limit=0)).get("items") or []]
        for name in names:
            try:
                if printer.dry_run == "client":
                    result = client.json(rq.get_request(mapping, ns, name))
                elif v["current-replicas"] >= 0 or v["resource-version"]:
                    result = _scale_with_preconditions(f, mapping, ns, name, v, printer.dry_run == "server")
                else:
                    client.json(rq.patch_request(mapping, ns, name, {"spec": {"replicas": v["replicas"]}},
                                                 patch_type="merge", field_manager="kubectl-scale",
                                                 subresource="scale", dry_run=printer.dry_run == "server"))
                    result = client.json(rq.get_request(mapping, ns, name)) if printer.output.format not in (
                        "", "name") else {"metadata": {"name": name}}
            except ApiError as exc:
                errors.append(exc)
                continue
            printer.done(mapping, result, "scaled")
    if errors:
        raise Aggregate(errors)
    return 0


def _scale_with_preconditions(f: Factory, mapping: object, ns: str, name: str, v: Values, dry_run: bool) -> dict:  # type: ignore[type-arg]
    client = f.client()
    scale = client.json(rq.get_request(mapping, ns, name, subresource="scale"))  # type: ignore[arg-type]
    current = (scale.get("spec") or {}).get("replicas", 0)
    if v["current-replicas"] >= 0 and current != v["current-replicas"]:
        raise CommandError(f"Expected replicas to be {v['current-replicas']}, was {current}")
    if v["resource-version"] and (scale.get("metadata") or {}).get("resourceVersion") != v["resource-version"]:
        raise CommandError(f"Expected resource version to be {v['resource-version']}, was "
                           f"{(scale.get('metadata') or {}).get('resourceVersion')}")
    scale.setdefault("spec", {})["replicas"] = v["replicas"]
    client.json(rq.replace_request(mapping, ns, name, scale, field_manager="kubectl-scale",  # type: ignore[arg-type]
                                   subresource="scale", dry_run=dry_run))
    return client.json(rq.get_request(mapping, ns, name))  # type: ignore[arg-type,no-any-return]
