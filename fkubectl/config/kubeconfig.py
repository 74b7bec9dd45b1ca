"""Loading, merging and writing kubeconfig files with client-go's precedence rules (`clientcmd/loader.go`).

- Files: `--kubeconfig` alone when given (it must exist); else every path in `$KUBECONFIG` (split on
  `os.pathsep`, empty and duplicate entries dropped, missing files skipped); else `~/.kube/config`.
- Merge: for clusters, users and contexts the *first* file that defines a name wins; the first
  non-empty `current-context` wins. Each entry remembers the file it came from so edits go back there.
- Writes (`use-context`, `set-context`) follow `clientcmd.ModifyConfig`: an entry is rewritten in its
  origin file; a new entry and a new current-context go to the default file (explicit file, else the
  first existing `$KUBECONFIG` file, else the last one, else `~/.kube/config`).

Parsing tries `fastyaml` (stdlib only) and falls back to PyYAML, so reading a kubeconfig stays cheap.
"""

from __future__ import annotations

import json
import os

from fkubectl.config import fastyaml
from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SECTIONS = (("clusters", "cluster"), ("users", "user"), ("contexts", "context"))


class ConfigFileError(CommandError):
    pass


def home_config() -> str:
    return os.path.join(os.path.expanduser("~"), ".kube", "config")


def env_files(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    raw = environ.get("KUBECONFIG", "")
    out: list[str] = []
    for item in raw.split(os.pathsep):
        if item and item not in out:
            out.append(item)
    return out


def parse_text(text: str, path: str = "") -> dict[str, Any]:
    stripped = text.lstrip()
    if not stripped:
        return {}
    try:
        data = json.loads(text) if stripped.startswith("{") else fastyaml.load(text)
    except (fastyaml.Unsupported, ValueError):
        import yaml

        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise ConfigFileError(f"error loading config file \"{path}\": {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigFileError(f"error loading config file \"{path}\": couldn't get version/kind; "
                              "json parse error: json: cannot unmarshal string into Go value of type "
                              "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
                              "\"json:\\\"kind,omitempty\\\"\" }")
    return data


def read_file(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return parse_text(fh.read(), path)


class Kubeconfig:
    """The merged view. `clusters`/`users`/`contexts` map a name to that entry's body."""

    def __init__(self) -> None:
        self.clusters: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.contexts: dict[str, dict[str, Any]] = {}
        self.current_context = ""
        self.preferences: dict[str, Any] = {}
        self.origin: dict[tuple[str, str], str] = {}
        self.files: list[str] = []
        self.explicit = ""
        self.env: list[str] = []
        self.current_context_file = ""

    def section(self, plural: str) -> dict[str, dict[str, Any]]:
        return getattr(self, plural)  # type: ignore[no-any-return]

    def merge(self, path: str, data: dict[str, Any]) -> None:
        self.files.append(path)
        base = os.path.dirname(os.path.abspath(path))
        for plural, singular in SECTIONS:
            for item in data.get(plural) or []:
                if not isinstance(item, dict):
                    continue
                name = str(item.get("name", ""))
                if name in self.section(plural):
                    continue
                body = dict(item.get(singular) or {})
                body["__dir__"] = base
                self.section(plural)[name] = body
                self.origin[(plural, name)] = path
        if not self.current_context and data.get("current-context"):
            self.current_context = str(data["current-context"])
            self.current_context_file = path
        if not self.preferences and data.get("preferences"):
            self.preferences = dict(data["preferences"])

    @property
    def empty(self) -> bool:
        return not (self.clusters or self.users or self.contexts or self.current_context)

    def default_file(self) -> str:
        if self.explicit:
            return self.explicit
        if self.env:
            if len(self.env) == 1:
                return self.env[0]
            for path in self.env:
                if os.path.exists(path):
                    return path
            return self.env[-1]
        return home_config()


def load(explicit: str = "", environ: dict[str, str] | os._Environ[str] | None = None) -> Kubeconfig:
    environ = os.environ if environ is None else environ
    cfg = Kubeconfig()
    if explicit:
        cfg.explicit = explicit
        if not os.path.exists(explicit):
            raise ConfigFileError(f"stat {explicit}: no such file or directory")
        cfg.merge(explicit, read_file(explicit))
        return cfg
    cfg.env = env_files(environ)
    candidates = cfg.env or [home_config()]
    for path in candidates:
        if os.path.isfile(path):
            cfg.merge(path, read_file(path))
    return cfg


def strip_private(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not k.startswith("__")}


# Go struct field order, used for JSON output (`config view -o json`) and for writing files back.
FIELD_ORDER = {
    "cluster": ["server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority",
                "certificate-authority-data", "proxy-url", "disable-compression", "extensions"],
    "user": ["client-certificate", "client-certificate-data", "client-key", "client-key-data", "token",
             "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username", "password",
             "auth-provider", "exec", "extensions"],
    "context": ["cluster", "user", "namespace", "extensions"],
}


# Fields without `omitempty` in the v1 Go structs: always written, possibly as "".
REQUIRED = {"cluster": {"server"}, "user": set(), "context": {"cluster", "user"}}


def ordered(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    order = FIELD_ORDER[kind]
    required = REQUIRED[kind]
    out = {k: (body.get(k) or "") if k in required else body[k] for k in order
           if k in required or (k in body and body[k] not in (None, "", False, [], {}))}
    out.update({k: v for k, v in body.items() if k not in out and k not in order and not k.startswith("__")})
    return out


def to_document(cfg: Kubeconfig, *, names: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """The merged config as a v1 `Config` document (sorted by name, in Go field order)."""
    doc: dict[str, Any] = {"kind": "Config", "apiVersion": "v1"}
    if cfg.preferences:
        doc["preferences"] = cfg.preferences
    for plural, singular in (("clusters", "cluster"), ("users", "user"), ("contexts", "context")):
        wanted = names.get(plural) if names is not None else None
        entries = [{"name": name, singular: ordered(singular, body)}
                   for name, body in sorted(cfg.section(plural).items())
                   if wanted is None or name in wanted]
        doc[plural] = entries or None
    doc["current-context"] = cfg.current_context
    return doc


def write_file(path: str, data: dict[str, Any]) -> None:
    """Rewrite one kubeconfig file atomically, in the key order kubectl writes (sorted, like sigs.k8s.io/yaml)."""
    from fkubectl.printers.yamlout import dump

    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.fkubectl-{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(dump(data))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
