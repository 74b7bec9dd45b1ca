"""`fkubectl api-resources`: the server's resources from (cached) discovery, as kubectl prints them —
preferred versions only, subresources skipped, sorted by API group then name (or `--sort-by=name|kind`)."""

from __future__ import annotations

from fkubectl.errors import CommandError
from fkubectl.flags import BOOL, SLICE, STRING, Flag
from fkubectl.printers.tabwriter import format_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.client.mapping import Mapping
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "api-resources"
SHORT = "Print the supported API resources on the server"
USAGE = "api-resources [flags] [options]"
LONG = "Print the supported API resources on the server."
EXAMPLES = """  # Print the supported API resources
  {prog} api-resources

  # Print the supported API resources with more information
  {prog} api-resources -o wide

  # Print the supported namespaced resources
  {prog} api-resources --namespaced=true"""
FLAGS = (
    Flag("api-group", STRING, help="Limit to resources in the specified API group."),
    Flag("cached", BOOL, help="Use the cached list of resources if available."),
    Flag("categories", SLICE, help="Limit to resources that belong to the specified categories."),
    Flag("namespaced", BOOL, True, "If false, non-namespaced resources will be returned, otherwise returning "
         "namespaced resources by default."),
    Flag("no-headers", BOOL, help="When using the default or custom-column output format, don't print headers."),
    Flag("output", STRING, short="o", help="Output format. One of: (wide, name)."),
    Flag("sort-by", STRING, help="If non-empty, sort list of resources using specified field. The field can be "
         "either 'name' or 'kind'."),
    Flag("verbs", SLICE, help="Limit to resources that support the specified verbs."),
)


def run(f: Factory, args: list[str], v: Values) -> int:
    if args:
        raise CommandError(f"Unexpected args: {args}")
    if v["output"] not in ("", "wide", "name"):
        raise CommandError(f"--output {v['output']} is not available")
    if v["sort-by"] not in ("", "name", "kind"):
        raise CommandError("--sort-by accepts only name or kind")
    discovery = f.discovery()
    if not v["cached"]:
        discovery.refresh()
    mappings: list[Mapping] = []
    for m in discovery.mappings():
        if not m.verbs:
            continue
        if v["api-group"] and m.group != v["api-group"]:
            continue
        if "namespaced" in v.changed and m.namespaced != v["namespaced"]:
            continue
        if v["verbs"] and not all(verb in m.verbs for verb in v["verbs"]):
            continue
        if v["categories"] and not all(c in m.categories for c in v["categories"]):
            continue
        mappings.append(m)
    key = {"name": lambda m: (m.resource, m.resource), "kind": lambda m: (m.kind, m.resource)}.get(
        v["sort-by"], lambda m: (m.group, m.resource))
    mappings.sort(key=key)
    out = f.streams.out
    if v["output"] == "name":
        out.write("".join(m.group_resource + "\n" for m in mappings))
        return 0
    wide = v["output"] == "wide"
    lines = [] if v["no-headers"] else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
                                         + (["VERBS", "CATEGORIES"] if wide else [])]
    for m in mappings:
        row = [m.resource, ",".join(m.short_names), m.group_version, "true" if m.namespaced else "false", m.kind]
        if wide:
            row += [",".join(m.verbs), ",".join(m.categories)]
        lines.append(row)
    out.write(format_lines(lines))
    return 0
