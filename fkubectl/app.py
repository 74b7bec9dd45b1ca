"""The root command: global flags, argv dispatch to one command module, help, errors rendered once.

`fkubectl.cli` is the console entry point; this is the "root app" it hands the argv to. It imports
nothing heavy: the verb is looked up in `COMMANDS` and only that command's module is imported. Typer and
Click are not used: importing them costs ~70 ms per invocation (a whole `kubectl get pods` takes
~50-60 ms), and their flag grammar and messages differ from kubectl's (see `flags.py`). httpx and PyYAML
are imported only by the code paths that need them.

A command module exposes `NAME`, `SHORT`, `USAGE`, `FLAGS`, `run(factory, args, values) -> int`, and
optionally `LONG`, `EXAMPLES` and `SUBCOMMANDS` (name -> module path) for verbs with sub-verbs
(`config view`, `rollout status`, `create namespace`). The hidden `__complete`/`__completeNoDesc` (cobra's
shell-completion protocol, used by the `completion` scripts) are handed to `fkubectl.complete` untouched.
"""

from __future__ import annotations

import sys
from importlib import import_module

from fkubectl.errors import PROG
from fkubectl.flags import BOOL, INT, STRING, Flag, help_text, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.config.clientconfig import GlobalOptions
    from fkubectl.flags import Values

GLOBAL_FLAGS = (
    Flag("kubeconfig", STRING, help="Path to the kubeconfig file to use for CLI requests."),
    Flag("context", STRING, help="The name of the kubeconfig context to use"),
    Flag("cluster", STRING, help="The name of the kubeconfig cluster to use"),
    Flag("user", STRING, help="The name of the kubeconfig user to use"),
    Flag("namespace", STRING, short="n", help="If present, the namespace scope for this CLI request"),
    Flag("server", STRING, short="s", help="The address and port of the Kubernetes API server"),
    Flag("token", STRING, help="Bearer token for authentication to the API server"),
    Flag("username", STRING, help="Username for basic authentication to the API server"),
    Flag("password", STRING, help="Password for basic authentication to the API server"),
    Flag("insecure-skip-tls-verify", BOOL, help="If true, the server's certificate will not be checked for "
         "validity. This will make your HTTPS connections insecure"),
    Flag("certificate-authority", STRING, help="Path to a cert file for the certificate authority"),
    Flag("client-certificate", STRING, help="Path to a client certificate file for TLS"),
    Flag("client-key", STRING, help="Path to a client key file for TLS"),
    Flag("tls-server-name", STRING, help="Server name to use for server certificate validation. If it is not "
         "provided, the hostname used to contact the server is used"),
    Flag("request-timeout", STRING, "0", "The length of time to wait before giving up on a single server "
         "request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero "
         "means don't timeout requests."),
    Flag("cache-dir", STRING, help="Default cache directory"),
    Flag("v", INT, short="v", help="number for the log level verbosity"),
    Flag("match-server-version", BOOL, help="Require server version to match client version"),
    Flag("warnings-as-errors", BOOL, help="Treat warnings received from the server as errors and exit with a "
         "non-zero exit code"),
    Flag("disable-compression", BOOL, help="If true, opt-out of response compression for all requests to the "
         "server"),
)

HELP = Flag("help", BOOL, short="h", help="help for the command")

