"""URL parsing for the resource API: /api/v1/... and /apis/<group>/<version>/..., namespaced or not.

`parse()` turns a path into a Target (resource, namespace, name, subresource) or a discovery request.
Trailing slashes are accepted (kr8s sends them), as is the legacy `/watch/` path segment.
"""

from __future__ import annotations

from dataclasses import dataclass

from fakeapi.registry.registry import Registry
from fakeapi.registry.resource import ResourceInfo


@dataclass(frozen=True, slots=True)
class Target:
    info: ResourceInfo
    namespace: str | None
    name: str | None
    subresource: str
    legacy_watch: bool = False


@dataclass(frozen=True, slots=True)
class Discovery:
    group: str | None  # None: the root (/api or /apis); "" is the core group
    version: str | None
    legacy_core: bool  # under /api rather than /apis


def parse(path: str, registry: Registry) -> Target | Discovery | None:
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    if parts[0] == "api":
        if len(parts) == 1:
            return Discovery(None, None, True)
        group, version, rest = "", parts[1], parts[2:]
        if not rest:
            return Discovery("", version, True)
    elif parts[0] == "apis":
        if len(parts) == 1:
            return Discovery(None, None, False)
        if len(parts) == 2:
            return Discovery(parts[1], None, False)
        group, version, rest = parts[1], parts[2], parts[3:]
        if not rest:
            return Discovery(group, version, False)
    else:
        return None
    legacy_watch = False
    if rest[0] == "watch":
        legacy_watch, rest = True, rest[1:]
        if not rest:
            return None
    namespace = None
    if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in _NAMESPACE_SUBRESOURCES:
        namespace, rest = rest[1], rest[2:]
    info = registry.lookup(group, version, rest[0])
    if info is None:
        return None
    if namespace is not None and not info.namespaced:
        return None
    name = rest[1] if len(rest) > 1 else None
    sub = rest[2] if len(rest) > 2 else ""
    if len(rest) > 3 or (sub and sub not in info.subresources):
        return None
    return Target(info, namespace, name, sub, legacy_watch)


_NAMESPACE_SUBRESOURCES = ("status", "finalize")
