"""The simulated cluster: controllers and kubelets, each a client of the ResourceStore (never of storage).

`default_controllers()` is what `fakeapi serve` runs; tests may run a server with none, or a subset.
The simulation's many modules are imported inside its task, once the server is listening, so they do
not delay start-up.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fakeapi.cluster.namespace import namespace_controller

if TYPE_CHECKING:
    from fakeapi.server import Server


async def run_simulation(server: Server) -> None:
    # not named `simulation`: importing the submodule of that name rebinds the package attribute
    await asyncio.sleep(0)
    from fakeapi.cluster.simulation import simulation

    await simulation(server)


def default_controllers() -> list:  # type: ignore[type-arg]
    return [namespace_controller, run_simulation]
