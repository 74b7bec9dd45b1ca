"""`fkubectl __complete <words...> <partial>`: the completion engine behind `fkubectl completion <shell>`.

The protocol is cobra's (what `kubectl __complete` speaks), so the scripts stay thin and any cobra-aware
tooling works: the last argument is the word being completed (`''` for a fresh word), the ones before it
the words already typed after the program name. Output: one candidate per line (`candidate<TAB>description`
for commands and flags; `__completeNoDesc` leaves descriptions out), then `:<directive>`, a bit set:
1 error, 2 no space after the candidate, 4 no file completion, 8 the candidates are file extensions to
filter on, 16 directories only, 32 keep the order. stdout carries nothing else; a failure (server down,
unknown type, bad kubeconfig) yields no candidates, never an error message.

What completes, following kubectl's completion functions (`kubectl/pkg/util/completion`):
- command names, subcommands (`rollout status`, `config use-context`, aliases included), and flags of the
  command being typed (a flag already given is offered again only when it is repeatable);
- flag values: `-n` namespaces, `--context`/`--cluster`/`--user` kubeconfig entries, `-o` the formats that
  command's flag help lists (also `-ojs` -> `-ojson`), `-f` json/yaml files, `--cache-dir` directories;
- resource types from the (cached) discovery, as `api-resources -o name` prints them (`pods`,
  `deployments.apps`); a partial word also matches short names and completes to the type (`svc` ->
  `services`). Then object names of that type in the namespace (`-n`, else the context's; `-A` lists every
  namespace), `TYPE/NAME` and `TYPE1,TYPE2` forms, names already typed left out;
- per command the type set kubectl allows (`scale`, `rollout ...`, `expose`, `set image`), pod names and
  containers for `logs`, contexts for `config use-context` and friends, shells for `completion`.

Requests time out after 5 s unless `--request-timeout` is given, so a dead server never hangs the shell.
This module is loaded only for `__complete`; nothing on the command paths imports it.
"""

from __future__ import annotations

import re

from fkubectl.app import COMMANDS, GLOBAL_FLAGS, HELP, _global_options, load
from fkubectl.flags import ARRAY, BOOL, SLICE, Flag, FlagError, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

ERROR = 1
NO_SPACE = 2
NO_FILE = 4
FILE_EXT = 8
DIRS = 16
KEEP_ORDER = 32

SHELLS = ("bash", "zsh", "fish")
EXTRA_COMMANDS = {"help": "Help about any command", "options": "Print the list of flags inherited by all commands"}
LOG_TYPES = ("daemonsets", "deployments", "pods", "jobs", "replicasets", "replicationcontrollers", "services",
             "statefulsets")
ROLLOUT_TYPES = ("deployment", "daemonset", "statefulset")
METADATA_ACCEPT = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"
# command path -> (argument kind, allowed resource types or None for all, names may repeat)
ARGS: dict[str, tuple[str, tuple[str, ...] | None, bool]] = {
    **{verb: ("resource", None, True) for verb in ("get", "describe", "delete", "label", "annotate", "edit",
                                                   "patch", "wait")},
    "scale": ("resource", ("deployment", "replicaset", "replicationcontroller", "statefulset"), True),
    "expose": ("resource", ("pod", "service", "replicationcontroller", "deployment", "replicaset"), False),
    "set image": ("resource", ("daemonsets", "deployments", "pods", "cronjobs", "replicasets",
                               "replicationcontrollers", "statefulsets"), False),
    **{f"rollout {sub}": ("resource", ROLLOUT_TYPES, False)
       for sub in ("history", "pause", "restart", "resume", "status", "undo")},
    "explain": ("types", None, False),
    "logs": ("pod", None, False),
    **{f"config {sub}": ("context", None, False)
       for sub in ("use-context", "delete-context", "rename-context", "set-context")},
    "completion": ("shell", None, False),
    "help": ("command", None, False),
}
_FORMATS = re.compile(r"(?:One of:|Valid values are:)\s*\(([^)]*)\)")
_QUOTED = re.compile(r"'([\w-]+)'")


