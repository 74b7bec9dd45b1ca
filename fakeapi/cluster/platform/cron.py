"""Cron schedules as github.com/robfig/cron/v3 evaluates them for the CronJob controller.

`parse(spec)` accepts what `fakeapi.resources.batch_v1.schedule` validates (five fields or a descriptor,
`@every <duration>`); `Schedule.next(t)` is the first activation strictly after `t`. As in robfig, a
day matches when day-of-month AND day-of-week match if either field is `*`/`?` (a star without a step),
OR otherwise; ranges, steps, lists and jan-dec / sun-sat names are understood. Times are evaluated in
the given zone (the CronJob's spec.timeZone, else UTC like a kube-controller-manager in a container).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from fakeapi.resources.batch_v1.schedule import BOUNDS, schedule_error

DESCRIPTORS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
               "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
SEARCH_YEARS = 5


class ScheduleError(ValueError):
    pass


def _field(expr: str, lo: int, hi: int, names: dict[str, int]) -> tuple[set[int], bool]:
    """The values one field allows, and whether it carries robfig's star bit."""
    values: set[int] = set()
    star = False
    for part in expr.split(","):
        range_step = part.split("/")
        low_high = range_step[0].split("-")
        part_star = low_high[0] in ("*", "?")
        if part_star:
            start, end = lo, hi
        else:
            start = names[low_high[0].lower()] if low_high[0].lower() in names else int(low_high[0])
            end = (names[low_high[1].lower()] if low_high[1].lower() in names else int(low_high[1])) \
                if len(low_high) == 2 else start
        step = 1
        if len(range_step) == 2:
            step = int(range_step[1])
            if len(low_high) == 1:
                end = hi
        if part_star and step <= 1:
            star = True
        values.update(range(start, end + 1, step))
    return values, star


def _duration(text: str) -> float:
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    total = 0.0
    for number, unit in _PART.findall(body):
        total += float(number or 0) * UNITS[unit]
    return sign * total


@dataclass(frozen=True)
class Schedule:
    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()
    dom: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    dow: frozenset[int] = frozenset()
    dom_star: bool = False
    dow_star: bool = False
    every: float = 0.0  # @every: a constant delay in seconds

    def _day_matches(self, t: datetime) -> bool:
        dom = t.day in self.dom
        dow = (t.isoweekday() % 7) in self.dow
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next(self, after: datetime, zone: tzinfo = timezone.utc) -> datetime | None:
        """The first activation strictly after `after` (an aware datetime), in UTC; None if none in 5 years."""
        if self.every:
            delay = max(1.0, float(int(self.every)))
            base = after.replace(microsecond=0)
            return (base + timedelta(seconds=delay)).astimezone(timezone.utc)
        t = after.astimezone(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = t.year + SEARCH_YEARS
        while t.year <= limit:
            if t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                continue
            if not self._day_matches(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
                continue
            if t.hour not in self.hours:
                t = t.replace(minute=0) + timedelta(hours=1)
                continue
            if t.minute not in self.minutes:
                t = t + timedelta(minutes=1)
                continue
            return t.astimezone(timezone.utc)
        return None


def parse(spec: str) -> Schedule:
    err = schedule_error(spec)
    if err is not None:
        raise ScheduleError(err)
    spec = spec.strip()
    if spec.startswith(("TZ=", "CRON_TZ=")):
        spec = spec.split(None, 1)[1] if " " in spec else ""
    if spec.startswith("@every "):
        return Schedule(every=_duration(spec[len("@every "):].strip()))
    spec = DESCRIPTORS.get(spec, spec)
    fields = spec.split()
    parsed = [_field(expr, lo, hi, names) for expr, (lo, hi, names) in zip(fields, BOUNDS[1:])]
    return Schedule(minutes=frozenset(parsed[0][0]), hours=frozenset(parsed[1][0]), dom=frozenset(parsed[2][0]),
                    months=frozenset(parsed[3][0]), dow=frozenset(parsed[4][0]),
                    dom_star=parsed[2][1], dow_star=parsed[4][1])
