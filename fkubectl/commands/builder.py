"""Resource arguments -> targets (kubectl's `resource.Builder` for command-line arguments).

Accepted forms: `TYPE[,TYPE...] [NAME...]` and `TYPE/NAME [TYPE/NAME...]`; a category such as `all`
expands to its resources. Mixing the forms is kubectl's usage error. Names are kept in argument order,
and for `TYPE1,TYPE2 NAME` every type is tried with every name, as kubectl does.
"""

from __future__ import annotations

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.client.mapper import RESTMapper
    from fkubectl.client.mapping import Mapping

SEPARATE_TYPE = ("there is no need to specify a resource type as a separate argument when passing arguments "
                 "in resource/name form (e.g. '{prog} get resource/<resource_name>' instead of "
                 "'{prog} get resource resource/<resource_name>'")


class Target:
    """One resource (a name) or collection (no name); `namespace` is set when it comes from a file."""

    __slots__ = ("mapping", "name", "namespace", "source")

    def __init__(self, mapping: Mapping, name: str = "", *, namespace: str = "") -> None:
        self.mapping = mapping
        self.name = name
        self.namespace = namespace
        self.source = ""

    def __repr__(self) -> str:
        return f"Target({self.mapping.resource}/{self.name})"


def split_args(args: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(types, names, [(type, name)]) without contacting the server."""
    if any("/" in a for a in args):
        pairs: list[tuple[str, str]] = []
        for arg in args:
            if "/" not in arg:
                from fkubectl.errors import PROG

                raise CommandError(SEPARATE_TYPE.format(prog=PROG))
            kind, _, name = arg.partition("/")
            if not name:
                raise CommandError("arguments in resource/name form must have a single resource and name")
            pairs.append((kind, name))
        return [], [], pairs
    if not args:
        return [], [], []
    types = [t for t in args[0].split(",") if t]
    return types, args[1:], []


def resolve(mapper: RESTMapper, args: list[str], *, allow_categories: bool = True) -> list[Target]:
    types, names, pairs = split_args(args)
    targets: list[Target] = []
    for kind, name in pairs:
        targets.append(Target(mapper.resolve(kind), name))
    for kind in types:
        mappings = mapper.expand(kind) if allow_categories else [mapper.resolve(kind)]
        if names:
            if len(mappings) > 1 or (mappings and mappings[0].resource != kind and kind in mappings[0].categories):
                raise CommandError("you must specify only one resource")
            targets.extend(Target(m, name) for m in mappings for name in names)
        else:
            targets.extend(Target(m) for m in mappings)
    return targets


def require_resources(args: list[str], *, filenames: list[str], selector: bool = False) -> None:
    if not args and not filenames:
        raise CommandError("You must provide one or more resources by argument or filename.")
