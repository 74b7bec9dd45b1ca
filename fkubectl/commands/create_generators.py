"""`create namespace|configmap|secret generic|deployment`: kubectl's generators, sent as JSON.

Objects are built in the Go struct field order kubectl's typed objects have, so `--dry-run=client -o json`
prints them as kubectl does; `metadata.namespace` is set only when `-n` was given, as kubectl does.
"""

from __future__ import annotations

import os

from fkubectl.commands.create import send
from fkubectl.commands.mutate import DRY_RUN, OUTPUT, SHOW_MANAGED, VALIDATE
from fkubectl.errors import PROG, CommandError
from fkubectl.flags import ARRAY, BOOL, INT, SLICE, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

COMMON = (DRY_RUN, OUTPUT, SHOW_MANAGED, VALIDATE,
          Flag("save-config", BOOL, help="If true, the configuration of current object will be saved in its "
               "annotation."),
          Flag("field-manager", STRING, "kubectl-create", "Name of the manager used to track field ownership."))


def _one_name(args: list[str], path: str) -> str:
    if len(args) != 1:
        raise CommandError(f"exactly one NAME is required, got {len(args)}\n"
                           f"See '{PROG} {path} -h' for help and examples")
    return args[0]


def _metadata(f: Factory, name: str, *, namespaced: bool = True,
              labels: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespaced and f.explicit_namespace:
        meta["namespace"] = f.namespace
    if labels:
        meta["labels"] = labels
    return meta


class Namespace:
    SHORT = "Create a namespace with the specified name"
    USAGE = "create namespace NAME [--dry-run=server|client|none] [options]"
    FLAGS = COMMON

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        name = _one_name(args, "create namespace")
        obj = {"kind": "Namespace", "apiVersion": "v1", "metadata": _metadata(f, name, namespaced=False),
               "spec": {}, "status": {}}
        return send(f, v, f.mapper().resolve("namespaces"), "", obj)


def _read_text(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CommandError(f"error reading {path}: no such file or directory") from None


def _file_sources(sources: list[str]) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for source in sources:
        key, eq, path = source.partition("=")
        if not eq:
            key, path = "", source
        if os.path.isdir(path) and not key:
            for entry in sorted(os.listdir(path)):
                full = os.path.join(path, entry)
                if os.path.isfile(full):
                    out.append((entry, _read_text(full)))
            continue
        out.append((key or os.path.basename(path), _read_text(path)))
    return out


def _literal_sources(sources: list[str]) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for source in sources:
        key, eq, value = source.partition("=")
        if not eq or not key:
            raise CommandError(f'invalid literal source {source}, expected key=value')
        out.append((key, value.encode()))
    return out


def _env_sources(paths: list[str]) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for path in paths:
        for line in _read_text(path).decode().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, eq, value = line.partition("=")
            out.append((key, value.encode() if eq else os.environ.get(key, "").encode()))
    return out


def _data_sources(v: Values) -> list[tuple[str, bytes]]:
    if v["from-env-file"] and (v["from-file"] or v["from-literal"]):
        raise CommandError("from-env-file cannot be combined with from-file or from-literal")
    items = _file_sources(v["from-file"]) + _literal_sources(v["from-literal"]) + _env_sources(v["from-env-file"])
    seen: set[str] = set()
    for key, _ in items:
        if key in seen:
            raise CommandError(f"cannot add key {key}, another key by that name already exists")
        seen.add(key)
    return items


DATA_FLAGS = (
    Flag("from-file", SLICE, help="Key file can be specified using its file path, in which case file basename "
         "will be used as the key, or optionally with a key and file path, in which case the given key will be "
         "used."),
    Flag("from-literal", ARRAY, help="Specify a key and literal value to insert (i.e. mykey=somevalue)"),
    Flag("from-env-file", ARRAY, help="Specify the path to a file to read lines of key=val pairs."),
    Flag("append-hash", BOOL, help="Append a hash of the data to its name."),
)


def _hash_suffix(obj: dict[str, Any]) -> str:
    import hashlib
    import json

    encoded = json.dumps({k: obj[k] for k in ("kind", "name", "type", "data", "binaryData") if k in obj},
                         sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(encoded.encode()).hexdigest()
    return "".join({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"}.get(c, c) for c in digest[:10])


class ConfigMap:
    SHORT = "Create a config map from a local file, directory or literal value"
    USAGE = ("create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|"
             "client|none] [options]")
    FLAGS = COMMON + DATA_FLAGS

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        name = _one_name(args, "create configmap")
        data: dict[str, str] = {}
        binary: dict[str, str] = {}
        for key, raw in _data_sources(v):
            try:
                data[key] = raw.decode("utf-8")
            except UnicodeDecodeError:
                import base64

                binary[key] = base64.b64encode(raw).decode()
        obj: dict[str, Any] = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": _metadata(f, name)}
        if data:
            obj["data"] = data
        if binary:
            obj["binaryData"] = binary
        if v["append-hash"]:
            obj["metadata"]["name"] = f"{name}-{_hash_suffix({'kind': 'ConfigMap', 'name': name, **obj})}"
        return send(f, v, f.mapper().resolve("configmaps"), f.namespace, obj)


class Secret:
    SHORT = "Create a secret using a specified subcommand"
    USAGE = "create secret (docker-registry | generic | tls) [options]"
    FLAGS: tuple[Flag, ...] = ()
    SUBCOMMANDS = {"generic": "fkubectl.commands.create_generators:SecretGeneric"}

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        from fkubectl.app import command_help

        f.streams.err.write(command_help(Secret, "create secret"))
        return 1


class SecretGeneric:
    SHORT = "Create a secret from a local file, directory, or literal value"
    USAGE = ("create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] "
             "[--dry-run=server|client|none] [options]")
    FLAGS = COMMON + DATA_FLAGS + (Flag("type", STRING, help="The type of secret to create"),)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        import base64

        name = _one_name(args, "create secret generic")
        data = {key: base64.b64encode(raw).decode() for key, raw in _data_sources(v)}
        obj: dict[str, Any] = {"kind": "Secret", "apiVersion": "v1", "metadata": _metadata(f, name)}
        if data:
            obj["data"] = data
        if v["type"]:
            obj["type"] = v["type"]
        if v["append-hash"]:
            obj["metadata"]["name"] = f"{name}-{_hash_suffix({'kind': 'Secret', 'name': name, **obj})}"
        return send(f, v, f.mapper().resolve("secrets"), f.namespace, obj)


def _container_name(image: str, taken: set[str]) -> str:
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0].replace("_", "-")
    if name in taken:
        import random

        name = f"{name}-{''.join(random.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}"
    taken.add(name)
    return name


class Deployment:
    SHORT = "Create a deployment with the specified name"
    USAGE = "create deployment NAME --image=image -- [COMMAND] [args...] [options]"
    FLAGS = COMMON + (
        Flag("image", SLICE, help="Image names to run. A deployment can have multiple images set for multi-container "
             "pod."),
        Flag("port", INT, -1, "The containerPort that this deployment exposes."),
        Flag("replicas", INT, 1, "Number of replicas to create. Default is 1."),
    )

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        if not args:
            raise CommandError(f"exactly one NAME is required, got 0\nSee '{PROG} create deployment -h' for help and "
                               "examples")
        name, command = args[0], args[1:]
        if not v["image"]:
            raise CommandError('required flag(s) "image" not set')
        labels = {"app": name}
        taken: set[str] = set()
        containers: list[dict[str, Any]] = []
        for image in v["image"]:
            container: dict[str, Any] = {"name": _container_name(image, taken), "image": image}
            if command:
                container["command"] = command
            container["resources"] = {}
            containers.append(container)
        if v["port"] >= 0:
            first = containers[0]
            containers[0] = {"name": first["name"], "image": first["image"],
                             **({"command": first["command"]} if "command" in first else {}),
                             "ports": [{"containerPort": v["port"]}], "resources": {}}
        obj = {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": _metadata(f, name, labels=labels),
               "spec": {"replicas": v["replicas"], "selector": {"matchLabels": dict(labels)},
                        "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
                        "strategy": {}},
               "status": {}}
        return send(f, v, f.mapper().resolve("deployments.apps"), f.namespace, obj)
