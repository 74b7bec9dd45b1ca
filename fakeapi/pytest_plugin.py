"""pytest plugin (auto-registered by installing fakeapi): the `fakeapi` fixture.

    def test_something(fakeapi):
        from kubernetes import client, config
        config.load_kube_config(config_file=str(fakeapi.kubeconfig))
        client.CoreV1Api().list_namespace()

Each test gets its own server (in-memory storage, free port on 127.0.0.1); `fakeapi.url` is its address.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeapi.testing import RunningServer


@pytest.fixture
def fakeapi() -> Iterator[RunningServer]:
    with RunningServer() as running:
        yield running