# verb -> (module, short help, help group); the groups and their order are kubectl's.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "create": ("fkubectl.commands.create", "Create a resource from a file or from stdin",
               "Basic Commands (Beginner)"),
    "expose": ("fkubectl.commands.expose", "Take a replication controller, service, deployment or pod and expose it "
               "as a new Kubernetes service", "Basic Commands (Beginner)"),
    "run": ("fkubectl.commands.run", "Run a particular image on the cluster", "Basic Commands (Beginner)"),
    "set": ("fkubectl.commands.set", "Set specific features on objects", "Basic Commands (Beginner)"),
    "explain": ("fkubectl.commands.explain", "Get documentation for a resource", "Basic Commands (Intermediate)"),
    "get": ("fkubectl.commands.get", "Display one or many resources", "Basic Commands (Intermediate)"),
    "edit": ("fkubectl.commands.edit", "Edit a resource on the server", "Basic Commands (Intermediate)"),
    "delete": ("fkubectl.commands.delete", "Delete resources by file names, stdin, resources and names, or by "
               "resources and label selector", "Basic Commands (Intermediate)"),
    "rollout": ("fkubectl.commands.rollout", "Manage the rollout of a resource", "Deploy Commands"),
    "scale": ("fkubectl.commands.scale", "Set a new size for a deployment, replica set, or replication "
              "controller", "Deploy Commands"),
    "cluster-info": ("fkubectl.commands.cluster_info", "Display cluster information",
                     "Cluster Management Commands"),
    "describe": ("fkubectl.commands.describe", "Show details of a specific resource or group of resources",
                 "Troubleshooting and Debugging Commands"),
    "logs": ("fkubectl.commands.logs", "Print the logs for a container in a pod",
             "Troubleshooting and Debugging Commands"),
    "apply": ("fkubectl.commands.apply", "Apply a configuration to a resource by file name or stdin",
              "Advanced Commands"),
    "patch": ("fkubectl.commands.patch", "Update fields of a resource", "Advanced Commands"),
    "replace": ("fkubectl.commands.replace", "Replace a resource by file name or stdin", "Advanced Commands"),
    "wait": ("fkubectl.commands.wait", "Wait for a specific condition on one or many resources",
             "Advanced Commands"),
    "label": ("fkubectl.commands.label", "Update the labels on a resource", "Settings Commands"),
    "annotate": ("fkubectl.commands.annotate", "Update the annotations on a resource", "Settings Commands"),
    "completion": ("fkubectl.commands.completion", "Output shell completion code for the specified shell (bash, "
                   "zsh, or fish)", "Settings Commands"),
    "api-resources": ("fkubectl.commands.api_resources", "Print the supported API resources on the server",
                      "Other Commands"),
    "api-versions": ("fkubectl.commands.api_versions", "Print the supported API versions on the server, in the "
                     "form of \"group/version\"", "Other Commands"),
    "config": ("fkubectl.commands.config", "Modify kubeconfig files", "Other Commands"),
    "version": ("fkubectl.commands.version", "Print the client and server version information", "Other Commands"),
}

ROOT_HELP_HEAD = f"""{PROG} controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/
"""
ROOT_HELP_TAIL = f"""Usage:
  {PROG} [flags] [options]

Use "{PROG} <command> --help" for more information about a given command.
Use "{PROG} options" for a list of global command-line options (applies to all commands).
"""


def root_help() -> str:
    groups: dict[str, list[str]] = {}
    for name, (_, short, group) in COMMANDS.items():
        groups.setdefault(group, []).append(f"  {name:<15} {short}")
    body = "".join(f"\n{group}:\n" + "\n".join(lines) + "\n" for group, lines in groups.items())
    return f"{ROOT_HELP_HEAD}{body}\n{ROOT_HELP_TAIL}"


def options_help() -> str:
    return ("The following options can be passed to any command:\n\n" + help_text(GLOBAL_FLAGS) + "\n")


def command_help(module: Any, path: str) -> str:
    parts: list[str] = []
    long = getattr(module, "LONG", "") or getattr(module, "SHORT", "")
    parts.append(long.format(prog=PROG) + "\n")
    subs = getattr(module, "SUBCOMMANDS", None)
    if subs:
        width = max(len(n) for n in subs) + 2
        lines = [f"  {name:<{width - 2}}  {_short_of(mod)}" for name, mod in subs.items()]
        parts.append("Available Commands:\n" + "\n".join(lines) + "\n")
    examples = getattr(module, "EXAMPLES", "")
    if examples:
        parts.append("Examples:\n" + examples.format(prog=PROG) + "\n")
    flags = [fl for fl in getattr(module, "FLAGS", ()) if not fl.hidden]
    if flags:
        parts.append("Options:\n" + help_text(flags))
    usage = getattr(module, "USAGE", path)
    parts.append(f"Usage:\n  {PROG} {usage}\n")
    tail = f'Use "{PROG} options" for a list of global command-line options (applies to all commands).\n'
    if subs:
        tail = f'Use "{PROG} {path} <command> --help" for more information about a given command.\n' + tail
    parts.append(tail)
    return "\n".join(parts)


def _short_of(module_path: str) -> str:
    return str(getattr(load(module_path), "SHORT", ""))


def load(path: str) -> Any:
    """A command: a module path, or `module:Name` for one of several commands defined in one module."""
    module, _, attr = path.partition(":")
    loaded = import_module(module)
    return getattr(loaded, attr) if attr else loaded


