"""Cron schedule checking as github.com/robfig/cron/v3 ParseStandard does it for CronJob validation.

`schedule_error(spec)` returns the parser's error text (which becomes the detail of
`spec.schedule: Invalid value: "<spec>": <detail>`) or None when the spec parses. Five fields (minute,
hour, day of month, month, day of week; `*`/`?`, ranges, steps, lists, jan-dec / sun-sat names) or a
descriptor (@yearly @annually @monthly @weekly @daily @midnight @hourly, `@every <duration>`).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                      "nov", "dec"), start=1)}
DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
#: (min, max, names) per field: second (always "0" here), minute, hour, day of month, month, day of week
BOUNDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}), (0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, MONTHS), (0, 6, DAYS),
)
DESCRIPTORS = frozenset(("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"))
INT64 = 2**63
_INT_RE = re.compile(r"[+-]?[0-9]+")
_DURATION_RE = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)?")


class CronError(ValueError):
    pass


def _go_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _atoi(expr: str) -> int:
    """mustParseInt: strconv.Atoi, then the non-negative check."""
    if not _INT_RE.fullmatch(expr):
        raise CronError(f"failed to parse int from {expr}: strconv.Atoi: parsing {_go_quote(expr)}: invalid syntax")
    num = int(expr)
    if not -INT64 <= num < INT64:
        raise CronError(f"failed to parse int from {expr}: strconv.Atoi: parsing {_go_quote(expr)}: value out of range")
    if num < 0:
        raise CronError(f"negative number ({num}) not allowed: {expr}")
    return num


def _int_or_name(expr: str, names: dict[str, int]) -> int:
    return names[expr.lower()] if expr.lower() in names else _atoi(expr)


def _range(expr: str, lo: int, hi: int, names: dict[str, int]) -> None:
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    if low_high[0] in ("*", "?"):
        start, end = lo, hi
    else:
        start = _int_or_name(low_high[0], names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _int_or_name(low_high[1], names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if len(low_high) == 1:
            end = hi
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < lo:
        raise CronError(f"beginning of range ({start}) below minimum ({lo}): {expr}")
    if end > hi:
        raise CronError(f"end of range ({end}) above maximum ({hi}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")


def _duration_error(text: str) -> str | None:
    """time.ParseDuration's error for `text`, or None when it parses."""
    quoted = _go_quote(text)
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return None
    if not body:
        return f"time: invalid duration {quoted}"
    pos = 0
    while pos < len(body):
        m = _DURATION_RE.match(body, pos)
        number = m.group(1) if m else ""
        if not number or number == ".":
            return f"time: invalid duration {quoted}"
        unit_start = pos + len(number)
        unit_end = unit_start
        while unit_end < len(body) and not (body[unit_end].isdigit() or body[unit_end] == "."):
            unit_end += 1
        unit = body[unit_start:unit_end]
        if not unit:
            return f"time: missing unit in duration {quoted}"
        if unit not in ("ns", "us", "µs", "μs", "ms", "s", "m", "h"):
            return f"time: unknown unit {_go_quote(unit)} in duration {quoted}"
        pos = unit_end
    return None


def _parse(spec: str) -> None:
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space, eq = spec.find(" "), spec.find("=")
        zone = spec[eq + 1:space] if space >= 0 else spec[eq + 1:]
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CronError(f"provided bad location {zone}: unknown time zone {zone}") from None
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        if spec in DESCRIPTORS:
            return
        if spec.startswith("@every "):
            if err := _duration_error(spec[len("@every "):]):
                raise CronError(f"failed to parse duration {spec}: {err}")
            return
        raise CronError(f"unrecognized descriptor: {spec}")
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    for field, (lo, hi, names) in zip(["0", *fields], BOUNDS):
        for expr in (part for part in field.split(",") if part):
            _range(expr, lo, hi, names)


def schedule_error(spec: str) -> str | None:
    try:
        _parse(spec)
    except CronError as exc:
        return str(exc)
    return None
