"""ResourceInfo: everything the generic layers need to know about one kind, declared once per kind module.

Discovery, URL routing, storage keys, error wording and the ResourceStore all read from here, so adding a
kind is one module under fakeapi/resources/ that exports `RESOURCE` (and optionally `STRATEGY`, `COLUMNS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fakeapi.registry.strategy import Strategy
    from fakeapi.registry.tables import TableDef

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class Subresource:
    """A subresource as discovery shows it; group/version/kind default to the parent's."""

    kind: str = ""
    verbs: tuple[str, ...] = ("get", "patch", "update")
    group: str | None = None
    version: str | None = None


STATUS = Subresource()
SCALE = Subresource("Scale", group="autoscaling", version="v1")


@dataclass
class ResourceInfo:
    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    # subresource name ("status", "scale", "log", ...) -> what discovery says of it
    subresources: dict[str, Subresource] = field(default_factory=dict)
    # DELETE answers with the object itself instead of a Success Status (pods, PVs, PVCs, serviceaccounts)
    return_deleted_object: bool = False
    allow_unconditional_update: bool = True
    # fields usable in fieldSelector beyond metadata.name / metadata.namespace
    selectable_fields: tuple[str, ...] = ()
    strategy: Strategy | None = None
    table: TableDef | None = None

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def group_resource(self) -> str:
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def key_prefix(self, namespace: str | None = None) -> str:
        """etcd keys: /registry/<group>/<resource>/<namespace>/<name>; core kinds have no group segment."""
        base = f"/registry/{self.group}/{self.plural}/" if self.group else f"/registry/{self.plural}/"
        if self.namespaced and namespace:
            return f"{base}{namespace}/"
        return base

    def key(self, namespace: str | None, name: str) -> str:
        return self.key_prefix(namespace) + name
