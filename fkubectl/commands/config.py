"""`fkubectl config ...`: read and edit kubeconfig files, with kubectl's messages and file rules.

Reads use the merged view (`config.kubeconfig.load`). Edits rewrite one file, as `clientcmd.ModifyConfig`
does: an existing entry in the file that defined it, a new entry in the default file, the current-context
in the first `$KUBECONFIG` file that sets one (else the default file). Files are written normalised (entries
sorted by name, empty fields dropped), exactly like kubectl rewrites them. `config view` redacts secrets
(`DATA+OMITTED`, `REDACTED`) unless `--raw`.
"""

from __future__ import annotations

import os

from fkubectl.config import kubeconfig as kc
from fkubectl.errors import PROG, CommandError, UsageError
from fkubectl.flags import BOOL, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "config"
SHORT = "Modify kubeconfig files"
USAGE = "config SUBCOMMAND [options]"
LONG = """Modify kubeconfig files using subcommands like "{prog} config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, ${{HOME}}/.kube/config is used and no merging takes place."""
SUBCOMMANDS = {
    "current-context": "fkubectl.commands.config:CurrentContext",
    "delete-context": "fkubectl.commands.config:DeleteContext",
    "get-clusters": "fkubectl.commands.config:GetClusters",
    "get-contexts": "fkubectl.commands.config:GetContexts",
    "get-users": "fkubectl.commands.config:GetUsers",
    "rename-context": "fkubectl.commands.config:RenameContext",
    "set-cluster": "fkubectl.commands.config:SetCluster",
    "set-context": "fkubectl.commands.config:SetContext",
    "set-credentials": "fkubectl.commands.config:SetCredentials",
    "use-context": "fkubectl.commands.config:UseContext",
    "view": "fkubectl.commands.config:View",
}
ALIASES = {"use": "use-context"}
FLAGS: tuple[Flag, ...] = ()


def run(f: Factory, args: list[str], v: Values) -> int:
    from fkubectl.app import command_help
    from fkubectl.commands import config as me

    if args:
        raise UsageError(f'unknown command "{args[0]}" for "{PROG} config"')
    f.streams.err.write(command_help(me, "config"))
    return 1


# -- file editing ---------------------------------------------------------------------------------
def _read(path: str) -> dict[str, Any]:
    if not os.path.exists(path):
        return {"apiVersion": "v1", "kind": "Config"}
    return kc.read_file(path)


def _normalised(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"apiVersion": doc.get("apiVersion") or "v1", "kind": doc.get("kind") or "Config"}
    if doc.get("preferences"):
        out["preferences"] = doc["preferences"]
    for plural, singular in kc.SECTIONS:
        entries = [e for e in doc.get(plural) or [] if isinstance(e, dict)]
        entries = [{"name": e.get("name", ""), singular: kc.ordered(singular, dict(e.get(singular) or {}))}
                   for e in sorted(entries, key=lambda e: str(e.get("name", "")))]
        out[plural] = entries or None
    out["current-context"] = doc.get("current-context") or ""
    if doc.get("extensions"):
        out["extensions"] = doc["extensions"]
    return out


def _write(path: str, doc: dict[str, Any]) -> None:
    kc.write_file(path, _normalised(doc))


def _set_entry(cfg: kc.Kubeconfig, plural: str, name: str, update: dict[str, Any]) -> bool:
    """Merge `update` into entry `name` (None deletes a field); returns True if the entry was created."""
    singular = dict(kc.SECTIONS)[plural]
    path = cfg.origin.get((plural, name)) or cfg.default_file()
    doc = _read(path)
    entries = doc.setdefault(plural, []) or []
    doc[plural] = entries
    for entry in entries:
        if entry.get("name") == name:
            body = dict(entry.get(singular) or {})
            created = False
            break
    else:
        entry, body, created = {"name": name}, {}, True
        entries.append(entry)
    for key, value in update.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    entry[singular] = body
    _write(path, doc)
    return created


