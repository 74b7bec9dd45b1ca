"""Registry: the set of served kinds, looked up by URL (group, version, plural) or by kind.

Built from the kind modules' `RESOURCE` declarations, each copied with a fresh strategy instance so that
per-server state on a strategy (the Service IP allocator) never leaks between servers in one process; a
kind without its own strategy gets `GenericStrategy`. Discovery documents are derived from the same data, so what is routable and what is
advertised cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy


class Registry:
    def __init__(self, resources: Iterable[ResourceInfo]) -> None:
        self._by_path: dict[tuple[str, str, str], ResourceInfo] = {}
        self._by_kind: dict[tuple[str, str], ResourceInfo] = {}
        self._groups: dict[str, list[str]] = {}
        self.resources: list[ResourceInfo] = []
        for declared in resources:
            info = dataclasses.replace(declared)
            info.strategy = type(declared.strategy)(info) if declared.strategy is not None else GenericStrategy(info)
            self._by_path[(info.group, info.version, info.plural)] = info
            self._by_kind.setdefault((info.group, info.kind), info)
            versions = self._groups.setdefault(info.group, [])
            if info.version not in versions:
                versions.append(info.version)
            self.resources.append(info)

    def lookup(self, group: str, version: str, plural: str) -> ResourceInfo | None:
        return self._by_path.get((group, version, plural))

    def by_kind(self, group: str, kind: str) -> ResourceInfo | None:
        return self._by_kind.get((group, kind))

    def by_api_version_kind(self, api_version: str, kind: str) -> ResourceInfo | None:
        group = api_version.rpartition("/")[0]
        return self._by_kind.get((group, kind))

    def groups(self) -> dict[str, list[str]]:
        """group name -> served versions, preferred first; the core group is ""."""
        return self._groups

    def in_group_version(self, group: str, version: str) -> list[ResourceInfo]:
        return [r for r in self.resources if r.group == group and r.version == version]

    def namespaced(self) -> list[ResourceInfo]:
        return [r for r in self.resources if r.namespaced]

