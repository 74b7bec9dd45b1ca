"""storage.k8s.io/v1: StorageClasses."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.storage_v1 import storageclasses

RESOURCES: list[ResourceInfo] = [storageclasses.RESOURCE]
