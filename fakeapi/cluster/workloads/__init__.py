"""Workload controllers (kube-controller-manager's): deployments, replicasets, statefulsets, daemonsets,
and the garbage collector. Each is `async def controller(ctx: ClusterContext) -> None`; all of them are
clients of the ResourceStore, fed by its watches (see `base`)."""

from __future__ import annotations

from fakeapi.cluster.context import ControllerFn
from fakeapi.cluster.workloads.daemonset import daemonset_controller
from fakeapi.cluster.workloads.deployment import deployment_controller
from fakeapi.cluster.workloads.gc import garbage_collector
from fakeapi.cluster.workloads.replicaset import replicaset_controller
from fakeapi.cluster.workloads.statefulset import statefulset_controller

CONTROLLERS: list[ControllerFn] = [
    deployment_controller,
    replicaset_controller,
    statefulset_controller,
    daemonset_controller,
    garbage_collector,
]
