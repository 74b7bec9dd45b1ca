"""`fkubectl get`: list or fetch resources; server-side Tables for humans, full objects for `-o`.

Flow, as kubectl's get.go: resolve arguments -> for each target GET the object or LIST the collection
(`limit=500`, following `continue`) asking for a Table when the output is human -> print through one
table printer per resource type (a blank line between types, `kind/` name prefixes when several kinds
were requested) -> `No resources found in <ns> namespace.` on stderr when nothing was printed -> report
per-object errors (NotFound) after printing the rest, exit code 1.

`-w` prints the listing, then one row per watch event from the list's resourceVersion (a named object
is watched with `resourceVersion=0`, its synthetic ADDED suppressed); `--watch-only` skips the listing.
"""

from __future__ import annotations

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, INT, SLICE, STRING, Flag
from fkubectl.printers import Output, OutputError, parse_output, print_objects
from fkubectl.printers.table import TableOptions, table_lines
from fkubectl.printers.tabwriter import TabWriter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.mapping import Mapping
    from fkubectl.commands.builder import Target
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "get"
SHORT = "Display one or many resources"
USAGE = ("get [(-o|--output=)json|yaml|name|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|"
         "custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) "
         "[flags] [options]")
LONG = """Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list
using a label selector and the --selector flag. If the desired resource type is namespaced you will only
see results in the current namespace unless you pass --all-namespaces.

 By specifying the output as 'template' and providing a Go template as the value of the --template flag,
you can filter the attributes of the fetched resources.

Use "{prog} api-resources" for a complete list of supported resources."""
EXAMPLES = """  # List all pods in ps output format
  {prog} get pods

  # List all pods in ps output format with more information (such as node name)
  {prog} get pods -o wide

  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  {prog} get deployments.v1.apps -o json

  # List a single pod in JSON output format
  {prog} get -o json pod web-pod-13je7

  # List all replication controllers and services together in ps output format
  {prog} get rc,services

  # List one or more resources by their type and names
  {prog} get rc/web service/frontend pods/web-pod-13je7"""

FLAGS = (
    Flag("all-namespaces", BOOL, short="A", help="If present, list the requested object(s) across all namespaces. "
         "Namespace in current context is ignored even if specified with --namespace."),
    Flag("chunk-size", INT, 500, "Return large lists in chunks rather than all at once. Pass 0 to disable."),
    Flag("field-selector", STRING, help="Selector (field query) to filter on, supports '=', '==', and '!='."),
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files identifying the resource to get "
         "from a server."),
    Flag("ignore-not-found", BOOL, help="If set to true, suppresses NotFound error for specific objects that do not "
         "exist. Using this flag with commands that query for collections of resources has no effect when no "
         "resources are found."),
    Flag("label-columns", SLICE, short="L", help="Accepts a comma separated list of labels that are going to be "
         "presented as columns. Names are case-sensitive."),
    Flag("no-headers", BOOL, help="When using the default or custom-column output format, don't print headers "
         "(default print headers)."),
    Flag("output", STRING, short="o", help="Output format. One of: (json, yaml, name, go-template, "
         "go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, "
         "custom-columns-file, wide)."),
    Flag("output-watch-events", BOOL, help="Output watch event objects when --watch or --watch-only is used."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("selector", STRING, short="l", help="Selector (label query) to filter on, supports '=', '==', '!=', "
         "'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all "
         "of the specified label constraints."),
    Flag("show-kind", BOOL, help="If present, list the resource type for the requested object(s)."),
    Flag("show-labels", BOOL, help="When printing, show all labels as the last column (default hide labels "
         "column)"),
    Flag("show-managed-fields", BOOL, help="If true, keep the managedFields when printing objects in JSON or YAML "
         "format."),
    Flag("sort-by", STRING, help="If non-empty, sort list types using this field specification."),
    Flag("subresource", STRING, help="If specified, gets the subresource of the requested object."),
    Flag("watch", BOOL, short="w", help="After listing/getting the requested object, watch for changes."),
    Flag("watch-only", BOOL, help="Watch for changes to the requested object(s), without listing/getting first."),
    Flag("template", STRING, help="Template string or path to template file to use when -o=go-template.",
         hidden=True),
    Flag("raw", STRING, help="Raw URI to request from the server.", hidden=True),
    Flag("server-print", BOOL, True, "If true, have the server return the appropriate table output.",
         hidden=True),
    Flag("allow-missing-template-keys", BOOL, True, "If true, ignore any errors in templates when a field or map "
         "key is missing in the template.", hidden=True),
)