def _current_context_file(cfg: kc.Kubeconfig) -> str:
    if cfg.explicit:
        return cfg.explicit
    for path in cfg.env:
        if os.path.exists(path) and _read(path).get("current-context"):
            return path
    return cfg.default_file()


def _set_current(cfg: kc.Kubeconfig, name: str) -> None:
    path = _current_context_file(cfg)
    doc = _read(path)
    doc["current-context"] = name
    _write(path, doc)


def _one_arg(args: list[str], what: str) -> str:
    if len(args) != 1:
        raise UsageError(f"Unexpected args: {args}" if args else f"{what} is required")
    return args[0]


# -- commands -------------------------------------------------------------------------------------
class CurrentContext:
    SHORT = "Display the current-context"
    USAGE = "config current-context [options]"
    FLAGS: tuple[Flag, ...] = ()

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        cfg = f.kubeconfig()
        if not cfg.current_context:
            raise CommandError("current-context is not set")
        f.streams.out.write(cfg.current_context + "\n")
        return 0


class UseContext:
    SHORT = "Set the current-context in a kubeconfig file"
    USAGE = "config use-context CONTEXT_NAME [options]"
    FLAGS: tuple[Flag, ...] = ()

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        name = _one_arg(args, "context name")
        cfg = f.kubeconfig()
        if name not in cfg.contexts:
            raise CommandError(f'no context exists with the name: "{name}"')
        _set_current(cfg, name)
        f.streams.out.write(f'Switched to context "{name}".\n')
        return 0


class GetContexts:
    SHORT = "Describe one or many contexts"
    USAGE = "config get-contexts [(-o|--output=)name)] [options]"
    FLAGS = (Flag("no-headers", BOOL, help="When using the default or custom-column output format, don't print "
                  "headers (default print headers)."),
             Flag("output", STRING, short="o", help="Output format. One of: (name)."))

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        from fkubectl.printers.tabwriter import format_lines

        cfg = f.kubeconfig()
        if v["output"] not in ("", "name"):
            raise CommandError(f"output must be one of '' or 'name': {v['output']}")
        missing = [n for n in args if n not in cfg.contexts]
        names = [n for n in args if n in cfg.contexts] if args else sorted(cfg.contexts)
        if v["output"] == "name":
            f.streams.out.write("".join(n + "\n" for n in names))
        else:
            lines = [] if v["no-headers"] else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
            for name in names:
                ctx = cfg.contexts[name]
                lines.append(["*" if name == cfg.current_context else "", name, str(ctx.get("cluster") or ""),
                              str(ctx.get("user") or ""), str(ctx.get("namespace") or "")])
            f.streams.out.write(format_lines(lines))
        if missing:
            raise CommandError(f"context {missing[0]} not found")
        return 0


class GetClusters:
    SHORT = "Display clusters defined in the kubeconfig"
    USAGE = "config get-clusters [options]"
    FLAGS: tuple[Flag, ...] = ()

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        f.streams.out.write("NAME\n" + "".join(n + "\n" for n in sorted(f.kubeconfig().clusters)))
        return 0


class GetUsers:
    SHORT = "Display users defined in the kubeconfig"
    USAGE = "config get-users [options]"
    FLAGS: tuple[Flag, ...] = ()

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        f.streams.out.write("NAME\n" + "".join(n + "\n" for n in sorted(f.kubeconfig().users)))
        return 0


class SetContext:
    SHORT = "Set a context entry in kubeconfig"
    USAGE = ("config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] "
             "[--namespace=namespace] [options]")
    FLAGS = (Flag("current", BOOL, help="Modify the current context"),)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        cfg = f.kubeconfig()
        if v["current"]:
            if args:
                raise UsageError("you cannot specify a context name and --current")
            if not cfg.current_context:
                raise CommandError("no current context is set")
            name = cfg.current_context
        else:
            name = _one_arg(args, "context name")
        update: dict[str, Any] = {key: v[key] for key in ("cluster", "user", "namespace") if key in v.changed}
        created = _set_entry(cfg, "contexts", name, update)
        f.streams.out.write(f'Context "{name}" {"created" if created else "modified"}.\n')
        return 0


