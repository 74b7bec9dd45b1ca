"""What every writing command shares: `--dry-run`, `-o`, the `kind/name verb` line, error sources.

kubectl prints `deployment.apps/web created` (`-o name`: `deployment.apps/web`; dry runs append
` (dry run)` or ` (server dry run)`), or the returned object with `-o json|yaml|jsonpath=...`, YAML
documents separated by `---`. Server errors about an object from a file say which file
(`error when creating "app.yaml": ...`, kubectl's `AddSourceToErr`).
"""

from __future__ import annotations

from fkubectl.client.errors import ApiError
from fkubectl.errors import CommandError
from fkubectl.flags import BOOL, STRING, Flag
from fkubectl.printers import Output, parse_output, print_objects

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.mapping import Mapping
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

DRY_RUN = Flag("dry-run", STRING, "none", "Must be \"none\", \"server\", or \"client\". If client strategy, only print "
               "the object that would be sent, without sending it. If server strategy, submit server-side request "
               "without persisting the resource.", no_opt="unchanged")
OUTPUT = Flag("output", STRING, short="o", help="Output format. One of: (json, yaml, name, go-template, "
              "go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).")
SHOW_MANAGED = Flag("show-managed-fields", BOOL, help="If true, keep the managedFields when printing objects in JSON "
                    "or YAML format.")
FIELD_MANAGER = Flag("field-manager", STRING, "", "Name of the manager used to track field ownership.")
VALIDATE = Flag("validate", STRING, "strict", "Must be one of: strict (or true), warn, ignore (or false).",
                no_opt="strict")


def dry_run_mode(v: Values) -> str:
    mode = v.get("dry-run", "none")
    if mode == "unchanged":
        mode = "client"
    if mode in ("", "none", "false"):
        return "none"
    if mode in ("client", "true"):
        return "client"
    if mode == "server":
        return "server"
    raise CommandError(f'Invalid dry-run value ({mode}). Must be "none", "server", or "client".')


def field_validation(v: Values) -> str:
    value = str(v.get("validate", "strict")).lower()
    return {"strict": "Strict", "true": "Strict", "warn": "Warn", "ignore": "Ignore", "false": "Ignore"}.get(
        value, "Strict")


def object_name(mapping: Mapping, name: str) -> str:
    return f"{mapping.kind_prefix}/{name}"


class Printer:
    """Prints each written object as kubectl does, tracking YAML document separators."""

    def __init__(self, f: Factory, v: Values) -> None:
        self.f = f
        try:
            self.output: Output = parse_output(v.get("output", ""))
        except Exception as exc:
            raise CommandError(str(exc)) from None
        self.dry_run = dry_run_mode(v)
        self.show_managed = bool(v.get("show-managed-fields", False))
        self.count = 0

    @property
    def suffix(self) -> str:
        return {"client": " (dry run)", "server": " (server dry run)"}.get(self.dry_run, "")

    def done(self, mapping: Mapping, obj: dict[str, Any], verb: str, *, typed: bool = False) -> None:
        """`typed`: a locally built object, printed in Go struct order like kubectl's typed objects."""
        out = self.f.streams.out
        name = str((obj.get("metadata") or {}).get("name", ""))
        fmt = self.output.format
        if fmt == "":
            out.write(f"{object_name(mapping, name)} {verb}{self.suffix}\n")
        elif fmt == "name":
            out.write(object_name(mapping, name) + "\n")
        else:
            obj.setdefault("apiVersion", mapping.api_version)
            obj.setdefault("kind", mapping.kind)
            if not self.show_managed:
                (obj.get("metadata") or {}).pop("managedFields", None)
            self.count += 1
            if fmt == "yaml" and self.count > 1:
                out.write("---\n")
            print_objects(self.output, [obj], out, single=True, sort_keys=not typed)


def with_source(exc: ApiError, verb: str, source: str) -> ApiError:
    """kubectl's `AddSourceToErr`: prefix the server's message with the file it came from."""
    if not source:
        return exc
    status = dict(exc.status)
    status["message"] = f'error when {verb} "{source}": {exc.message}'
    return ApiError(status)