class Completions:
    def __init__(self, items: list[str] | None = None, directive: int = NO_FILE) -> None:
        self.items = items or []
        self.directive = directive


class Line:
    """What was typed: the command reached, its flags, positional arguments, flag values seen."""

    def __init__(self) -> None:
        self.path: list[str] = []
        self.module: Any = None
        self.flags: tuple[Flag, ...] = GLOBAL_FLAGS + (HELP,)
        self.args: list[str] = []
        self.flag_tokens: list[str] = []
        self.pending: Flag | None = None  # the last word is a flag still waiting for its value
        self.unknown = False
        self.dashdash = False

    @property
    def name(self) -> str:
        return " ".join(self.path)

    def flag(self, *, long: str = "", short: str = "") -> Flag | None:
        for fl in self.flags:
            if (long and fl.name == long) or (short and fl.short == short):
                return fl
        return None

    def enter(self, name: str, module: Any) -> None:
        self.path.append(name)
        self.module = module
        self.flags = GLOBAL_FLAGS + tuple(getattr(module, "FLAGS", ())) + (HELP,)

    def values(self) -> Values:
        try:
            return parse(self.flag_tokens, self.flags)[0]
        except FlagError:
            return parse([], self.flags)[0]


def takes_value(flag: Flag) -> bool:
    return flag.kind != BOOL and flag.no_opt is None


def read_line(words: list[str]) -> Line:
    line = Line()
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        i += 1
        if line.dashdash or word == "-" or not word.startswith("-"):
            if not line.dashdash and not line.args and not line.unknown and _descend(line, word):
                continue
            line.args.append(word)
            continue
        if word == "--":
            line.dashdash = True
            continue
        flag, inline = _flag_of(line, word)
        if flag is None:
            continue
        if inline is None and takes_value(flag):
            if i < n:
                line.flag_tokens += [word, words[i]]
                i += 1
            else:
                line.pending = flag
        else:
            line.flag_tokens.append(word)
    return line


def _descend(line: Line, word: str) -> bool:
    if line.module is None and not line.path:
        if word in COMMANDS:
            line.enter(word, load(COMMANDS[word][0]))
        elif word in EXTRA_COMMANDS:
            line.path.append(word)
            line.flags = GLOBAL_FLAGS + (HELP,)
        else:
            line.unknown = True
            return False
        return True
    subs = getattr(line.module, "SUBCOMMANDS", None)
    if not subs:
        return False
    name = getattr(line.module, "ALIASES", {}).get(word, word)
    if name not in subs:
        return False
    line.enter(name, load(subs[name]))
    return True


def _flag_of(line: Line, word: str) -> tuple[Flag | None, str | None]:
    """The flag a word sets and its inline value (`--a=b`, `-ab`, `-a=b`); None when it takes the next word."""
    if word.startswith("--"):
        name, eq, raw = word[2:].partition("=")
        return line.flag(long=name), raw if eq else None
    shorts = word[1:]
    while shorts:
        flag = line.flag(short=shorts[0])
        rest = shorts[1:]
        if flag is None:
            return None, None
        if flag.kind != BOOL:
            return flag, (rest[1:] if rest.startswith("=") else rest) if rest else None
        if not rest or rest.startswith("="):
            return flag, rest[1:] if rest else None
        shorts = rest
    return None, None


def complete(f: Factory, line: Line, partial: str) -> Completions:
    if line.pending is not None:
        return flag_values(f, line, line.pending, partial)
    if partial.startswith("-") and not line.dashdash:
        return flag_or_value(f, line, partial)
    if line.unknown:
        return Completions([], 0)
    if line.module is None and not line.path:
        return Completions(command_names(partial))
    subs = getattr(line.module, "SUBCOMMANDS", None)
    spec = ARGS.get(line.name)
    if subs and not line.args and spec is None:
        return Completions(subcommand_names(line.module, partial))
    if spec is None:
        return Completions([], 0)
    kind, allowed, repeat = spec
    if kind == "resource":
        return type_and_name(f, line, partial, allowed, repeat)
    if kind == "types":
        return Completions(resource_types(f, partial) if not line.args else [])
    if kind == "pod":
        return pod_and_container(f, line, partial)
    if kind == "context" and not line.args:
        return Completions(_prefixed(sorted(f.kubeconfig().contexts), partial))
    if kind == "shell" and not line.args:
        return Completions(_prefixed(list(SHELLS), partial))
    if kind == "command" and not line.args:
        return Completions(command_names(partial))
    return Completions()


