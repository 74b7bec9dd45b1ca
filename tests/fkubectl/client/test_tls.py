"""The stdlib transport over TLS: kubeconfig CA data, insecure-skip-tls-verify, unknown authorities."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from fkubectl.client.client import Client
from fkubectl.client.errors import TransportError
from fkubectl.client.request import raw_request
from fkubectl.client.wire import WireTransport
from fkubectl.config.clientconfig import ClientConfig

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = json.dumps({"major": "1", "minor": "37", "auth": self.headers.get("Authorization", "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bytes]]:
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = tmp / "tls.crt", tmp / "tls.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", Path(cert).read_bytes()
    server.shutdown()


def version(config: ClientConfig, headers: dict[str, str] | None = None) -> dict[str, str]:
    client = Client(WireTransport(config), auth_headers=headers)
    try:
        return client.json(raw_request("GET", "/version"))  # type: ignore[no-any-return]
    finally:
        client.close()


def test_trusted_by_kubeconfig_ca_data(https: tuple[str, bytes]) -> None:
    url, ca = https
    config = ClientConfig(server=url)
    config.ca_data = ca
    assert version(config, {"Authorization": "Bearer t"}) == {"major": "1", "minor": "37", "auth": "Bearer t"}


def test_insecure_skip_verify(https: tuple[str, bytes]) -> None:
    config = ClientConfig(server=https[0])
    config.insecure = True
    assert version(config)["minor"] == "37"


def test_unknown_authority_is_kubectls_error(https: tuple[str, bytes]) -> None:
    with pytest.raises(TransportError) as info:
        version(ClientConfig(server=https[0]))
    assert str(info.value) == "tls: failed to verify certificate: x509: certificate signed by unknown authority"
