"""Reading `-f` inputs (kubectl's `FilenameOptions` + resource builder for files).

Sources: files, directories (`.json`, `.yaml`, `.yml`; subdirectories only with `-R`), `-` for stdin, and
http(s) URLs. A YAML stream may hold many documents; empty documents are skipped and `kind: List` is
flattened. Each object keeps its source (`STDIN` for stdin) for error messages, and gets the namespace
it will be sent to: its own, else the command's; with an explicit `-n` a different namespace in the
object is kubectl's error.
"""

from __future__ import annotations

import os

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.mapping import Mapping
    from fkubectl.factory import Factory

EXTENSIONS = (".json", ".yaml", ".yml")


class Manifest:
    __slots__ = ("obj", "source", "mapping", "namespace")

    def __init__(self, obj: dict[str, Any], source: str) -> None:
        self.obj = obj
        self.source = source
        self.mapping: Mapping | None = None
        self.namespace = ""

    @property
    def name(self) -> str:
        return str((self.obj.get("metadata") or {}).get("name") or "")

    def __repr__(self) -> str:
        return f"Manifest({self.obj.get('kind')}/{self.name} from {self.source})"


def _expand(path: str, recursive: bool) -> list[str]:
    if path == "-" or path.startswith(("http://", "https://")):
        return [path]
    if not os.path.exists(path):
        raise CommandError(f'the path "{path}" does not exist')
    if not os.path.isdir(path):
        return [path]
    found: list[str] = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(root, name) for name in sorted(files) if name.endswith(EXTENSIONS))
        if not recursive:
            break
    return found


def _read(path: str, stdin: Any) -> tuple[str, str]:
    if path == "-":
        return stdin.read(), "STDIN"
    if path.startswith(("http://", "https://")):
        from urllib.request import urlopen

        with urlopen(path, timeout=30) as response:  # noqa: S310 - the user asked for this URL
            return response.read().decode("utf-8"), path
    with open(path, encoding="utf-8") as fh:
        return fh.read(), path


def parse_documents(text: str, source: str) -> list[dict[str, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        import json

        try:
            data = json.loads(text)
            docs = data if isinstance(data, list) else [data]
        except ValueError:
            docs = _yaml_docs(text, source)
    else:
        docs = _yaml_docs(text, source)
    objects: list[dict[str, Any]] = []
    for doc in docs:
        if doc is None or doc == {}:
            continue
        if not isinstance(doc, dict):
            raise CommandError(f'error parsing {source}: error converting YAML to JSON: yaml: cannot unmarshal '
                               f'{type(doc).__name__} into an object')
        if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
            objects.extend(item for item in doc["items"] if isinstance(item, dict))
        else:
            objects.append(doc)
    return objects


def _yaml_docs(text: str, source: str) -> list[Any]:
    import yaml

    from fkubectl.printers.yamlout import load_all

    try:
        return load_all(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CommandError(f"error parsing {source}: error converting YAML to JSON: yaml: {line}{problem}") from None


def read_manifests(f: Factory, filenames: list[str], *, recursive: bool = False) -> list[Manifest]:
    manifests: list[Manifest] = []
    for path in filenames:
        for item in _expand(path, recursive):
            text, source = _read(item, f.streams.in_)
            for obj in parse_documents(text, source):
                _check(obj, source)
                manifests.append(Manifest(obj, source))
    if not manifests:
        raise CommandError("no objects passed to " + _verb_hint(filenames))
    return manifests


def _verb_hint(filenames: list[str]) -> str:
    return "apply" if filenames else "create"


def _check(obj: dict[str, Any], source: str) -> None:
    missing = [field for field in ("apiVersion", "kind") if not obj.get(field)]
    if missing:
        raise CommandError(f'error validating "{source}": error validating data: '
                           f"[{', '.join(f'{m} not set' for m in missing)}]; if you choose to ignore these errors, "
                           "turn validation off with --validate=false")


def resolve(f: Factory, manifests: list[Manifest], *, default_namespace: str | None = None) -> None:
    """Attach mapping and target namespace to each manifest."""
    from fkubectl.client.mapper import NoKindMatch

    mapper = f.mapper()
    namespace = f.namespace if default_namespace is None else default_namespace
    for m in manifests:
        try:
            m.mapping = mapper.for_kind(str(m.obj["apiVersion"]), str(m.obj["kind"]))
        except NoKindMatch as exc:
            meta = m.obj.get("metadata") or {}
            raise CommandError(f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
                               f'"{meta.get("namespace", "")}" from "{m.source}": {exc}\n'
                               "ensure CRDs are installed first") from None
        if not m.mapping.namespaced:
            m.namespace = ""
            continue
        own = str((m.obj.get("metadata") or {}).get("namespace") or "")
        if own and f.explicit_namespace and own != namespace:
            raise CommandError(f'the namespace from the provided object "{own}" does not match the namespace '
                               f'"{namespace}". You must pass \'--namespace={own}\' to perform this operation.')
        m.namespace = own or namespace


def read_for_write(f: Factory, filenames: list[str], *, recursive: bool = False,
                   save_config: bool = False) -> list[Manifest]:
    """`create -f`, `replace -f`, `apply -f`: resolved manifests whose namespaced objects carry the target
    namespace, with the last-applied annotation when `--save-config` asks for it."""
    manifests = read_manifests(f, filenames, recursive=recursive)
    resolve(f, manifests)
    for m in manifests:
        assert m.mapping is not None
        if m.mapping.namespaced:
            m.obj.setdefault("metadata", {})["namespace"] = m.namespace
        if save_config:
            from fkubectl.commands.apply import annotate_last_applied

            m.obj = annotate_last_applied(m.obj)
    return manifests


def read_targets(f: Factory, filenames: list[str], *, recursive: bool = False) -> list[Any]:
    """`get -f`, `describe -f`, `delete -f`: the objects named by files, as builder targets."""
    from fkubectl.commands.builder import Target

    manifests = read_manifests(f, filenames, recursive=recursive)
    resolve(f, manifests)
    targets = []
    for m in manifests:
        assert m.mapping is not None
        target = Target(m.mapping, m.name, namespace=m.namespace)
        target.source = m.source
        targets.append(target)
    return targets
