"""What every simulated component gets: the server (its store and registry), simulated time, the event
recorder, and the nodes. Controllers are `async def controller(ctx: ClusterContext) -> None`."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.clock import SimClock
from fakeapi.cluster.events import EventRecorder
from fakeapi.cluster.nodes import NodeSpec

if TYPE_CHECKING:
    from fakeapi.server import Server


@dataclass
class ClusterContext:
    server: Server
    clock: SimClock
    recorder: EventRecorder
    nodes: list[NodeSpec]


ControllerFn = Callable[[ClusterContext], Coroutine[Any, Any, None]]
