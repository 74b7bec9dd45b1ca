"""`fkubectl api-versions`: every served group/version, sorted, one per line."""

from __future__ import annotations

from fkubectl.errors import CommandError
from fkubectl.flags import Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "api-versions"
SHORT = 'Print the supported API versions on the server, in the form of "group/version"'
USAGE = "api-versions [options]"
LONG = 'Print the supported API versions on the server, in the form of "group/version".'
FLAGS: tuple[Flag, ...] = ()


def run(f: Factory, args: list[str], v: Values) -> int:
    if args:
        raise CommandError(f"Unexpected args: {args}")
    discovery = f.discovery()
    discovery.refresh()
    versions = sorted(f"{g}/{ver}" if g else ver for g, ver in discovery.group_versions(preferred_only=False))
    f.streams.out.write("".join(gv + "\n" for gv in versions))
    return 0
