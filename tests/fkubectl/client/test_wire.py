"""The stdlib HTTP/1.1 transport against a real server: keep-alive, chunked streams, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fakeapi.testing import RunningServer, free_port
from fkubectl.client import request as rq
from fkubectl.client.client import Client
from fkubectl.client.errors import ApiError, TransportError
from fkubectl.client.mapping import Mapping
from fkubectl.client.watch import events
from fkubectl.client.wire import WireTransport
from fkubectl.config.clientconfig import ClientConfig

CONFIGMAPS = Mapping("", "v1", "configmaps", "ConfigMap", True)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with RunningServer() as running:
        yield running


def client_for(url: str) -> Client:
    return Client(WireTransport(ClientConfig(server=url)))


def test_requests_reuse_one_connection(server: RunningServer) -> None:
    client = client_for(server.url)
    transport = client.transport
    assert isinstance(transport, WireTransport)
    client.json(rq.raw_request("GET", "/version"))
    sock = transport._sock
    for _ in range(3):
        assert client.json(rq.raw_request("GET", "/api"))["kind"] == "APIVersions"
    assert transport._sock is sock
    client.close()


def test_create_get_and_server_errors(server: RunningServer) -> None:
    client = client_for(server.url)
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "wire"}, "data": {"a": "1"}}
    created = client.json(rq.create_request(CONFIGMAPS, "default", body))
    assert created["metadata"]["name"] == "wire"
    with pytest.raises(ApiError) as info:
        client.json(rq.create_request(CONFIGMAPS, "default", body))
    assert info.value.reason == "AlreadyExists" and info.value.code == 409
    assert client.json(rq.get_request(CONFIGMAPS, "default", "wire"))["data"] == {"a": "1"}
    client.close()


def test_watch_lines_stream_as_events(server: RunningServer) -> None:
    client = client_for(server.url)
    listing = client.json(rq.list_request(CONFIGMAPS, "default"))
    watch = rq.watch_request(CONFIGMAPS, "default", resource_version=listing["metadata"]["resourceVersion"],
                             timeout_seconds=5)
    other = client_for(server.url)
    other.json(rq.create_request(CONFIGMAPS, "default", {"metadata": {"name": "watched"}}))
    for kind, obj in events(client.lines(watch)):
        assert (kind, obj["metadata"]["name"]) == ("ADDED", "watched")
        break
    client.close()
    other.close()


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TransportError) as info:
        client_for(url).json(rq.raw_request("GET", "/api"))
    assert info.value.refused


def test_in_stream_error_event_raises() -> None:
    lines = [json.dumps({"type": "ERROR", "object": {"kind": "Status", "code": 410, "reason": "Expired",
                                                     "message": "too old resource version: 1 (5)"}}).encode()]
    with pytest.raises(ApiError, match="too old"):
        list(events(lines))