MISSING_TYPE = """You must specify the type of resource to get. Use "{prog} api-resources" for a complete list of \
supported resources.

error: Required resource not specified.
Use "{prog} explain <resource>" for a detailed description of that resource (e.g. {prog} explain pods).
See '{prog} get -h' for help and examples"""


class Options:
    def __init__(self, f: Factory, v: Values) -> None:
        try:
            self.output: Output = parse_output(v["output"])
        except OutputError as exc:
            raise CommandError(str(exc)) from None
        self.all_namespaces = bool(v["all-namespaces"])
        self.namespace = "" if self.all_namespaces else f.namespace
        self.selector = v["selector"]
        self.field_selector = v["field-selector"]
        self.sort_by = v["sort-by"]
        self.no_headers = v["no-headers"]
        self.show_labels = v["show-labels"]
        self.label_columns = v["label-columns"]
        self.show_kind = v["show-kind"]
        self.ignore_not_found = v["ignore-not-found"]
        self.watch = v["watch"]
        self.watch_only = v["watch-only"]
        self.watch_events = v["output-watch-events"]
        self.chunk_size = 0 if self.sort_by else v["chunk-size"]  # kubectl sorts whole lists, unchunked
        self.show_managed_fields = v["show-managed-fields"]
        self.subresource = v["subresource"]
        self.filenames = v["filename"]
        self.recursive = v["recursive"]

    def table_options(self, mapping: Mapping, *, with_kind: bool) -> TableOptions:
        return TableOptions(wide=self.output.wide, no_headers=self.no_headers,
                            with_namespace=self.all_namespaces and mapping.namespaced,
                            show_labels=self.show_labels, label_columns=self.label_columns,
                            kind_prefix=mapping.kind_prefix if with_kind else "", event_type=self.watch_events)


def run(f: Factory, args: list[str], v: Values) -> int:
    o = Options(f, v)
    if v["raw"]:
        f.streams.out.write(f.client().raw(rq.raw_request("GET", v["raw"])).decode())
        return 0
    if not args and not o.filenames:
        from fkubectl.errors import PROG, PlainError

        raise PlainError(MISSING_TYPE.format(prog=PROG))
    if o.filenames:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, o.filenames, recursive=o.recursive)
    else:
        targets = builder.resolve(f.mapper(), args)
    named = [t for t in targets if t.name]
    if named and o.all_namespaces and not o.filenames:
        raise CommandError("a resource cannot be retrieved by name across all namespaces")
    if named and o.selector and not o.filenames:
        raise CommandError("selectors and the all flag cannot be used when passing resource/name arguments")
    if o.watch or o.watch_only:
        if len({t.mapping for t in targets}) > 1:
            raise CommandError("you may only specify a single resource type")
        return watch(f, o, targets)
    if o.output.human:
        return print_tables(f, o, targets)
    return print_full(f, o, targets)


def _namespace(o: Options, target: Target) -> str:
    return target.namespace or o.namespace


def fetch_table(f: Factory, o: Options, target: Target) -> dict[str, Any]:
    client = f.client()
    include = "Object" if o.sort_by else ""
    mapping = target.mapping
    if target.name:
        req = rq.get_request(mapping, _namespace(o, target), target.name, table=True, include_object=include,
                             subresource=o.subresource)
        return _as_table(client.json(req))
    table: dict[str, Any] | None = None
    cont = ""
    while True:
        req = rq.list_request(mapping, _namespace(o, target), label_selector=o.selector,
                              field_selector=o.field_selector, table=True, include_object=include,
                              limit=o.chunk_size, cont=cont)
        try:
            page = _as_table(client.json(req))
        except ApiError as exc:
            raise _enhance_list_error(exc, mapping, o) from None
        if table is None:
            table = page
        else:
            table.setdefault("rows", []).extend(page.get("rows") or [])
        cont = (page.get("metadata") or {}).get("continue", "")
        if not cont:
            return table


