"""`fkubectl explain TYPE[.FIELD...]`: documentation for a resource or field from the server's OpenAPI v3
(kubectl explain.go, v2 plaintext output; see `fkubectl.explain`)."""

from __future__ import annotations

from fkubectl.client.mapper import NoResourceType
from fkubectl.errors import PROG, CommandError, PlainError
from fkubectl.flags import BOOL, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "explain"
SHORT = "Get documentation for a resource"
USAGE = "explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [options]"
LONG = """Describe fields and structure of various resources.

 This command describes the fields associated with each supported API resource. Fields are identified via a
simple JSONPath identifier:

        <type>.<fieldName>[.<fieldName>]

 Information about each field is retrieved from the server in OpenAPI format.

Use "{prog} api-resources" for a complete list of supported resources."""
EXAMPLES = """  # Get the documentation of the resource and its fields
  {prog} explain pods

  # Get the documentation of a specific field of a resource
  {prog} explain pods.spec.containers"""
FLAGS = (
    Flag("api-version", STRING, help="Use given api-version (group/version) of the resource."),
    Flag("output", STRING, "plaintext", "Format in which to render the schema. Valid values are: (plaintext)."),
    Flag("recursive", BOOL, help="When true, print the name of all the fields recursively. Otherwise, print the "
         "available fields with their description."),
)


def run(f: Factory, args: list[str], v: Values) -> int:
    from fkubectl.explain import Explainer, FieldNotFound

    if len(args) != 1:
        raise CommandError(f"We accept only this format: explain RESOURCE\nSee '{PROG} explain -h' for help and "
                           "examples" if args else f"You must specify the type of resource to explain. Use \"{PROG} "
                           "api-resources\" for a complete list of supported resources.\n")
    if v["output"] != "plaintext":
        raise CommandError(f"unsupported output format {v['output']!r} (fkubectl supports plaintext)")
    resource, *path = args[0].split(".")
    mapper = f.mapper()
    try:
        mapping = mapper.resolve(resource)
    except NoResourceType as exc:
        raise PlainError(str(exc)) from None
    group, version = mapping.group, mapping.version
    if v["api-version"]:
        group, _, version = v["api-version"].rpartition("/")
        mapping = mapper.for_kind(v["api-version"], mapping.kind)
    document = f.openapi().document(group, version)
    if document is None:
        raise CommandError(f"couldn't find resource for \"{mapping.group_version}, Resource={mapping.resource}\"")
    try:
        text = Explainer(document, recursive=v["recursive"]).explain(group, version, mapping.kind, path)
    except FieldNotFound as exc:
        f.streams.out.write(exc.header)
        raise
    f.streams.out.write(text)
    return 0
