"""Output formats (`-o`): parsing the flag and printing full objects.

`parse_output("jsonpath={.a}")` gives an `Output`; `Output.human` says the server Table path applies
(`""`, `wide`); everything else prints objects here: `json`/`yaml` (one object, or a `List` wrapping several),
`name` (`deployment.apps/web`), `jsonpath[-as-json|-file]`, `custom-columns[-file]`.
"""

from __future__ import annotations

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

ALLOWED = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
           "jsonpath-as-json", "jsonpath-file", "kyaml", "name", "template", "templatefile", "wide", "yaml")


class OutputError(CommandError):
    pass


class Output:
    __slots__ = ("format", "arg")

    def __init__(self, format: str, arg: str = "") -> None:
        self.format = format
        self.arg = arg

    @property
    def human(self) -> bool:
        return self.format in ("", "wide")

    @property
    def wide(self) -> bool:
        return self.format == "wide"


def parse_output(value: str, *, allowed: tuple[str, ...] = ALLOWED) -> Output:
    if not value:
        return Output("")
    name, _, arg = value.partition("=")
    if name in ("go-template", "go-template-file", "template", "templatefile"):
        raise OutputError(f"output format {name!r} is not supported by fkubectl")
    if name not in allowed or (name in ("json", "yaml", "name", "wide", "kyaml") and arg):
        raise OutputError(f'unable to match a printer suitable for the output format "{value}", '
                          f'allowed formats are: {",".join(allowed)}')
    if name in ("jsonpath-file", "custom-columns-file"):
        with open(arg, encoding="utf-8") as fh:
            arg = fh.read()
        name = name[: -len("-file")]
    if name in ("jsonpath", "jsonpath-as-json") and not arg:
        raise OutputError("template format specified but no template given")
    if name == "custom-columns" and not arg:
        raise OutputError("custom-columns format specified but no custom columns given")
    return Output(name, arg)


def as_list(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}}


def kind_name(obj: dict[str, Any]) -> str:
    """`pod/web`, `deployment.apps/web`: what `-o name` prints."""
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    kind = str(obj.get("kind", "")).lower()
    prefix = f"{kind}.{group}" if group else kind
    return f"{prefix}/{(obj.get('metadata') or {}).get('name', '')}"


def print_objects(output: Output, objects: list[dict[str, Any]], out: TextIO, *, single: bool,
                  no_headers: bool = False, sort_keys: bool = True) -> None:
    doc: Any = objects[0] if single and len(objects) == 1 else as_list(objects)
    fmt = output.format
    if fmt == "json":
        from fkubectl.printers.gofmt import go_json

        out.write(go_json(doc, sort_keys=sort_keys) + "\n")
    elif fmt in ("yaml", "kyaml"):
        from fkubectl.printers.yamlout import dump

        out.write(dump(doc))
    elif fmt == "name":
        out.write("".join(kind_name(o) + "\n" for o in objects))
    elif fmt in ("jsonpath", "jsonpath-as-json"):
        from fkubectl.printers import jsonpath

        try:
            out.write(jsonpath.execute(jsonpath.parse(output.arg), doc, as_json=fmt == "jsonpath-as-json"))
        except jsonpath.JSONPathError as exc:
            raise OutputError(f"error executing jsonpath {output.arg!r}: {exc}") from None
    elif fmt == "custom-columns":
        from fkubectl.printers.custom_columns import render

        out.write(render(output.arg, objects, no_headers=no_headers))
    else:
        raise OutputError(f"unsupported output format {fmt!r}")
