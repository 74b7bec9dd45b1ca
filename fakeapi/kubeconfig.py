"""Write a context for a fakeapi server into a kubeconfig, merging with what the file already holds.

`fakeapi serve --write-kubeconfig [PATH]` uses it (default ~/.kube/config, as kind does), and so does the
pytest plugin for its throwaway files. Other clusters, users and contexts are kept; entries of the same
name are replaced; the context becomes current. The file is replaced atomically.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(os.path.expanduser("~")) / ".kube" / "config"


def _upsert(entries: list[dict[str, Any]], name: str, key: str, value: dict[str, Any]) -> list[dict[str, Any]]:
    kept = [e for e in entries if isinstance(e, dict) and e.get("name") != name]
    return kept + [{"name": name, key: value}]


def write_context(path: Path, url: str, name: str = "fakeapi", namespace: str = "default") -> Path:
    config: dict[str, Any] = {}
    if path.exists():
        loaded = yaml.safe_load(path.read_text()) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{path} is not a kubeconfig (expected a mapping)")
        config = loaded
    config.setdefault("apiVersion", "v1")
    config.setdefault("kind", "Config")
    config.setdefault("preferences", {})
    config["clusters"] = _upsert(config.get("clusters") or [], name, "cluster", {"server": url})
    config["users"] = _upsert(config.get("users") or [], name, "user", {})
    config["contexts"] = _upsert(config.get("contexts") or [], name, "context",
                                 {"cluster": name, "user": name, "namespace": namespace})
    config["current-context"] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kubeconfig-")
    with os.fdopen(fd, "w") as out:
        yaml.safe_dump(config, out, sort_keys=False)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
