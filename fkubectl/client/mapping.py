"""`Mapping`: one served resource as discovery describes it (kubectl's RESTMapping + APIResource).

It is what request building needs (group, version, plural, namespaced) and what printing needs (kind,
`kind.group` for `deployment.apps/web`).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Mapping:
    __slots__ = ("group", "version", "resource", "kind", "namespaced", "singular", "short_names", "verbs",
                 "categories", "subresources")

    def __init__(self, group: str, version: str, resource: str, kind: str, namespaced: bool, *,
                 singular: str = "", short_names: tuple[str, ...] = (), verbs: tuple[str, ...] = (),
                 categories: tuple[str, ...] = (), subresources: dict[str, dict[str, Any]] | None = None) -> None:
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.namespaced = namespaced
        self.singular = singular or kind.lower()
        self.short_names = short_names
        self.verbs = verbs
        self.categories = categories
        self.subresources = subresources or {}

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def api_version(self) -> str:
        return self.group_version

    @property
    def group_resource(self) -> str:
        """`pods`, `deployments.apps`: how the apiserver names the resource in messages."""
        return f"{self.resource}.{self.group}" if self.group else self.resource

    @property
    def group_kind(self) -> str:
        """`Pod`, `Deployment.apps`."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def kind_prefix(self) -> str:
        """The `pod`/`deployment.apps` in `deployment.apps/web`."""
        return self.group_kind.lower()

    def __repr__(self) -> str:
        return f"Mapping({self.group_version}, {self.resource}, {self.kind})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and (self.group, self.version, self.resource) == (
            other.group, other.version, other.resource)

    def __hash__(self) -> int:
        return hash((self.group, self.version, self.resource))
