"""`fakeapi` command line: `serve` runs the API server, `etcdctl` inspects the keyspace of a data dir.

argparse rather than Typer keeps `fakeapi serve` start-up lean; heavy imports happen inside commands.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

_T0 = time.monotonic()


def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    import uvicorn

    from fakeapi.config import Config, default_data_dir
    from fakeapi.server import Server
    from fakeapi.storage import StorageError
    from fakeapi.web.app import create_app

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    config = Config(host=args.host, port=args.port, storage=args.storage, data_dir=data_dir, nodes=args.nodes,
                    speed=args.speed, simulate=not args.no_simulation,
                    static_pod_path=Path(args.static_pod_path) if args.static_pod_path else None)
    try:
        server = Server(config)
    except StorageError as exc:
        print(f"fakeapi: {exc}", file=sys.stderr)
        return 1
    if args.storage == "sqlite":
        print(f"fakeapi: data dir {data_dir} (revision {server.storage.revision})", flush=True)
    else:
        print("fakeapi: in-memory storage (nothing is kept after exit)", flush=True)
    app = create_app(server)

    class _Uvicorn(uvicorn.Server):
        """Prints the ready line once listening; on SIGINT/SIGTERM ends open watches first, then shuts down
        and returns normally (exit 0) instead of re-raising the signal as uvicorn does by default."""

        async def startup(self, sockets=None):  # type: ignore[no-untyped-def]
            self._loop = asyncio.get_running_loop()
            await super().startup(sockets)
            if not self.should_exit:
                host = "127.0.0.1" if args.host in ("0.0.0.0", "") else args.host
                print(f"fakeapi: serving Kubernetes API at http://{host}:{self.servers[0].sockets[0].getsockname()[1]}"
                      if self.servers and self.servers[0].sockets else f"fakeapi: serving at http://{host}:{args.port}",
                      flush=True)
                if args.write_kubeconfig is not None:
                    from fakeapi.kubeconfig import DEFAULT_PATH, write_context

                    path = Path(args.write_kubeconfig) if args.write_kubeconfig else DEFAULT_PATH
                    port = self.servers[0].sockets[0].getsockname()[1] if self.servers else args.port
                    write_context(path, f"http://{host}:{port}")
                    print(f'fakeapi: kubeconfig context "fakeapi" written to {path} (now current)', flush=True)
                print(f"fakeapi: ready in {time.monotonic() - _T0:.2f}s", flush=True)

        def handle_exit(self, sig, frame):  # type: ignore[no-untyped-def]
            loop = getattr(self, "_loop", None)
            if loop is not None:
                loop.call_soon_threadsafe(server.stop_watches)
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            self.should_exit = True

    uv_config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                               lifespan="on", timeout_graceful_shutdown=3,
                               loop="uvloop" if _has("uvloop") else "asyncio",
                               http="httptools" if _has("httptools") else "h11")
    try:
        _Uvicorn(uv_config).run()  # run(), not asyncio.run(serve()): only run() installs the uvloop loop
    except KeyboardInterrupt:
        pass
    print("fakeapi: stopped", flush=True)
    return 0


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _etcdctl(args: argparse.Namespace) -> int:
    from fakeapi.config import default_data_dir
    from fakeapi.storage.inspect import current_keyspace, revision

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    try:
        if args.op == "revision":
            print(revision(data_dir))
            return 0
        for entry in current_keyspace(data_dir, args.key, prefix=args.prefix):
            if args.write_out == "json":
                import json

                print(json.dumps({"key": entry.key, "create_revision": entry.create_rev,
                                  "mod_revision": entry.mod_rev, "value": json.loads(entry.value)}))
                continue
            print(entry.key)
            if not args.keys_only:
                sys.stdout.write(entry.value.decode() + "\n")
    except FileNotFoundError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakeapi", description="A local, fake Kubernetes control plane.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to bind (default 8080; 0 picks a free port)")
    serve.add_argument("--data-dir", help="where sqlite storage keeps its state (default ~/.local/share/fakeapi)")
    serve.add_argument("--storage", choices=("sqlite", "memory"), default="sqlite", help="storage backend")
    serve.add_argument("--nodes", type=int, default=3, help="simulated nodes: 1 control plane + workers (default 3)")
    serve.add_argument("--speed", type=float, default=1.0,
                       help="simulated seconds per real second for pulls, probes, back-offs (default 1)")
    serve.add_argument("--static-pod-path", help="directory of static pod manifests for the control-plane node")
    serve.add_argument("--no-simulation", action="store_true",
                       help="serve the API only: no nodes, scheduler, kubelets or controllers")
    serve.add_argument("--write-kubeconfig", nargs="?", const="", metavar="PATH",
                       help="merge a 'fakeapi' context for this server into a kubeconfig (default ~/.kube/config) "
                            "and make it current")
    serve.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    serve.set_defaults(func=_serve)
    etcd = sub.add_parser("etcdctl", help="inspect the stored keyspace, etcdctl style")
    etcd.add_argument("op", choices=("get", "revision"))
    etcd.add_argument("key", nargs="?", default="/registry/")
    etcd.add_argument("--prefix", action="store_true", help="get all keys with this prefix")
    etcd.add_argument("--keys-only", action="store_true", help="print keys only")
    etcd.add_argument("-w", "--write-out", choices=("simple", "json"), default="simple")
    etcd.add_argument("--data-dir", help="the server's data directory")
    etcd.set_defaults(func=_etcdctl)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    # `etcdctl get --prefix KEY`: argparse has already given the optional KEY its default by then
    if args.command == "etcdctl" and len(extra) == 1 and not extra[0].startswith("-") and args.key == "/registry/":
        args.key, extra = extra[0], []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return int(args.func(args))
