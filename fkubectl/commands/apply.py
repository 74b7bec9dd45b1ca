"""`fkubectl apply -f`: client-side apply with the last-applied-configuration annotation (kubectl apply.go
and patcher.go), or server-side apply with `--server-side`.

Client-side, for each object: GET it; if absent, POST it carrying the annotation (`created`); otherwise
compute a three-way patch between the last applied configuration (the live object's annotation), the new
configuration and the live object — a strategic merge patch when the server's OpenAPI gives the kind's patch
metadata, else a JSON merge patch — and send it unless it is empty (`configured` / `unchanged`). The new
configuration is recorded as `kubectl.kubernetes.io/last-applied-configuration`: the object's compact JSON
(sorted keys, namespace filled in, annotations present) plus a newline, as kubectl writes it. A conflict
(409) is retried with a fresh GET, as kubectl does.
"""

from __future__ import annotations

import copy
import json

from fkubectl.client import request as rq
from fkubectl.client.errors import ApiError
from fkubectl.commands.manifests import Manifest, read_for_write
from fkubectl.commands.mutate import (DRY_RUN, OUTPUT, SHOW_MANAGED, VALIDATE, Printer, field_validation,
                                      with_source)
from fkubectl.errors import Aggregate, CommandError
from fkubectl.flags import BOOL, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "apply"
SHORT = "Apply a configuration to a resource by file name or stdin"
USAGE = "apply (-f FILENAME | -k DIRECTORY) [options]"
LONG = """Apply a configuration to a resource by file name or stdin. The resource name must be specified. This
resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with
either 'apply' or 'create --save-config'.

 JSON and YAML formats are accepted."""
EXAMPLES = """  # Apply the configuration in pod.json to a pod
  {prog} apply -f ./pod.json

  # Apply the JSON passed into stdin to a pod
  cat pod.json | {prog} apply -f -"""
FLAGS = (
    DRY_RUN, OUTPUT, SHOW_MANAGED, VALIDATE,
    Flag("filename", SLICE, short="f", help="The files that contain the configurations to apply."),
    Flag("recursive", BOOL, short="R", help="Process the directory used in -f, --filename recursively."),
    Flag("server-side", BOOL, help="If true, apply runs in the server instead of the client."),
    Flag("force-conflicts", BOOL, help="If true, server-side apply will force the changes against conflicts."),
    Flag("field-manager", STRING, "", "Name of the manager used to track field ownership."),
    Flag("overwrite", BOOL, True, "Automatically resolve conflicts between the modified and live configuration by "
         "using values from the modified configuration"),
)

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_RETRIES = 5
MISSING_ANNOTATION = ("Warning: resource {resource} is missing the kubectl.kubernetes.io/last-applied-configuration "
                      "annotation which is required by {prog} apply. {prog} apply should only be used on resources "
                      "created declaratively by either {prog} create --save-config or {prog} apply. The missing "
                      "annotation will be patched automatically.\n")


def last_applied_json(obj: dict[str, Any]) -> str:
    """kubectl's `GetModifiedConfiguration` serialisation of `obj` without its own annotation."""
    clean = copy.deepcopy(obj)
    meta = clean.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    return json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def annotate_last_applied(obj: dict[str, Any]) -> dict[str, Any]:
    value = last_applied_json(obj)
    out = copy.deepcopy(obj)
    meta = out.setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), LAST_APPLIED: value}
    return out


def run(f: Factory, args: list[str], v: Values) -> int:
    if args:
        raise CommandError(f"Unexpected args: {args}")
    if not v["filename"]:
        raise CommandError("must specify one of -f and -k")
    printer = Printer(f, v)
    manifests = read_for_write(f, v["filename"], recursive=v["recursive"])
    errors: list[BaseException] = []
    for m in manifests:
        assert m.mapping is not None
        try:
            if v["server-side"]:
                _server_side(f, v, m, printer)
            else:
                _client_side(f, v, m, printer)
        except ApiError as exc:
            errors.append(exc)
    if errors:
        raise Aggregate(errors)
    return 0


