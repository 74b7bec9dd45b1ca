"""Workload controllers (kube-controller-manager's): deployments, replicasets, statefulsets, daemonsets,
and the garbage collector."""

from __future__ import annotations

from fakeapi.cluster.context import ControllerFn

CONTROLLERS: list[ControllerFn] = []