class DeleteContext:
    SHORT = "Delete the specified context from the kubeconfig"
    USAGE = "config delete-context NAME [options]"
    FLAGS: tuple[Flag, ...] = ()

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        name = _one_arg(args, "context name")
        cfg = f.kubeconfig()
        if name not in cfg.contexts:
            raise CommandError(f"cannot delete context {name}, not in {cfg.default_file()}")
        path = cfg.origin[("contexts", name)]
        doc = _read(path)
        doc["contexts"] = [e for e in doc.get("contexts") or [] if e.get("name") != name]
        _write(path, doc)
        if cfg.current_context == name:
            f.streams.err.write("warning: this removed your active context, use \"kubectl config use-context\" "
                                "to select a different one\n")
        f.streams.out.write(f"deleted context {name} from {path}\n")
        return 0


class RenameContext:
    SHORT = "Rename a context from the kubeconfig file"
    USAGE = "config rename-context CONTEXT_NAME NEW_NAME [options]"
    FLAGS: tuple[Flag, ...] = ()

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        if len(args) != 2:
            raise UsageError("Unexpected args: " + str(args))
        old, new = args
        cfg = f.kubeconfig()
        if old not in cfg.contexts:
            raise CommandError(f"cannot rename the context {old!r}, it's not in {cfg.default_file()}")
        if new in cfg.contexts:
            raise CommandError(f"cannot rename the context {old!r}, the context {new!r} already exists in "
                               f"{cfg.default_file()}")
        path = cfg.origin[("contexts", old)]
        doc = _read(path)
        for entry in doc.get("contexts") or []:
            if entry.get("name") == old:
                entry["name"] = new
        if doc.get("current-context") == old:
            doc["current-context"] = new
        _write(path, doc)
        f.streams.out.write(f'Context "{old}" renamed to "{new}".\n')
        return 0


def _embed(path: str) -> str:
    import base64

    with open(path, "rb") as fh:
        return base64.b64encode(fh.read()).decode()


class SetCluster:
    SHORT = "Set a cluster entry in kubeconfig"
    USAGE = ("config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] "
             "[--insecure-skip-tls-verify=true] [--tls-server-name=example.com] [options]")
    FLAGS = (Flag("embed-certs", BOOL, help="embed-certs for the cluster entry in kubeconfig"),
             Flag("proxy-url", STRING, help="proxy-url for the cluster entry in kubeconfig"))

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        name = _one_arg(args, "cluster name")
        update: dict[str, Any] = {}
        if "server" in v.changed:
            update["server"] = v["server"]
        if "tls-server-name" in v.changed:
            update["tls-server-name"] = v["tls-server-name"]
        if "proxy-url" in v.changed:
            update["proxy-url"] = v["proxy-url"]
        if "insecure-skip-tls-verify" in v.changed:
            update["insecure-skip-tls-verify"] = v["insecure-skip-tls-verify"] or None
            if v["insecure-skip-tls-verify"]:
                update["certificate-authority"] = update["certificate-authority-data"] = None
        if "certificate-authority" in v.changed:
            ca = v["certificate-authority"]
            if v["embed-certs"]:
                update["certificate-authority-data"], update["certificate-authority"] = _embed(ca), None
            else:
                update["certificate-authority"] = os.path.abspath(ca)
            update["insecure-skip-tls-verify"] = None
        _set_entry(f.kubeconfig(), "clusters", name, update)
        f.streams.out.write(f'Cluster "{name}" set.\n')
        return 0


