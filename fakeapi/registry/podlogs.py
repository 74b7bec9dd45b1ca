"""pods/<name>/log: option parsing, container selection and the apiserver's errors, over a LogSource.

The log lines themselves come from whoever runs the containers (the simulated kubelet); this module only
needs the `LogSource` seam, so the endpoint works (empty) with no simulation at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from fakeapi.errors import StatusError, bad_request
from fakeapi.registry.fielderrors import invalid, invalid_value

Obj = dict[str, Any]


@dataclass(frozen=True)
class LogLine:
    time: datetime
    text: str


class LogSource(Protocol):
    def lines(self, namespace: str, pod: str, uid: str, container: str, previous: bool) -> list[LogLine]: ...

    def follow(self, namespace: str, pod: str, uid: str, container: str) -> AsyncIterator[LogLine]:
        """New lines as they are produced, until the container stops."""
        ...


class NoLogs:
    def lines(self, namespace: str, pod: str, uid: str, container: str, previous: bool) -> list[LogLine]:
        return []

    async def follow(self, namespace: str, pod: str, uid: str, container: str) -> AsyncIterator[LogLine]:
        return
        yield  # pragma: no cover


@dataclass
class LogOptions:
    container: str = ""
    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    since_seconds: int | None = None
    since_time: datetime | None = None
    tail_lines: int | None = None
    limit_bytes: int | None = None

    @classmethod
    def parse(cls, q: Mapping[str, str], pod_name: str) -> LogOptions:
        def flag(name: str) -> bool:
            return name in q and q[name] not in ("0", "false", "False")

        def number(name: str) -> int | None:
            raw = q.get(name)
            if raw in (None, ""):
                return None
            try:
                return int(raw)
            except ValueError:
                raise bad_request(f'strconv.ParseInt: parsing "{raw}": invalid syntax') from None

        since_time = None
        if q.get("sinceTime"):
            try:
                since_time = datetime.strptime(q["sinceTime"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
            except ValueError:
                raise bad_request(f'parsing time "{q["sinceTime"]}" as "2006-01-02T15:04:05Z07:00": cannot parse') from None
        opts = cls(container=q.get("container", ""), follow=flag("follow"), previous=flag("previous"),
                   timestamps=flag("timestamps"), since_seconds=number("sinceSeconds"), since_time=since_time,
                   tail_lines=number("tailLines"), limit_bytes=number("limitBytes"))
        errs = []
        if opts.since_seconds is not None and opts.since_seconds < 1:
            errs.append(invalid_value("sinceSeconds", opts.since_seconds, "must be greater than 0"))
        if opts.since_seconds is not None and opts.since_time is not None:
            errs.append(invalid_value("sinceSeconds", opts.since_seconds, "at most one of `sinceTime` or `sinceSeconds` may be specified"))
        if opts.tail_lines is not None and opts.tail_lines < 0:
            errs.append(invalid_value("tailLines", opts.tail_lines, "must be greater than or equal to 0"))
        if opts.limit_bytes is not None and opts.limit_bytes < 1:
            errs.append(invalid_value("limitBytes", opts.limit_bytes, "must be greater than 0"))
        if errs:
            raise invalid("PodLogOptions", "", pod_name, errs)
        return opts


def choose_container(pod: Obj, requested: str) -> str:
    """LogLocation: the named container (app, init or ephemeral), or the only one, else a 400."""
    spec = pod.get("spec") or {}
    name = pod["metadata"]["name"]
    app = [c.get("name", "") for c in spec.get("containers") or []]
    others = [c.get("name", "") for c in (spec.get("initContainers") or []) + (spec.get("ephemeralContainers") or [])]
    if requested:
        if requested in app or requested in others:
            return requested
        raise bad_request(f"container {requested} is not valid for pod {name}")
    default = (pod["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/default-container")
    if default and default in app:
        return default
    if len(app) == 1:
        return app[0]
    choices = " ".join(app)
    init = " ".join(others)
    msg = f"a container name must be specified for pod {name}, choose one of: [{choices}]"
    if init:
        msg += f" or one of the init containers: [{init}]"
    raise bad_request(msg)


PULL_FAILURES = {"ErrImagePull": "trying and failing to pull image", "ImagePullBackOff": "trying and failing to pull image",
                 "InvalidImageName": "image can't be pulled", "ErrImageNeverPull": "image can't be pulled"}


def check_started(pod: Obj, container: str, previous: bool) -> None:
    """The kubelet refuses logs of a container that has not started (or has no previous instance)."""
    status = pod.get("status") or {}
    name = pod["metadata"]["name"]
    statuses = (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or [])
    for cs in statuses:
        if cs.get("name") != container:
            continue
        if previous:
            if not (cs.get("lastState") or {}).get("terminated"):
                raise bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
            return
        waiting = (cs.get("state") or {}).get("waiting")
        if waiting and not cs.get("restartCount") and not cs.get("lastState"):
            reason = waiting.get("reason") or "ContainerCreating"
            raise bad_request(f'container "{container}" in pod "{name}" is waiting to start: '
                              f'{PULL_FAILURES.get(reason, reason)}')
        return
    if not (pod.get("spec") or {}).get("nodeName"):
        raise bad_request(f'container "{container}" in pod "{name}" is waiting to start: ContainerCreating')
    raise bad_request(f'container "{container}" in pod "{name}" is waiting to start: ContainerCreating')


def select(lines: list[LogLine], opts: LogOptions, now: datetime) -> list[LogLine]:
    if opts.since_seconds is not None:
        cutoff = now.timestamp() - opts.since_seconds
        lines = [ln for ln in lines if ln.time.timestamp() >= cutoff]
    elif opts.since_time is not None:
        lines = [ln for ln in lines if ln.time >= opts.since_time]
    if opts.tail_lines is not None:
        lines = lines[-opts.tail_lines:] if opts.tail_lines else []
    return lines


def render(line: LogLine, timestamps: bool) -> bytes:
    text = line.text if line.text.endswith("\n") else line.text + "\n"
    if timestamps:
        stamp = line.time.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
        return (stamp + " " + text).encode()
    return text.encode()


class LimitReached(StatusError):
    pass
