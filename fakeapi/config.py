"""Server configuration (what `fakeapi serve` flags set), shared by the server and the simulation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "fakeapi"


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    storage: str = "sqlite"  # sqlite | memory
    data_dir: Path | None = None
    bookmark_interval: float = 60.0
    watch_window: int = 20000
    # the simulated cluster
    nodes: int = 3
    speed: float = 1.0  # simulated seconds per real second: delays are divided by it
    static_pod_path: Path | None = None
    simulate: bool = True  # run nodes, scheduler, kubelets and controllers
