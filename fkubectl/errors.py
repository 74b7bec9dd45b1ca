"""Every failure becomes text on stderr and an exit code here, and only here (kubectl's `cmdutil.CheckErr`).

Commands raise; `render(exc)` turns the exception into kubectl's exact wording:
- `ApiError` -> `Error from server (NotFound): pods "x" not found`, 422 -> `The Pod "x" is invalid: ...`,
  401 -> `error: You must be logged in to the server (...)`;
- a refused connection -> `The connection to the server localhost:8080 was refused - did you specify
  the right host or port?`, other transport failures -> `Unable to connect to the server: ...`;
- `FlagError` -> `error: ...` plus `See 'fkubectl get --help' for usage.`;
- `CommandError` -> `error: ...`; `Aggregate` -> one line per error (kubectl prints them all).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fkubectl.client.errors import ApiError, TransportError
from fkubectl.flags import FlagError

PROG = "fkubectl"


class CommandError(Exception):
    """A client-side failure; the message is printed after `error: `."""


class PlainError(Exception):
    """A message kubectl prints verbatim, without `error: ` (`Error in configuration: ...`)."""


class Exit(Exception):
    """Stop with an exit code and print nothing more (the command already explained)."""

    def __init__(self, code: int = 1) -> None:
        super().__init__(code)
        self.code = code


class Aggregate(Exception):
    def __init__(self, errors: list[BaseException]) -> None:
        super().__init__(errors)
        self.errors = errors


class UsageError(FlagError):
    """A usage error raised by a command after flag parsing (wrong number of arguments, ...)."""


def render(exc: BaseException, *, command: str = "") -> str:
    """The stderr text for `exc`, always newline-terminated (empty for `Exit`)."""
    if isinstance(exc, Exit):
        return ""
    if isinstance(exc, Aggregate):
        return "".join(render(e, command=command) for e in _flatten(exc))
    if isinstance(exc, FlagError):
        where = f"{PROG} {command}".strip()
        return f"error: {exc}\nSee '{where} --help' for usage.\n"
    if isinstance(exc, ApiError):
        return _api_error(exc)
    if isinstance(exc, TransportError):
        return _transport_error(exc)
    if isinstance(exc, PlainError):
        return f"{exc}\n"
    msg = str(exc)
    if not msg.startswith("error: "):
        msg = f"error: {msg}"
    return msg if msg.endswith("\n") else msg + "\n"


def _flatten(agg: Aggregate) -> list[BaseException]:
    out: list[BaseException] = []
    for e in agg.errors:
        out.extend(_flatten(e) if isinstance(e, Aggregate) else [e])
    return out


def _api_error(err: ApiError) -> str:
    if err.reason == "Invalid":
        return _invalid(err)
    if err.reason == "Unauthorized":
        return f"error: You must be logged in to the server ({err.message})\n"
    if err.reason:
        return f"Error from server ({err.reason}): {err.message}\n"
    return f"Error from server: {err.message}\n"


def _invalid(err: ApiError) -> str:
    details = err.details
    kind, name = details.get("kind", ""), details.get("name", "")
    head = f'The {kind} "{name}" is invalid' if kind or name else "The request is invalid"
    seen: list[str] = []
    for cause in details.get("causes") or []:
        msg = f"{cause.get('field', '')}: {cause.get('message', '')}"
        if msg not in seen:
            seen.append(msg)
    if not seen:
        return head + "\n"
    if len(seen) == 1:
        return f"{head}: {seen[0]}\n"
    return f"{head}: \n" + "".join(f"* {m}\n" for m in seen)


def _transport_error(err: TransportError) -> str:
    if err.refused:
        host = urlsplit(err.url).netloc or err.url
        return f"The connection to the server {host} was refused - did you specify the right host or port?\n"
    return f"Unable to connect to the server: {err.detail}\n"