def _enhance_list_error(exc: ApiError, mapping: Mapping, o: Options) -> ApiError:
    """cli-runtime's `EnhanceListError`: a BadRequest on a list names the selectors that caused it."""
    if exc.reason != "BadRequest" or not (o.selector or o.field_selector):
        return exc
    gvr = f"{mapping.group}/{mapping.version}, Resource={mapping.resource}"
    message = (f'Unable to find "{gvr}" that match label selector "{o.selector}", field selector '
               f'"{o.field_selector}": {exc.message}')
    return ApiError({**exc.status, "message": message})


def _as_table(doc: Any) -> dict[str, Any]:
    if isinstance(doc, dict) and doc.get("kind") == "Table":
        return doc
    from fkubectl.printers.table import fallback_table

    items = doc.get("items") if isinstance(doc, dict) and "items" in doc else [doc]
    return fallback_table(items or [])


class HumanPrinter:
    """kubectl's HumanReadablePrinter for one resource type: headers once, columns remembered for watch."""

    def __init__(self, options: TableOptions, writer: TabWriter) -> None:
        self.options = options
        self.writer = writer
        self.last_columns: list[dict[str, Any]] = []
        self.printed_headers = False

    def print_table(self, table: dict[str, Any], *, event: str = "") -> None:
        columns = table.get("columnDefinitions") or []
        headers = True
        if self.printed_headers and (not columns or columns == self.last_columns):
            headers = False
        if not columns:
            columns = self.last_columns
        elif columns != self.last_columns:
            self.last_columns = columns
            self.printed_headers = False
        rows = table.get("rows") or []
        if rows:
            self.printed_headers = True
        if not rows:
            return
        for cells in table_lines(table, self.options, columns=columns, headers=headers, event=event):
            self.writer.row(cells)


def print_tables(f: Factory, o: Options, targets: list[Target]) -> int:
    out = f.streams.out
    errors: list[BaseException] = []
    results: list[tuple[Target, dict[str, Any]]] = []
    for target in targets:
        try:
            results.append((target, fetch_table(f, o, target)))
        except ApiError as exc:
            if exc.code == 404 and target.name and o.ignore_not_found:
                continue
            errors.append(exc)
    if o.sort_by:
        from fkubectl.printers.sort import has_field, sort_objects

        for _, table in results:
            rows = table.get("rows") or []
            # kubectl's table sorter fails, and prints nothing, when no row has the field at all
            table["rows"] = sort_objects(rows, o.sort_by, get=lambda row: row.get("object")) \
                if any(has_field(row.get("object"), o.sort_by) for row in rows) else []
    with_kind = o.show_kind or len({t.mapping for t, _ in results}) > 1
    writer = TabWriter()
    written = 0
    separator_at = -1
    last: Mapping | None = None
    printer: HumanPrinter | None = None
    for target, table in results:
        if not table.get("rows"):
            continue
        if printer is None or target.mapping != last:
            text = writer.flush()
            out.write(text)
            written += len(text)
            writer.reset_widths()
            if last is not None and not o.no_headers and written > separator_at:
                out.write("\n")
                separator_at = written
            last = target.mapping
            printer = HumanPrinter(o.table_options(target.mapping, with_kind=with_kind), writer)
        printer.print_table(table)
    text = writer.flush()
    out.write(text)
    written += len(text)
    if not written and not errors and not o.ignore_not_found:
        _no_resources(f, o, targets)
    if errors:
        raise Aggregate(errors)
    return 0


def _no_resources(f: Factory, o: Options, targets: list[Target]) -> None:
    if not o.all_namespaces and targets and all(t.mapping.namespaced for t in targets):
        f.streams.err.write(f"No resources found in {o.namespace} namespace.\n")
    else:
        f.streams.err.write("No resources found\n")


def _strip(obj: dict[str, Any], mapping: Mapping, o: Options) -> dict[str, Any]:
    obj.setdefault("apiVersion", mapping.api_version)
    obj.setdefault("kind", mapping.kind)
    if not o.show_managed_fields:
        (obj.get("metadata") or {}).pop("managedFields", None)
    return obj


