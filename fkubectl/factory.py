"""`Factory`: the lazily built things a command needs (kubectl's `cmdutil.Factory`).

Global flags become a `GlobalOptions`; the kubeconfig is read, the `ClientConfig` resolved, the transport,
client, discovery and REST mapper built only when a command first asks for them, so `fkubectl config
view` never touches the network and `fkubectl version --client` never reads a kubeconfig.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from fkubectl.client.client import Client
    from fkubectl.client.protocols import Transport
    from fkubectl.client.discovery import Discovery
    from fkubectl.client.mapper import RESTMapper
    from fkubectl.client.openapi import OpenAPI
    from fkubectl.config.clientconfig import ClientConfig, GlobalOptions
    from fkubectl.config.kubeconfig import Kubeconfig


class IOStreams:
    def __init__(self, out: TextIO | None = None, err: TextIO | None = None, in_: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.in_ = in_ or sys.stdin


class Factory:
    def __init__(self, options: GlobalOptions, streams: IOStreams, *, environ: Any = None,
                 transport: Any = None) -> None:
        self.options = options
        self.streams = streams
        self.environ = os.environ if environ is None else environ
        self._transport_override = transport
        self._kubeconfig: Kubeconfig | None = None
        self._client_config: ClientConfig | None = None
        self._client: Client | None = None
        self._discovery: Discovery | None = None
        self._mapper: RESTMapper | None = None
        self._openapi: OpenAPI | None = None

    def kubeconfig(self) -> Kubeconfig:
        if self._kubeconfig is None:
            from fkubectl.config.kubeconfig import load

            self._kubeconfig = load(self.options.kubeconfig, self.environ)
        return self._kubeconfig

    def client_config(self) -> ClientConfig:
        if self._client_config is None:
            from fkubectl.config.clientconfig import resolve

            self._client_config = resolve(self.kubeconfig(), self.options)
        return self._client_config

    @property
    def namespace(self) -> str:
        return self.client_config().namespace

    @property
    def explicit_namespace(self) -> bool:
        return self.client_config().explicit_namespace

    def transport(self) -> Transport:
        config = self.client_config()
        override = self._transport_override
        if override is not None:
            if hasattr(override, "send") and not hasattr(override, "handle_request"):
                return override  # type: ignore[no-any-return]
            from fkubectl.client.httpx_transport import HttpxTransport

            return HttpxTransport(config.server, transport=override, config=config)
        if config.proxy_url or _proxy_env(self.environ, config.server):
            from fkubectl.client.httpx_transport import HttpxTransport

            return HttpxTransport(config.server, config=config)
        from fkubectl.client.wire import WireTransport

        return WireTransport(config)

    def client(self) -> Client:
        if self._client is None:
            from fkubectl.client.auth import auth_headers
            from fkubectl.client.client import Client

            config = self.client_config()
            self._client = Client(self.transport(), auth_headers=auth_headers(config),
                                  verbosity=self.options.verbosity, base_url=config.server, log=self.streams.err)
        return self._client

    def discovery(self) -> Discovery:
        if self._discovery is None:
            from fkubectl.client.discovery import Discovery, cache_dir_for, default_cache_root

            root = default_cache_root(self.options.cache_dir, self.environ)
            self._discovery = Discovery(self.client(), cache_dir_for(root, self.client_config().server))
        return self._discovery

    def mapper(self) -> RESTMapper:
        if self._mapper is None:
            from fkubectl.client.mapper import RESTMapper

            self._mapper = RESTMapper(self.discovery())
        return self._mapper

    def openapi(self) -> OpenAPI:
        if self._openapi is None:
            from fkubectl.client.discovery import default_cache_root
            from fkubectl.client.openapi import OpenAPI

            root = default_cache_root(self.options.cache_dir, self.environ)
            host = os.path.basename(self.discovery().directory)
            self._openapi = OpenAPI(self.client(), os.path.join(root, "fkubectl", "openapi", host))
        return self._openapi

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _proxy_env(environ: Any, server: str) -> bool:
    scheme = "https" if server.startswith("https://") else "http"
    if not (environ.get(f"{scheme}_proxy") or environ.get(f"{scheme.upper()}_PROXY")):
        return False
    no_proxy = environ.get("no_proxy") or environ.get("NO_PROXY") or ""
    host = server.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return not any(entry and (host == entry.strip() or host.endswith(entry.strip().lstrip("*")))
                   for entry in no_proxy.split(",")) and host not in ("localhost", "127.0.0.1")
