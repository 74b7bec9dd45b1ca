"""`fkubectl create -f FILE` and the generators `create namespace|configmap|secret generic|deployment`.

Objects from files are POSTed as JSON (`fieldManager=kubectl-create`, `fieldValidation=Strict`), each
reported as `kind/name created`; a failure is reported with its file and the remaining objects are still
created (exit code 1). The generators build the object locally (kubectl's generators) and send it as JSON,
not protobuf, so they also work against servers that only speak JSON.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands.manifests import read_for_write
from fkubectl.commands.mutate import (DRY_RUN, OUTPUT, SHOW_MANAGED, VALIDATE, Printer, field_validation,
                                      with_source)
from fkubectl.errors import PROG, Aggregate, CommandError
from fkubectl.flags import BOOL, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "create"
SHORT = "Create a resource from a file or from stdin"
USAGE = "create -f FILENAME [options]"
LONG = """Create a resource from a file or from stdin.

 JSON and YAML formats are accepted."""
EXAMPLES = """  # Create a pod using the data in pod.json
  {prog} create -f ./pod.json

  # Create a pod based on the JSON passed into stdin
  cat pod.json | {prog} create -f -"""
SUBCOMMANDS = {
    "configmap": "fkubectl.commands.create_generators:ConfigMap",
    "deployment": "fkubectl.commands.create_generators:Deployment",
    "namespace": "fkubectl.commands.create_generators:Namespace",
    "secret": "fkubectl.commands.create_generators:Secret",
}
ALIASES = {"cm": "configmap", "deploy": "deployment", "ns": "namespace"}
FLAGS = (
    DRY_RUN, OUTPUT, SHOW_MANAGED, VALIDATE,
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files to use to create the resource"),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("save-config", BOOL, help="If true, the configuration of current object will be saved in its annotation."),
    Flag("field-manager", STRING, "kubectl-create", "Name of the manager used to track field ownership."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on."),
)


def run(f: Factory, args: list[str], v: Values) -> int:
    if args:
        raise CommandError(f'Unexpected args: {args}\nSee "{PROG} create -h" for help and examples')
    if not v["filename"]:
        raise CommandError("must specify one of -f and -k")
    printer = Printer(f, v)
    manifests = read_for_write(f, v["filename"], recursive=v["recursive"], save_config=v["save-config"])
    errors: list[BaseException] = []
    for m in manifests:
        assert m.mapping is not None
        obj = m.obj
        if printer.dry_run == "client":
            printer.done(m.mapping, obj, "created")
            continue
        try:
            created = f.client().json(rq.create_request(
                m.mapping, m.namespace, obj, field_manager=v["field-manager"], field_validation=field_validation(v),
                dry_run=printer.dry_run == "server"))
        except ApiError as exc:
            errors.append(with_source(exc, "creating", m.source))
            continue
        printer.done(m.mapping, created, "created")
    if errors:
        raise Aggregate(errors)
    return 0


def send(f: Factory, v: Values, mapping: Any, namespace: str, obj: dict[str, Any], *, verb: str = "created") -> int:
    """Create one generated object (the generators' common tail)."""
    printer = Printer(f, v)
    if v.get("save-config"):
        from fkubectl.commands.apply import annotate_last_applied

        obj = annotate_last_applied(obj)
    if printer.dry_run == "client":
        printer.done(mapping, obj, verb, typed=True)
        return 0
    created = f.client().json(rq.create_request(mapping, namespace, obj,
                                                field_manager=v.get("field-manager") or "kubectl-create",
                                                field_validation=field_validation(v),
                                                dry_run=printer.dry_run == "server"))
    printer.done(mapping, created, verb)
    return 0