def flag_or_value(f: Factory, line: Line, partial: str) -> Completions:
    if partial.startswith("--") and "=" in partial:
        flag = line.flag(long=partial[2:].partition("=")[0])
        if flag is not None and flag.kind != BOOL:
            return flag_values(f, line, flag, partial.partition("=")[2])
        return Completions()
    if not partial.startswith("--") and len(partial) > 2:
        flag = line.flag(short=partial[1])
        if flag is not None and takes_value(flag):
            value = partial[2:]
            if value.startswith("="):
                return flag_values(f, line, flag, value[1:])
            found = flag_values(f, line, flag, value)
            if found.directive & (FILE_EXT | DIRS) or not found.items:
                return Completions()
            found.items = [partial[:2] + item for item in found.items]
            return found
    return Completions(flag_names(line, partial))


def flag_names(line: Line, partial: str) -> list[str]:
    given = line.values().changed
    out: list[str] = []
    for flag in sorted(line.flags, key=lambda fl: fl.name):
        if flag.hidden or (flag.name in given and flag.kind not in (SLICE, ARRAY)):
            continue
        for name in (f"--{flag.name}", f"-{flag.short}" if flag.short else ""):
            if name and name.startswith(partial):
                out.append(f"{name}\t{flag.help}")
    return out


def flag_values(f: Factory, line: Line, flag: Flag, partial: str) -> Completions:
    name = flag.name
    if name == "namespace":
        return Completions(_prefixed(namespaces(f), partial))
    if name in ("context", "cluster", "user"):
        section = {"context": "contexts", "cluster": "clusters", "user": "users"}[name]
        return Completions(_prefixed(sorted(f.kubeconfig().section(section)), partial))
    if name == "output":
        found = _FORMATS.search(flag.help)
        formats = ([w.strip() for w in found.group(1).split(",") if w.strip() and w.strip() != "..."] if found
                   else _QUOTED.findall(flag.help))
        return Completions(_prefixed(formats, partial)) if formats else Completions([], 0)
    if name == "filename":
        return Completions(["json", "yaml", "yml"], FILE_EXT)
    if name == "cache-dir":
        return Completions([], DIRS)
    if name == "container" and line.name == "logs" and line.args:
        return Completions(_prefixed(containers(f, line.args[0]), partial))
    return Completions([], 0)


def command_names(partial: str) -> list[str]:
    named = {name: short for name, (_, short, _) in COMMANDS.items()} | EXTRA_COMMANDS
    return [f"{name}\t{short}" for name, short in sorted(named.items()) if name.startswith(partial)]


def subcommand_names(module: Any, partial: str) -> list[str]:
    return [f"{name}\t{getattr(load(path), 'SHORT', '')}" for name, path in sorted(module.SUBCOMMANDS.items())
            if name.startswith(partial)]


def type_and_name(f: Factory, line: Line, partial: str, allowed: tuple[str, ...] | None,
                  repeat: bool) -> Completions:
    """kubectl's `resourceTypeAndNameCompletionFunc`."""
    args = line.args
    if args and "/" not in args[0]:
        if len(args) > 1 and not repeat:
            return Completions()
        return Completions([n for n in names(f, line, args[0], partial) if n not in args[1:]])
    if "/" not in partial:
        types = resource_types(f, partial) if allowed is None else _prefixed(list(allowed), partial)
        if not args:
            return Completions(types)
        if repeat:
            return Completions([f"{t}/" for t in types], NO_FILE | NO_SPACE)
        return Completions()
    if args and not repeat:
        return Completions()
    kind, _, prefix = partial.partition("/")
    return Completions([f"{kind}/{n}" for n in names(f, line, kind, prefix)])