def fetch_objects(f: Factory, o: Options, target: Target) -> list[dict[str, Any]]:
    client = f.client()
    mapping = target.mapping
    if target.name:
        obj = client.json(rq.get_request(mapping, _namespace(o, target), target.name, subresource=o.subresource))
        return [_strip(obj, mapping, o)]
    items: list[dict[str, Any]] = []
    cont = ""
    while True:
        req = rq.list_request(mapping, _namespace(o, target), label_selector=o.selector,
                              field_selector=o.field_selector, limit=o.chunk_size, cont=cont)
        try:
            page = client.json(req)
        except ApiError as exc:
            raise _enhance_list_error(exc, mapping, o) from None
        items.extend(_strip(item, mapping, o) for item in page.get("items") or [])
        cont = (page.get("metadata") or {}).get("continue", "")
        if not cont:
            return items


def print_full(f: Factory, o: Options, targets: list[Target]) -> int:
    errors: list[BaseException] = []
    objects: list[dict[str, Any]] = []
    for target in targets:
        try:
            objects.extend(fetch_objects(f, o, target))
        except ApiError as exc:
            if exc.code == 404 and target.name and o.ignore_not_found:
                continue
            errors.append(exc)
    if o.sort_by:
        from fkubectl.printers.sort import sort_objects

        objects = sort_objects(objects, o.sort_by)
    single = len(targets) == 1 and bool(targets[0].name)
    if objects or not single:
        from io import StringIO

        buffer = StringIO()
        try:
            print_objects(o.output, objects, buffer, single=single, no_headers=o.no_headers)
        except OutputError as exc:
            raise CommandError(str(exc)) from None
        text = buffer.getvalue()
        f.streams.out.write(text)
        if not text and not errors and not o.ignore_not_found:
            _no_resources(f, o, targets)
    if errors:
        raise Aggregate(errors)
    return 0


def watch(f: Factory, o: Options, targets: list[Target]) -> int:
    from fkubectl.client.watch import events

    client = f.client()
    mapping = targets[0].mapping
    names = [t.name for t in targets if t.name]
    if len(names) > 1:
        raise CommandError("watch is only supported on individual resources and resource collections, "
                           f"but {len(names)} resources were found")
    name = names[0] if names else ""
    human = o.output.human
    writer = TabWriter()
    printer = HumanPrinter(o.table_options(mapping, with_kind=o.show_kind), writer)
    out = f.streams.out
    resource_version = "0" if name else ""
    if human:
        table = fetch_table(f, o, targets[0])
        if not name:
            resource_version = str((table.get("metadata") or {}).get("resourceVersion", ""))
        if not o.watch_only:
            printer.print_table(table, event="ADDED")
            out.write(writer.flush())
            if not table.get("rows") and not name:
                _no_resources(f, o, targets)
    else:
        if name:
            objects = fetch_objects(f, o, targets[0])
        else:
            page = client.json(rq.list_request(mapping, o.namespace, label_selector=o.selector,
                                               field_selector=o.field_selector, limit=o.chunk_size))
            objects = [_strip(i, mapping, o) for i in page.get("items") or []]
            resource_version = str((page.get("metadata") or {}).get("resourceVersion", ""))
        if not o.watch_only:
            for obj in objects:
                _print_watch_object(f, o, obj, "ADDED")
    out.flush()
    req = rq.watch_request(mapping, o.namespace, resource_version=resource_version, label_selector=o.selector,
                           field_selector=o.field_selector, name=name, table=human)
    first = bool(name)
    try:
        for kind, obj in events(client.lines(req)):
            if kind == "BOOKMARK":
                continue
            if first and kind == "ADDED":
                first = False
                continue
            first = False
            if human:
                printer.print_table(obj, event=kind)
                out.write(writer.flush())
            else:
                _print_watch_object(f, o, _strip(obj, mapping, o), kind)
            out.flush()
    except (KeyboardInterrupt, TimeoutError):
        return 0
    return 0


def _print_watch_object(f: Factory, o: Options, obj: dict[str, Any], event: str) -> None:
    doc = {"type": event, "object": obj} if o.watch_events else obj
    if o.output.format == "yaml":
        from fkubectl.printers.yamlout import dump

        f.streams.out.write("---\n" + dump(doc))
        return
    print_objects(o.output, [doc], f.streams.out, single=True)

