"""Rollout behaviour per kind, by lookup table (kubectl's polymorphichelpers):
`status_viewer_for(group, kind)`, `history_viewer_for`, `rollbacker_for`; unsupported kinds get kubectl's
"no ... has been implemented for ..." errors."""

from __future__ import annotations

from importlib import import_module

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STATUS_VIEWERS = {
    ("apps", "Deployment"): "fkubectl.rollout.status:deployment",
    ("apps", "DaemonSet"): "fkubectl.rollout.status:daemon_set",
    ("apps", "StatefulSet"): "fkubectl.rollout.status:stateful_set",
}
HISTORY_VIEWERS = {
    ("apps", "Deployment"): "fkubectl.rollout.deployment:history",
}
ROLLBACKERS = {
    ("apps", "Deployment"): "fkubectl.rollout.deployment:rollback",
}


def _load(table: dict[tuple[str, str], str], group: str, kind: str, what: str) -> Any:
    path = table.get((group, kind))
    if path is None:
        gk = f"{kind}.{group}" if group else kind
        raise CommandError(f"no {what} has been implemented for {gk}")
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def status_viewer_for(group: str, kind: str) -> Any:
    return _load(STATUS_VIEWERS, group, kind, "status viewer")


def history_viewer_for(group: str, kind: str) -> Any:
    return _load(HISTORY_VIEWERS, group, kind, "history viewer")


def rollbacker_for(group: str, kind: str) -> Any:
    return _load(ROLLBACKERS, group, kind, "rollbacker")
