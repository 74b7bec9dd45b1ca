"""`fkubectl edit (TYPE NAME | TYPE/NAME)`: open the live object in `$KUBE_EDITOR`, `$EDITOR` or `vi`, then send
the difference (kubectl edit / editoptions.go).

The object is shown as YAML (managedFields hidden) under kubectl's comment header; lines starting with `#`
are ignored. Unchanged text is `Edit cancelled, no changes made.`; an empty file aborts; otherwise the
two-way strategic merge patch (JSON merge patch for kinds without metadata) between the object before and
after is sent with `fieldManager=kubectl-edit` and reported as `kind/name edited`. If the server refuses
it, the edited text is kept in a temporary file, as kubectl does.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands import builder
from fkubectl.commands.mutate import OUTPUT, Printer
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "edit"
SHORT = "Edit a resource on the server"
USAGE = "edit (RESOURCE/NAME | -f FILENAME) [options]"
LONG = """Edit a resource from the default editor.

 The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It
will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi'."""
EXAMPLES = """  # Edit the service named 'registry'
  {prog} edit svc/registry"""
FLAGS = (
    OUTPUT,
    Flag("filename", SLICE, short="f", help="Filename, directory, or URL to files to use to edit the resource"),
    Flag("field-manager", STRING, "kubectl-edit", "Name of the manager used to track field ownership."),
)
HEADER = """# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
"""


def _editor(environ: Any) -> list[str]:
    return shlex.split(environ.get("KUBE_EDITOR") or environ.get("EDITOR") or "vi")


def _strip_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


def run(f: Factory, args: list[str], v: Values) -> int:
    from fkubectl.printers.yamlout import dump

    if v["filename"]:
        from fkubectl.commands.manifests import read_targets

        targets = read_targets(f, v["filename"])
    elif args:
        targets = builder.resolve(f.mapper(), args, allow_categories=False)
    else:
        raise CommandError("You must provide one or more resources by argument or filename.")
    client = f.client()
    printer = Printer(f, v)
    errors: list[BaseException] = []
    for target in targets:
        if not target.name:
            raise CommandError("resource(s) were provided, but no name was specified")
        ns = target.namespace or f.namespace
        before = client.json(rq.get_request(target.mapping, ns, target.name))
        (before.get("metadata") or {}).pop("managedFields", None)
        original = dump(before)
        fd, path = tempfile.mkstemp(prefix=f"{target.mapping.resource}-{target.name}-", suffix=".yaml")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(HEADER + original)
        try:
            subprocess.run([*_editor(f.environ), path], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            os.unlink(path)
            raise CommandError(f"there was a problem with the editor {_editor(f.environ)!r}: {exc}") from None
        with open(path, encoding="utf-8") as fh:
            edited_text = _strip_comments(fh.read())
        if not edited_text.strip():
            os.unlink(path)
            f.streams.err.write("Edit cancelled, saved file was empty.\n")
            continue
        if edited_text == original:
            os.unlink(path)
            f.streams.err.write("Edit cancelled, no changes made.\n")
            continue
        try:
            after = _load(edited_text)
            result = _send(f, target.mapping, ns, target.name, before, after, v["field-manager"])
        except (ApiError, CommandError) as exc:
            errors.append(exc)
            errors.append(CommandError(f'A copy of your changes has been stored to "{path}"'))
            continue
        os.unlink(path)
        printer.done(target.mapping, result, "edited")
    if errors:
        raise Aggregate(errors)
    return 0


def _load(text: str) -> dict[str, Any]:
    from fkubectl.commands.manifests import parse_documents

    docs = parse_documents(text, "edited file")
    if len(docs) != 1:
        raise CommandError("the edited file must contain exactly one object")
    return docs[0]


def _send(f: Factory, mapping: Any, ns: str, name: str, before: dict[str, Any], after: dict[str, Any],
          manager: str) -> dict[str, Any]:
    from fkubectl.commands.apply import patch_meta
    from fkubectl.patch import jsonmerge, strategic

    meta = patch_meta(f, mapping)
    if meta is not None:
        patch, kind = strategic.two_way(before, after, meta), "strategic"
    else:
        patch, kind = jsonmerge.create(before, after), "merge"
    result: dict[str, Any] = f.client().json(rq.patch_request(mapping, ns, name, patch, patch_type=kind,
                                                              field_manager=manager))
    return result