def _positionals(argv: list[str], flags: tuple[Flag, ...]) -> list[tuple[int, str]]:
    """(index, token) of tokens that are not flags or flag values, stopping at `--`."""
    takes_value = {f"--{fl.name}" for fl in flags if fl.kind != BOOL and fl.no_opt is None}
    takes_value |= {f"-{fl.short}" for fl in flags if fl.short and fl.kind != BOOL and fl.no_opt is None}
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            break
        if token.startswith("-") and len(token) > 1:
            if token in takes_value:
                i += 1
        else:
            out.append((i, token))
        i += 1
    return out


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _unknown_command(verb: str) -> str:
    suggestions = [name for name in COMMANDS
                   if _levenshtein(verb.lower(), name.lower()) <= 2 or name.lower().startswith(verb.lower())]
    text = f'unknown command "{verb}" for "{PROG}"'
    if suggestions:
        text += "\n\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
    return text


def _global_options(values: Values) -> GlobalOptions:
    from fkubectl.config.clientconfig import GlobalOptions

    return GlobalOptions(kubeconfig=values["kubeconfig"], context=values["context"], cluster=values["cluster"],
                         user=values["user"], namespace=values["namespace"], server=values["server"],
                         token=values["token"], username=values["username"], password=values["password"],
                         insecure_skip_tls_verify=values["insecure-skip-tls-verify"],
                         certificate_authority=values["certificate-authority"],
                         client_certificate=values["client-certificate"], client_key=values["client-key"],
                         tls_server_name=values["tls-server-name"], request_timeout=values["request-timeout"],
                         cache_dir=values["cache-dir"], verbosity=values["v"])


def main(argv: list[str] | None = None, *, streams: Any = None, environ: Any = None, transport: Any = None) -> int:
    """Run one command; returns the exit code. `streams`, `environ` and `transport` are for tests."""
    from fkubectl.factory import IOStreams

    argv = list(sys.argv[1:] if argv is None else argv)
    streams = streams or IOStreams()
    if argv and argv[0] in ("__complete", "__completeNoDesc"):
        from fkubectl.complete import main as complete

        return complete(argv[1:], streams=streams, environ=environ, transport=transport,
                        descriptions=argv[0] == "__complete")
    path = ""
    factory = None
    try:
        positionals = _positionals(argv, GLOBAL_FLAGS)
        if not positionals:
            parse(argv, GLOBAL_FLAGS + (HELP,))
            streams.out.write(root_help())
            return 0
        index, verb = positionals[0]
        if verb == "options":
            streams.out.write(options_help())
            return 0
        if verb == "help":
            rest = [t for _, t in positionals[1:]]
            argv, index, verb = rest + ["--help"], 0, rest[0] if rest else ""
            if not verb:
                streams.out.write(root_help())
                return 0
        if verb not in COMMANDS:
            streams.err.write(f"error: {_unknown_command(verb)}\n")
            return 1
        module = load(COMMANDS[verb][0])
        path = verb
        rest_argv = argv[:index] + argv[index + 1:]
        while getattr(module, "SUBCOMMANDS", None):
            flags = GLOBAL_FLAGS + tuple(getattr(module, "FLAGS", ()))
            sub = _positionals(rest_argv, flags)
            name = getattr(module, "ALIASES", {}).get(sub[0][1], sub[0][1]) if sub else ""
            if name not in module.SUBCOMMANDS:
                break
            i = sub[0][0]
            module = load(module.SUBCOMMANDS[name])
            path = f"{path} {name}"
            rest_argv = rest_argv[:i] + rest_argv[i + 1:]
        flags = GLOBAL_FLAGS + tuple(getattr(module, "FLAGS", ())) + (HELP,)
        values, args = parse(rest_argv, flags)
        if values["help"]:
            streams.out.write(command_help(module, path))
            return 0
        from fkubectl.factory import Factory

        factory = Factory(_global_options(values), streams, environ=environ, transport=transport)
        return int(module.run(factory, args, values) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure is rendered in one place
        return _fail(streams, exc, path)
    finally:
        if factory is not None:
            factory.close()


def _fail(streams: Any, exc: BaseException, path: str) -> int:
    from fkubectl.errors import Exit, render

    text = render(exc, command=path)
    if text:
        streams.err.write(text)
    return exc.code if isinstance(exc, Exit) else 1

