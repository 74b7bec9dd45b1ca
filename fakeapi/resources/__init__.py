"""The served kinds: each group-version package exports RESOURCES (one module per kind)."""

from __future__ import annotations

from importlib import import_module

from fakeapi.registry.registry import Registry
from fakeapi.registry.resource import ResourceInfo

PACKAGES = ("core_v1", "apps_v1", "batch_v1", "networking_v1", "discovery_v1", "storage_v1",
            "autoscaling_v2", "coordination_v1")


def all_resources() -> list[ResourceInfo]:
    out: list[ResourceInfo] = []
    for name in PACKAGES:
        out.extend(import_module(f"fakeapi.resources.{name}").RESOURCES)
    return out


def default_registry() -> Registry:
    """Every served kind, in a Registry of its own (fresh strategy instances)."""
    return Registry(all_resources())
