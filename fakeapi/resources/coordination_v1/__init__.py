"""coordination.k8s.io/v1: Leases."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.coordination_v1 import leases

RESOURCES: list[ResourceInfo] = [leases.RESOURCE]