def pod_and_container(f: Factory, line: Line, partial: str) -> Completions:
    """kubectl's `PodResourceNameCompletionFunc` plus containers for the second argument."""
    if len(line.args) == 1:
        return Completions(_prefixed(containers(f, line.args[0]), partial))
    if line.args:
        return Completions()
    if "/" in partial:
        kind, _, prefix = partial.partition("/")
        return Completions([f"{kind}/{n}" for n in names(f, line, kind, prefix)])
    pods = names(f, line, "pods", partial)
    types = [f"{t}/" for t in LOG_TYPES if t.startswith(partial)]
    return Completions(pods + types, NO_FILE | (NO_SPACE if types and not pods else 0))


def resource_types(f: Factory, partial: str) -> list[str]:
    """`api-resources -o name --verbs=get --cached`, filtered on the name or a short name."""
    mappings = sorted((m for m in f.discovery().mappings() if "get" in m.verbs), key=lambda m: (m.group, m.resource))
    return [m.group_resource for m in mappings
            if m.group_resource.startswith(partial) or (partial and any(s.startswith(partial) for s in m.short_names))]


def names(f: Factory, line: Line, types: str, partial: str) -> list[str]:
    from fkubectl.client import request as rq

    all_namespaces = bool(line.values().get("all-namespaces"))
    out: list[str] = []
    for word in types.split(","):
        if not word:
            continue
        try:
            mapping = f.mapper().resolve(word)
        except Exception:  # noqa: BLE001 - an unknown type completes to nothing
            continue
        namespace = f.namespace if mapping.namespaced and not all_namespaces else ""
        cont = ""
        while True:
            request = rq.list_request(mapping, namespace, cont=cont)
            request.headers = {"Accept": METADATA_ACCEPT}
            page = f.client().json(request) or {}
            for item in page.get("items") or []:
                name = str((item.get("metadata") or {}).get("name", ""))
                if name.startswith(partial) and name not in out:
                    out.append(name)
            cont = (page.get("metadata") or {}).get("continue") or ""
            if not cont:
                break
    return out


def namespaces(f: Factory) -> list[str]:
    from fkubectl.client import request as rq
    from fkubectl.client.mapping import Mapping

    page = f.client().json(rq.list_request(Mapping("", "v1", "namespaces", "Namespace", False), limit=0)) or {}
    return [str((item.get("metadata") or {}).get("name", "")) for item in page.get("items") or []]


def containers(f: Factory, pod: str) -> list[str]:
    from fkubectl.client import request as rq
    from fkubectl.client.mapping import Mapping

    if "/" in pod:
        kind, _, pod = pod.partition("/")
        if kind not in ("pod", "pods", "po"):
            return []
    mapping = Mapping("", "v1", "pods", "Pod", True)
    obj = f.client().json(rq.get_request(mapping, f.namespace, pod)) or {}
    spec = obj.get("spec") or {}
    return [str(c.get("name", "")) for key in ("initContainers", "containers") for c in spec.get(key) or []]


def _prefixed(items: list[str], partial: str) -> list[str]:
    return [item for item in items if item.startswith(partial)]


def main(words: list[str], *, streams: Any, environ: Any = None, transport: Any = None,
         descriptions: bool = True) -> int:
    """Print the candidates for `words` (the last one is the partial word) and the directive line."""
    from fkubectl.factory import Factory

    *typed, partial = words or [""]
    line = read_line(typed)
    values = line.values()
    if "request-timeout" not in values.changed:
        values["request-timeout"] = "5s"
    factory = Factory(_global_options(values), streams, environ=environ, transport=transport)
    try:
        result = complete(factory, line, partial)
    except Exception:  # noqa: BLE001 - completion never prints an error into the user's prompt
        result = Completions([], NO_FILE)
    finally:
        factory.close()
    out = "".join((item if descriptions else item.partition("\t")[0]) + "\n" for item in result.items)
    streams.out.write(f"{out}:{result.directive}\n")
    return 0