def _server_side(f: Factory, v: Values, m: Manifest, printer: Printer) -> None:
    assert m.mapping is not None
    if printer.dry_run == "client":
        raise CommandError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
    obj = copy.deepcopy(m.obj)
    (obj.get("metadata") or {}).get("annotations", {}).pop(LAST_APPLIED, None)
    req = rq.patch_request(m.mapping, m.namespace, m.name, json.dumps(obj).encode(), patch_type="apply",
                           field_manager=v["field-manager"] or "kubectl", field_validation=field_validation(v),
                           dry_run=printer.dry_run == "server", force=bool(v["force-conflicts"]))
    try:
        result = f.client().json(req)
    except ApiError as exc:
        raise with_source(exc, "patching" if exc.reason != "Conflict" else "applying", m.source) from None
    printer.done(m.mapping, result, "serverside-applied")


def _client_side(f: Factory, v: Values, m: Manifest, printer: Printer) -> None:
    assert m.mapping is not None
    client = f.client()
    modified = annotate_last_applied(m.obj)
    manager = v["field-manager"] or "kubectl-client-side-apply"
    validation = field_validation(v)
    for attempt in range(MAX_RETRIES):
        try:
            current = client.json(rq.get_request(m.mapping, m.namespace, m.name))
        except ApiError as exc:
            if exc.code != 404:
                raise with_source(exc, "retrieving current configuration of", m.source) from None
            if printer.dry_run == "client":
                printer.done(m.mapping, modified, "created")
                return
            try:
                created = client.json(rq.create_request(m.mapping, m.namespace, modified, field_manager=manager,
                                                        field_validation=validation,
                                                        dry_run=printer.dry_run == "server"))
            except ApiError as create_error:
                raise with_source(create_error, "creating", m.source) from None
            printer.done(m.mapping, created, "created")
            return
        annotations = (current.get("metadata") or {}).get("annotations") or {}
        original_text = annotations.get(LAST_APPLIED)
        if original_text is None and attempt == 0:
            from fkubectl.errors import PROG

            f.streams.err.write(MISSING_ANNOTATION.format(resource=f"{m.mapping.group_resource}/{m.name}", prog=PROG))
        original = json.loads(original_text) if original_text else None
        patch, patch_type = compute_patch(f, m.mapping, original, modified, current)
        if not patch:
            printer.done(m.mapping, current, "unchanged")
            return
        if printer.dry_run == "client":
            printer.done(m.mapping, modified, "configured")
            return
        req = rq.patch_request(m.mapping, m.namespace, m.name, patch, patch_type=patch_type, field_manager=manager,
                               field_validation=validation, dry_run=printer.dry_run == "server")
        try:
            patched = client.json(req)
        except ApiError as exc:
            if exc.code == 409 and attempt < MAX_RETRIES - 1:
                continue
            raise _patch_error(exc, patch, m) from None
        printer.done(m.mapping, patched, "configured")
        return


def compute_patch(f: Factory, mapping: Any, original: dict[str, Any] | None, modified: dict[str, Any],
                  current: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """(patch, type): strategic when the server publishes patch metadata for the kind, else JSON merge."""
    meta = patch_meta(f, mapping)
    if meta is not None:
        from fkubectl.patch import strategic

        return strategic.three_way(original, modified, current, meta), "strategic"
    from fkubectl.patch import jsonmerge

    return jsonmerge.three_way(original, modified, current), "merge"


def patch_meta(f: Factory, mapping: Any) -> Any:
    from fkubectl.patch.schema import PatchMeta

    found = f.openapi().schema_for(mapping.group, mapping.version, mapping.kind)
    if found is None:
        return None
    schema, schemas = found
    return PatchMeta(schema, schemas)


def _patch_error(exc: ApiError, patch: dict[str, Any], m: Manifest) -> ApiError:
    assert m.mapping is not None
    mapping = m.mapping
    text = json.dumps(patch, sort_keys=True, separators=(",", ":"))
    where = (f'Resource: "{mapping.group_version}, Resource={mapping.resource}", GroupVersionKind: '
             f'"{mapping.group_version}, Kind={mapping.kind}"\nName: "{m.name}", Namespace: "{m.namespace}"')
    status = dict(exc.status)
    status["message"] = f'error when applying patch:\n{text}\nto:\n{where}\nfor: "{m.source}": ' \
                        f'error when patching "{m.source}": {exc.message}'
    return ApiError(status)
