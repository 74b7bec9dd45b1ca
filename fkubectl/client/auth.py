"""Credentials as request headers: bearer token, basic auth, or an exec credential plugin's token.

Client certificates are TLS material and live in `tls.py`. Exec plugins follow the
`client.authentication.k8s.io` ExecCredential protocol (the token from `status.token`).
"""

from __future__ import annotations

import json
import os

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.config.clientconfig import ClientConfig


class AuthError(CommandError):
    pass


def auth_headers(config: ClientConfig) -> dict[str, str]:
    if config.token:
        return {"Authorization": f"Bearer {config.token}"}
    if config.username or config.password:
        import base64

        raw = base64.b64encode(f"{config.username}:{config.password}".encode()).decode()
        return {"Authorization": f"Basic {raw}"}
    if config.exec:
        token = exec_token(config.exec)
        return {"Authorization": f"Bearer {token}"} if token else {}
    return {}


def exec_token(spec: dict) -> str:  # type: ignore[type-arg]
    import subprocess

    env = dict(os.environ)
    for item in spec.get("env") or []:
        env[str(item.get("name"))] = str(item.get("value", ""))
    api_version = spec.get("apiVersion", "client.authentication.k8s.io/v1")
    env["KUBERNETES_EXEC_INFO"] = json.dumps({"apiVersion": api_version, "kind": "ExecCredential",
                                              "spec": {"interactive": False}})
    command = [str(spec.get("command", ""))] + [str(a) for a in spec.get("args") or []]
    try:
        proc = subprocess.run(command, capture_output=True, env=env, check=False)
    except OSError as exc:
        raise AuthError(f"exec: executable {command[0]} not found") from exc
    if proc.returncode != 0:
        raise AuthError(f"exec: executable {command[0]} failed with exit code {proc.returncode}")
    try:
        return str(json.loads(proc.stdout).get("status", {}).get("token", ""))
    except ValueError as exc:
        raise AuthError(f"exec: decoding stdout: {exc}") from exc
