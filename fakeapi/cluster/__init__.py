"""The simulated cluster: controllers and kubelets, each a client of the ResourceStore (never of storage).

`default_controllers()` is what `fakeapi serve` runs; tests may run a server with none, or a subset.
"""

from __future__ import annotations

from fakeapi.cluster.namespace import namespace_controller
from fakeapi.cluster.simulation import simulation


def default_controllers() -> list:  # type: ignore[type-arg]
    return [namespace_controller, simulation]
