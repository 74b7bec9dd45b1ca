"""autoscaling/v2: HorizontalPodAutoscalers."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.autoscaling_v2 import horizontalpodautoscalers

RESOURCES: list[ResourceInfo] = [horizontalpodautoscalers.RESOURCE]
