"""The core ("") group, version v1: one module per kind, served in the order discovery lists them here."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.core_v1 import (
    configmaps, endpoints, events, namespaces, nodes, persistentvolumeclaims, persistentvolumes, pods, secrets,
    serviceaccounts, services,
)

RESOURCES: list[ResourceInfo] = [
    pods.RESOURCE,
    services.RESOURCE,
    endpoints.RESOURCE,
    namespaces.RESOURCE,
    nodes.RESOURCE,
    configmaps.RESOURCE,
    secrets.RESOURCE,
    serviceaccounts.RESOURCE,
    events.RESOURCE,
    persistentvolumes.RESOURCE,
    persistentvolumeclaims.RESOURCE,
]
