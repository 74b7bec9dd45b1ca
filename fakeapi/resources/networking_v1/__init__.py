"""networking.k8s.io/v1: Ingresses and IngressClasses (one module each)."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.networking_v1 import ingressclasses, ingresses

RESOURCES: list[ResourceInfo] = [ingresses.RESOURCE, ingressclasses.RESOURCE]