class SetCredentials:
    SHORT = "Set a user entry in kubeconfig"
    USAGE = ("config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] "
             "[--token=bearer_token] [--username=basic_user] [--password=basic_password] [options]")
    FLAGS = (Flag("embed-certs", BOOL, help="Embed client cert/key for the user entry in kubeconfig"),)

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        name = _one_arg(args, "user name")
        update: dict[str, Any] = {}
        for flag, key in (("token", "token"), ("username", "username"), ("password", "password")):
            if flag in v.changed:
                update[key] = v[flag] or None
        for flag in ("client-certificate", "client-key"):
            if flag in v.changed:
                if v["embed-certs"]:
                    update[f"{flag}-data"], update[flag] = _embed(v[flag]), None
                else:
                    update[flag] = os.path.abspath(v[flag])
        _set_entry(f.kubeconfig(), "users", name, update)
        f.streams.out.write(f'User "{name}" set.\n')
        return 0


class View:
    SHORT = "Display merged kubeconfig settings or a specified kubeconfig file"
    USAGE = "config view [flags] [options]"
    FLAGS = (Flag("flatten", BOOL, help="Flatten the resulting kubeconfig file into self-contained output "
                  "(useful for creating portable kubeconfig files)"),
             Flag("merge", BOOL, True, "Merge the full hierarchy of kubeconfig files"),
             Flag("minify", BOOL, help="Remove all information not used by current-context from the output"),
             Flag("output", STRING, "yaml", "Output format. One of: (json, yaml, name, jsonpath, ...).", short="o"),
             Flag("raw", BOOL, help="Display raw byte data and sensitive data"))

    @staticmethod
    def run(f: Factory, args: list[str], v: Values) -> int:
        cfg = f.kubeconfig()
        names = None
        if v["minify"]:
            context = f.options.context or cfg.current_context
            if not context:
                raise CommandError("current-context must exist in order to minify")
            if context not in cfg.contexts:
                raise CommandError(f"cannot locate context {context}")
            ctx = cfg.contexts[context]
            names = {"contexts": {context}, "clusters": {str(ctx.get("cluster") or "")},
                     "users": {str(ctx.get("user") or "")}}
        doc = kc.to_document(cfg, names=names)
        if v["minify"]:
            doc["current-context"] = f.options.context or cfg.current_context
        if v["flatten"]:
            _flatten(doc, cfg)
        elif not v["raw"]:
            _redact(doc)
        _print(f, doc, v["output"])
        return 0


def _flatten(doc: dict[str, Any], cfg: kc.Kubeconfig) -> None:
    for plural, fields in (("clusters", ("certificate-authority",)), ("users", ("client-certificate", "client-key"))):
        singular = dict(kc.SECTIONS)[plural]
        for entry in doc.get(plural) or []:
            body = entry[singular]
            base = cfg.section(plural)[entry["name"]].get("__dir__", "")
            for field in fields:
                if body.get(field):
                    path = os.path.join(base, body.pop(field))
                    body[f"{field}-data"] = _embed(path)


def _redact(doc: dict[str, Any]) -> None:
    for entry in doc.get("clusters") or []:
        if entry["cluster"].get("certificate-authority-data"):
            entry["cluster"]["certificate-authority-data"] = "DATA+OMITTED"
    for entry in doc.get("users") or []:
        user = entry["user"]
        for key in ("client-certificate-data", "client-key-data"):
            if user.get(key):
                user[key] = "DATA+OMITTED"
        for key in ("token", "password"):
            if user.get(key):
                user[key] = "REDACTED"


def _print(f: Factory, doc: dict[str, Any], output: str) -> None:
    out = f.streams.out
    if output in ("", "yaml"):
        from fkubectl.printers.yamlout import dump

        out.write(dump(doc))
    elif output == "json":
        import json

        out.write(json.dumps(doc, indent=4, ensure_ascii=False) + "\n")
    elif output.startswith(("jsonpath=", "jsonpath-as-json=")):
        from fkubectl.printers import jsonpath

        name, _, template = output.partition("=")
        out.write(jsonpath.execute(jsonpath.parse(template), doc, as_json=name == "jsonpath-as-json"))
    else:
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", allowed '
                           "formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml")
