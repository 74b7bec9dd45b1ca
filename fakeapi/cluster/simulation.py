"""Wires the simulated cluster into a Server: nodes and their heartbeats, the scheduler, the kubelets
(with their log store, which becomes the server's LogSource), static pods, and the controllers of
`workloads` and `platform`."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fakeapi.cluster import platform, workloads
from fakeapi.cluster.clock import SimClock
from fakeapi.cluster.context import ClusterContext
from fakeapi.cluster.events import EventRecorder
from fakeapi.cluster.kubelet import Kubelet
from fakeapi.cluster.logs import LogStore
from fakeapi.cluster.nodes import node_heartbeats, node_specs, register_nodes
from fakeapi.cluster.scheduler import scheduler

if TYPE_CHECKING:
    from fakeapi.server import Server


async def simulation(server: Server) -> None:
    config = server.config
    if not config.simulate:
        return
    clock = SimClock(config.speed)
    specs = node_specs(config.nodes)
    recorder = EventRecorder(server)
    logs = LogStore()
    server.logs = logs
    register_nodes(server, specs)
    kubelet = Kubelet(server, specs, clock, recorder, logs)
    ctx = ClusterContext(server, clock, recorder, specs)
    parts = [node_heartbeats(server, specs, clock), scheduler(server, recorder), kubelet.run()]
    parts += [controller(ctx) for controller in workloads.CONTROLLERS + platform.CONTROLLERS]
    if config.static_pod_path is not None:
        from fakeapi.cluster.staticpods import static_pods

        parts.append(static_pods(server, specs[0], config.static_pod_path, kubelet))
    await asyncio.gather(*parts)
