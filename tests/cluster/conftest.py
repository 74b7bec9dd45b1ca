"""Fixtures shared by the controller tests: one fast simulated cluster per module, a namespace per test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fakeapi.config import Config
from fakeapi.testing import RunningServer


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with RunningServer(Config(storage="memory", speed=50)) as running:
        with httpx.Client(base_url=running.url, timeout=10) as client:
            yield client


@pytest.fixture
def ns(api: httpx.Client, request: pytest.FixtureRequest) -> str:
    name = request.node.name.replace("_", "-")[:50].strip("-")
    assert api.post("/api/v1/namespaces", json={"metadata": {"name": name}}).status_code == 201
    return name
