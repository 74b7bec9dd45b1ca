"""`fkubectl version`: client and server versions (`GET /version`), with kubectl's skew warning.

fkubectl reports itself as `v1.37.0-fkubectl.<version>`: the kubectl release whose behaviour it follows,
tagged so that nobody mistakes it for kubectl.
"""

from __future__ import annotations

from fkubectl._version import VERSION as __version__
from fkubectl.client import request as rq
from fkubectl.errors import CommandError
from fkubectl.flags import BOOL, STRING, Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.factory import Factory
    from fkubectl.flags import Values

NAME = "version"
SHORT = "Print the client and server version information"
USAGE = "version [flags] [options]"
LONG = "Print the client and server version information for the current context."
EXAMPLES = """  # Print the client and server versions for the current context
  {prog} version"""
FLAGS = (
    Flag("client", BOOL, help="If true, shows client version only (no server required)."),
    Flag("output", STRING, short="o", help="One of 'yaml' or 'json'."),
)
CLIENT = {"major": "1", "minor": "37", "gitVersion": f"v1.37.0-fkubectl.{__version__}", "gitCommit": "",
          "gitTreeState": "", "buildDate": "", "goVersion": "", "compiler": "cpython", "platform": ""}


def _client_info() -> dict[str, Any]:
    import platform
    import sys

    info = dict(CLIENT)
    info["goVersion"] = f"python{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    info["platform"] = f"{platform.system().lower()}/{platform.machine().lower().replace('x86_64', 'amd64')}"
    return info


def run(f: Factory, args: list[str], v: Values) -> int:
    if args:
        raise CommandError(f"Unexpected args: {args}")
    output = v["output"]
    if output not in ("", "json", "yaml"):
        raise CommandError("--output must be 'yaml' or 'json'")
    doc: dict[str, Any] = {"clientVersion": _client_info()}
    server: dict[str, Any] | None = None
    error: BaseException | None = None
    if not v["client"]:
        try:
            server = f.client().json(rq.raw_request("GET", "/version"))
            doc["serverVersion"] = server
        except Exception as exc:  # noqa: BLE001 - printed after what could be printed, like kubectl
            error = exc
    out = f.streams.out
    if output == "json":
        from fkubectl.printers.gofmt import go_json

        out.write(go_json(doc, indent=2, sort_keys=False) + "\n")
    elif output == "yaml":
        from fkubectl.printers.yamlout import dump

        out.write(dump(doc))
    else:
        out.write(f"Client Version: {doc['clientVersion']['gitVersion']}\n")
        if server is not None:
            out.write(f"Server Version: {server.get('gitVersion', '')}\n")
    if server is not None:
        _skew_warning(f, server)
    if error is not None:
        raise error
    return 0


def _skew_warning(f: Factory, server: dict[str, Any]) -> None:
    try:
        server_minor = int(str(server.get("minor", "")).rstrip("+"))
    except ValueError:
        return
    client_minor = int(CLIENT["minor"])
    if abs(client_minor - server_minor) > 1:
        f.streams.err.write(f"WARNING: version difference between client (1.{client_minor}) and server "
                            f"({server.get('major', '1')}.{server_minor}) exceeds the supported minor version skew "
                            "of +/-1\n")
