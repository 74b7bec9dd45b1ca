"""apps/v1: Deployments, ReplicaSets, StatefulSets, DaemonSets and ControllerRevisions (one module each)."""

from __future__ import annotations

from fakeapi.registry.resource import ResourceInfo
from fakeapi.resources.apps_v1 import controllerrevisions, daemonsets, deployments, replicasets, statefulsets

RESOURCES: list[ResourceInfo] = [
    deployments.RESOURCE,
    replicasets.RESOURCE,
    statefulsets.RESOURCE,
    daemonsets.RESOURCE,
    controllerrevisions.RESOURCE,
]
