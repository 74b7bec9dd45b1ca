"""TLS for `WireTransport`, from kubeconfig material (files or inline base64 data).

`ssl` only loads certificate chains from files, so inline client certificates and keys are written to a
private temporary directory for the duration of the load and removed right after.
"""

from __future__ import annotations

import os
import socket
import ssl

from fkubectl.client.errors import TransportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.config.clientconfig import ClientConfig


def context_for(config: ClientConfig) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if config.insecure:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif config.ca_file or config.ca_data:
        ctx = ssl.create_default_context(cafile=config.ca_file or None,
                                         cadata=config.ca_data.decode() if config.ca_data else None)
    if config.cert_file or config.cert_data:
        _load_client_cert(ctx, config)
    return ctx


def _load_client_cert(ctx: ssl.SSLContext, config: ClientConfig) -> None:
    if not config.cert_data and not config.key_data:
        ctx.load_cert_chain(config.cert_file, config.key_file or None)
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="fkubectl-tls-") as tmp:
        cert, key = config.cert_file, config.key_file
        if config.cert_data:
            cert = os.path.join(tmp, "client.crt")
            _write_private(cert, config.cert_data)
        if config.key_data:
            key = os.path.join(tmp, "client.key")
            _write_private(key, config.key_data)
        ctx.load_cert_chain(cert, key or None)


def _write_private(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def wrap(sock: socket.socket, config: ClientConfig, host: str) -> ssl.SSLSocket:
    try:
        return context_for(config).wrap_socket(sock, server_hostname=config.server_name or host)
    except ssl.SSLCertVerificationError as exc:
        sock.close()
        detail = "x509: certificate signed by unknown authority" if "self" in str(exc) or "unable to get" in str(
            exc) else f"x509: {exc.verify_message}"
        raise TransportError(config.server, f"tls: failed to verify certificate: {detail}") from None
    except (ssl.SSLError, OSError) as exc:
        sock.close()
        raise TransportError(config.server, f"tls: {exc}") from None
