"""The workload controllers' runtime: the shared controller runtime (see fakeapi.cluster.controller)."""

from __future__ import annotations

from fakeapi.cluster.controller import Obj, WorkQueue, delete, get, list_objects, thaw, update, watch

__all__ = ["Obj", "WorkQueue", "delete", "get", "list_objects", "thaw", "update", "watch"]
