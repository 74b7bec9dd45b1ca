"""Timestamps and ages: RFC 3339 parsing without `datetime`, and apimachinery's `HumanDuration`.

HumanDuration (`apimachinery/pkg/util/duration`): <2m `Ns`; <10m `XmYs`; <3h `Xm`; <8h `XhYm`; <48h `Xh`;
<8d `XdYh`; <2y `Xd`; <8y `XyYd`; else `Xy`. A missing timestamp is `<unknown>`; a negative age
(clock skew) shows `<invalid>` below -1s and `0s` otherwise, as kubectl's `ShortHumanDuration` does.
"""

from __future__ import annotations

import time


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_rfc3339(text: str) -> float | None:
    """Seconds since the epoch for `2006-01-02T15:04:05[.frac](Z|±hh:mm)`, else None."""
    try:
        date, _, clock = text.partition("T")
        y, m, d = (int(p) for p in date.split("-"))
        offset = 0
        if clock.endswith(("Z", "z")):
            clock = clock[:-1]
        elif len(clock) > 6 and clock[-6] in "+-":
            sign = 1 if clock[-6] == "+" else -1
            offset = sign * (int(clock[-5:-3]) * 3600 + int(clock[-2:]) * 60)
            clock = clock[:-6]
        hh, mm, ss = clock.split(":")
        seconds = float(ss)
        return _days_from_civil(y, m, d) * 86400 + int(hh) * 3600 + int(mm) * 60 + seconds - offset
    except (ValueError, AttributeError):
        return None


def human_duration(seconds: float) -> str:
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rem = s % 60
        return f"{minutes}m{rem}s" if rem else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rem = (s % 3600) // 60
        return f"{hours}h{rem}m" if rem else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 192:
        rem = hours % 24
        return f"{hours // 24}d{rem}h" if rem else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        years = hours // 24 // 365
        rem = (hours // 24) % 365
        return f"{years}y{rem}d" if rem else f"{years}y"
    return f"{hours // 24 // 365}y"


def age(timestamp: str | None, now: float | None = None) -> str:
    if not timestamp:
        return "<unknown>"
    then = parse_rfc3339(timestamp)
    if then is None:
        return "<unknown>"
    return human_duration((time.time() if now is None else now) - then)


def format_rfc3339(epoch: float) -> str:
    t = time.gmtime(epoch)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", t)
