"""Platform controllers: jobs and cronjobs, service endpoints, volume binding, per-namespace defaults."""

from __future__ import annotations

from fakeapi.cluster.context import ControllerFn

CONTROLLERS: list[ControllerFn] = []
