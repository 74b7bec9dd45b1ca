"""Platform controllers: jobs and cronjobs, service endpoints, volume binding, per-namespace defaults."""

from __future__ import annotations

from fakeapi.cluster.context import ControllerFn
from fakeapi.cluster.platform.cronjobs import cronjobs
from fakeapi.cluster.platform.endpoints import endpoints
from fakeapi.cluster.platform.jobs import jobs
from fakeapi.cluster.platform.namespace_defaults import namespace_defaults
from fakeapi.cluster.platform.volumes import volumes

CONTROLLERS: list[ControllerFn] = [namespace_defaults, endpoints, volumes, jobs, cronjobs]
