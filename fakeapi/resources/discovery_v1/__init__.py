"""discovery.k8s.io/v1: EndpointSlices."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.discovery_v1 import endpointslices

RESOURCES: list[ResourceInfo] = [endpointslices.RESOURCE]
