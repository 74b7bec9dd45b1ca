"""`fkubectl replace -f FILE` (kubectl replace.go): PUT each object as given (`fieldManager=kubectl-replace`);
`--force` deletes and re-creates instead. Reported as `kind/name replaced`.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands.manifests import read_for_write
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, VALIDATE, Printer, field_validation, with_source
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, SLICE, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "replace"
SHORT = "Replace a resource by file name or stdin"
USAGE = "replace -f FILENAME [options]"
LONG = """Replace a resource by file name or stdin.

 JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be
provided. This can be obtained by

  $ {prog} get TYPE NAME -o yaml"""
EXAMPLES = """  # Replace a pod using the data in pod.json
  {prog} replace -f ./pod.json

  # Force replace, delete and then re-create the resource
  {prog} replace --force -f ./pod.json"""
FLAGS = (
    DRY_RUN, OUTPUT, VALIDATE,
    Flag("filename", SLICE, short="f", help="The files that contain the configurations to replace."),
    Flag("force", BOOL, help="If true, immediately remove resources from API and bypass graceful deletion."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("save-config", BOOL, help="If true, the configuration of current object will be saved in its annotation."),
)


def run(f: Factory, args: list[str], v: Values) -> int:
    if not v["filename"]:
        raise CommandError("must specify --filename to replace")
    printer = Printer(f, v)
    manifests = read_for_write(f, v["filename"], recursive=v["recursive"], save_config=v["save-config"])
    client = f.client()
    errors: list[BaseException] = []
    for m in manifests:
        assert m.mapping is not None
        obj = m.obj
        if printer.dry_run == "client":
            printer.done(m.mapping, obj, "replaced")
            continue
        try:
            if v["force"]:
                try:
                    client.json(rq.delete_request(m.mapping, m.namespace, m.name, grace_period=0))
                    f.streams.out.write(f'{m.mapping.kind_prefix} "{m.name}" deleted\n')
                except ApiError as exc:
                    if exc.code != 404:
                        raise
                (obj.get("metadata") or {}).pop("resourceVersion", None)
                result = client.json(rq.create_request(m.mapping, m.namespace, obj, field_manager="kubectl-replace",
                                                       field_validation=field_validation(v)))
            else:
                result = client.json(rq.replace_request(m.mapping, m.namespace, m.name, obj,
                                                        field_validation=field_validation(v),
                                                        dry_run=printer.dry_run == "server"))
        except ApiError as exc:
            errors.append(with_source(exc, "replacing", m.source))
            continue
        printer.done(m.mapping, result, "replaced")
    if errors:
        raise Aggregate(errors)
    return 0
