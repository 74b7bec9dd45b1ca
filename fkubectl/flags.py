"""Command-line flags parsed the way kubectl's pflag does, with kubectl's error wording.

Why not Typer/Click: kubectl flags are interspersed with arguments (`get pods -n x`, `-n x get pods`),
accept `-ojson`, `-o=json`, `--flag value`, `--bool=false`, repeatable string slices (`-f a -f b`,
`-L a,b`) and fail with `error: unknown flag: --x`. Click's grammar and messages differ, and importing
Typer costs ~70 ms on every invocation, more than a whole `kubectl get pods`. This module is stdlib-only.

A command declares a tuple of `Flag`s; `parse(argv, flags)` returns (`Values`, positional args).
`help_text(flags)` renders the `Options:` section exactly in kubectl's layout.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

BOOL = "bool"
STRING = "string"
INT = "int"
SLICE = "slice"  # pflag StringSlice: repeatable and comma-split
ARRAY = "array"  # pflag StringArray: repeatable, never split


class FlagError(Exception):
    """A usage error: rendered as `error: <msg>` + `See '<cmd> --help' for usage.`"""


class Flag:
    __slots__ = ("name", "short", "kind", "default", "help", "no_opt", "hidden")

    def __init__(self, name: str, kind: str = STRING, default: object = None, help: str = "", *,
                 short: str = "", no_opt: str | None = None, hidden: bool = False) -> None:
        self.name = name
        self.short = short
        self.kind = kind
        if default is None:
            default = {BOOL: False, STRING: "", INT: 0, SLICE: [], ARRAY: []}[kind]
        self.default = default
        self.help = help
        self.no_opt = no_opt  # value used when a non-bool flag is given without one (pflag NoOptDefVal)
        self.hidden = hidden

    def default_repr(self) -> str:
        if self.kind == STRING:
            return f"'{self.default}'"
        if self.kind == BOOL:
            return "true" if self.default else "false"
        if self.kind in (SLICE, ARRAY):
            return "[" + ",".join(self.default) + "]"  # type: ignore[arg-type]
        return str(self.default)


class Values(dict):  # type: ignore[type-arg]
    """Flag values by flag name, plus which flags the user actually set."""

    def __init__(self) -> None:
        super().__init__()
        self.changed: set[str] = set()


def _parse_bool(flag: Flag, raw: str) -> bool:
    if raw in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if raw in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise FlagError(f'invalid argument "{raw}" for "{_display(flag)}" flag: '
                    f'strconv.ParseBool: parsing "{raw}": invalid syntax')


def _display(flag: Flag) -> str:
    return f"-{flag.short}, --{flag.name}" if flag.short else f"--{flag.name}"


def _set(values: Values, flag: Flag, raw: str) -> None:
    if flag.kind == BOOL:
        values[flag.name] = _parse_bool(flag, raw)
    elif flag.kind == INT:
        try:
            values[flag.name] = int(raw, 10)
        except ValueError:
            raise FlagError(f'invalid argument "{raw}" for "{_display(flag)}" flag: '
                            f'strconv.ParseInt: parsing "{raw}": invalid syntax') from None
    elif flag.kind in (SLICE, ARRAY):
        items = values[flag.name] if flag.name in values.changed else []
        items = items + (_split_csv(raw) if flag.kind == SLICE else [raw])
        values[flag.name] = items
    else:
        values[flag.name] = raw
    values.changed.add(flag.name)


def _split_csv(raw: str) -> list[str]:
    if raw == "":
        return []
    if '"' not in raw:
        return raw.split(",")
    import csv

    return next(csv.reader([raw]))


def parse(argv: Sequence[str], flags: Iterable[Flag]) -> tuple[Values, list[str]]:
    by_name: dict[str, Flag] = {}
    by_short: dict[str, Flag] = {}
    for flag in flags:
        by_name[flag.name] = flag
        if flag.short:
            by_short[flag.short] = flag
    values = Values()
    for flag in by_name.values():
        values[flag.name] = list(flag.default) if isinstance(flag.default, list) else flag.default
    args: list[str] = []
    i = 0
    n = len(argv)
    while i < n:
        token = argv[i]
        i += 1
        if token == "--":
            args.extend(argv[i:])
            break
        if token.startswith("--") and len(token) > 2:
            name, eq, raw = token[2:].partition("=")
            long_flag = by_name.get(name)
            if long_flag is None:
                raise FlagError(f"unknown flag: --{name}")
            flag = long_flag
            if eq:
                _set(values, flag, raw)
            elif flag.kind == BOOL:
                _set(values, flag, "true")
            elif flag.no_opt is not None:
                _set(values, flag, flag.no_opt)
            elif i < n:
                _set(values, flag, argv[i])
                i += 1
            else:
                raise FlagError(f"flag needs an argument: --{name}")
        elif token.startswith("-") and len(token) > 1:
            shorts = token[1:]
            while shorts:
                c, shorts = shorts[0], shorts[1:]
                short_flag = by_short.get(c)
                if short_flag is None:
                    raise FlagError(f"unknown shorthand flag: '{c}' in -{c}{shorts}")
                flag = short_flag
                if shorts.startswith("="):
                    _set(values, flag, shorts[1:])
                    break
                if flag.kind == BOOL:
                    _set(values, flag, "true")
                    continue
                if shorts:
                    _set(values, flag, shorts)
                elif flag.no_opt is not None:
                    _set(values, flag, flag.no_opt)
                elif i < n:
                    _set(values, flag, argv[i])
                    i += 1
                else:
                    raise FlagError(f"flag needs an argument: '{c}' in -{c}")
                break
        else:
            args.append(token)
    return values, args


def help_text(flags: Iterable[Flag]) -> str:
    """The `Options:` body as kubectl prints it: sorted by name, value shown as its default."""
    out: list[str] = []
    for flag in sorted(flags, key=lambda f: f.name):
        if flag.hidden:
            continue
        prefix = f"    -{flag.short}, --{flag.name}" if flag.short else f"    --{flag.name}"
        out.append(f"{prefix}={flag.default_repr()}:\n\t{flag.help}\n")
    return "\n".join(out)
