"""Resolve the merged kubeconfig plus the global flags into one `ClientConfig` (client-go's
`DirectClientConfig`): which server, which credentials, which namespace.

Rules kept from kubectl:
- the context is `--context` or `current-context`; a named context that does not exist is
  `Error in configuration: context was not found for specified context: <name>`;
- `--cluster`/`--user` override the context's; `--server`/`-s` overrides the cluster's server;
- with no server anywhere kubectl talks to `http://localhost:8080`; a server without a scheme gets
  `https://` when TLS material is configured, `http://` otherwise;
- the namespace is `-n`, else the context's, else `default`; `explicit_namespace` records that `-n` was
  given (create/apply then refuse manifests from another namespace);
- relative file paths in a kubeconfig are relative to the file that defined them.
"""

from __future__ import annotations

import os

from fkubectl.errors import PlainError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_SERVER = "http://localhost:8080"


class ConfigurationError(PlainError):
    def __init__(self, message: str) -> None:
        super().__init__(f"Error in configuration: {message}")


class GlobalOptions:
    """The flags every command accepts (kubectl's `genericclioptions.ConfigFlags`)."""

    def __init__(self, *, kubeconfig: str = "", context: str = "", cluster: str = "", user: str = "",
                 namespace: str = "", server: str = "", token: str = "", insecure_skip_tls_verify: bool = False,
                 certificate_authority: str = "", client_certificate: str = "", client_key: str = "",
                 tls_server_name: str = "", request_timeout: str = "", cache_dir: str = "", username: str = "",
                 password: str = "", verbosity: int = 0) -> None:
        self.kubeconfig = kubeconfig
        self.context = context
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
        self.server = server
        self.token = token
        self.insecure_skip_tls_verify = insecure_skip_tls_verify
        self.certificate_authority = certificate_authority
        self.client_certificate = client_certificate
        self.client_key = client_key
        self.tls_server_name = tls_server_name
        self.request_timeout = request_timeout
        self.cache_dir = cache_dir
        self.username = username
        self.password = password
        self.verbosity = verbosity


class ClientConfig:
    __slots__ = ("server", "namespace", "explicit_namespace", "context_name", "cluster_name", "user_name",
                 "insecure", "ca_file", "ca_data", "cert_file", "cert_data", "key_file", "key_data",
                 "server_name", "token", "username", "password", "proxy_url", "timeout", "exec",
                 "auth_provider")

    def __init__(self, server: str = DEFAULT_SERVER, namespace: str = "default") -> None:
        self.server = server
        self.namespace = namespace
        self.explicit_namespace = False
        self.context_name = self.cluster_name = self.user_name = ""
        self.insecure = False
        self.ca_file = self.cert_file = self.key_file = ""
        self.ca_data = self.cert_data = self.key_data = b""
        self.server_name = self.token = self.username = self.password = self.proxy_url = ""
        self.timeout: float | None = None
        self.exec: dict[str, Any] | None = None
        self.auth_provider: dict[str, Any] | None = None

    @property
    def has_tls_material(self) -> bool:
        return bool(self.ca_file or self.ca_data or self.cert_file or self.cert_data or self.insecure)


def _path(body: dict[str, Any], key: str) -> str:
    value = str(body.get(key) or "")
    if value and not os.path.isabs(value) and body.get("__dir__"):
        value = os.path.join(str(body["__dir__"]), value)
    return value


def _data(body: dict[str, Any], key: str) -> bytes:
    raw = body.get(key)
    if not raw:
        return b""
    import base64

    try:
        return base64.b64decode(str(raw), validate=False)
    except ValueError:
        raise ConfigurationError(f"illegal base64 data in {key}") from None


def parse_timeout(raw: str) -> float | None:
    """kubectl's --request-timeout: `0` means none; a bare number is seconds; else a Go duration."""
    if not raw or raw == "0":
        return None
    if raw.replace(".", "", 1).isdigit():
        return float(raw)
    total, number = 0.0, ""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    i = 0
    while i < len(raw):
        c = raw[i]
        if c.isdigit() or c == ".":
            number += c
            i += 1
            continue
        unit = "ms" if raw.startswith("ms", i) else c
        if unit not in units or not number:
            raise ValueError(f'invalid timeout value "{raw}"')
        total += float(number) * units[unit]
        number = ""
        i += len(unit)
    if number:
        raise ValueError(f'invalid timeout value "{raw}"')
    return total or None


def resolve(cfg: Any, opts: GlobalOptions) -> ClientConfig:
    """`cfg` is a `kubeconfig.Kubeconfig`; raises `ConfigurationError` like client-go's validation."""
    context_name = opts.context or cfg.current_context
    context: dict[str, Any] = {}
    if context_name:
        if context_name not in cfg.contexts:
            raise ConfigurationError(f"context was not found for specified context: {context_name}")
        context = cfg.contexts[context_name]
    cluster_name = opts.cluster or str(context.get("cluster") or "")
    user_name = opts.user or str(context.get("user") or "")
    if opts.cluster and cluster_name not in cfg.clusters:
        raise ConfigurationError(f"cluster {cluster_name!r} was not found")
    cluster = cfg.clusters.get(cluster_name, {})
    user = cfg.users.get(user_name, {})

    cc = ClientConfig()
    cc.context_name, cc.cluster_name, cc.user_name = context_name, cluster_name, user_name
    cc.insecure = bool(opts.insecure_skip_tls_verify or cluster.get("insecure-skip-tls-verify"))
    cc.ca_file = opts.certificate_authority or _path(cluster, "certificate-authority")
    cc.ca_data = b"" if opts.certificate_authority else _data(cluster, "certificate-authority-data")
    cc.server_name = opts.tls_server_name or str(cluster.get("tls-server-name") or "")
    cc.proxy_url = str(cluster.get("proxy-url") or "")
    cc.cert_file = opts.client_certificate or _path(user, "client-certificate")
    cc.cert_data = b"" if opts.client_certificate else _data(user, "client-certificate-data")
    cc.key_file = opts.client_key or _path(user, "client-key")
    cc.key_data = b"" if opts.client_key else _data(user, "client-key-data")
    cc.token = opts.token or str(user.get("token") or "")
    token_file = _path(user, "tokenFile")
    if not cc.token and token_file:
        with open(token_file, encoding="utf-8") as fh:
            cc.token = fh.read().strip()
    cc.username = opts.username or str(user.get("username") or "")
    cc.password = opts.password or str(user.get("password") or "")
    cc.exec = user.get("exec") or None
    cc.auth_provider = user.get("auth-provider") or None
    server = opts.server or str(cluster.get("server") or "")
    cc.server = normalize_server(server, tls=cc.has_tls_material) if server else DEFAULT_SERVER
    cc.namespace = opts.namespace or str(context.get("namespace") or "") or "default"
    cc.explicit_namespace = bool(opts.namespace)
    cc.timeout = parse_timeout(opts.request_timeout)
    return cc


def normalize_server(server: str, *, tls: bool) -> str:
    if "://" not in server:
        server = ("https://" if tls else "http://") + server
    return server.rstrip("/")
