"""Patch metadata (strategy and merge key per field), from the server's OpenAPI v3 schemas.

`PatchMeta.field(name)` walks into a map field; `PatchMeta.list(name)` returns the list's strategies
(`merge`, `retainKeys`, `replace`), merge key and item schema, from `x-kubernetes-patch-strategy` and
`x-kubernetes-patch-merge-key` (`$ref` and `allOf: [$ref]` are followed). A field without metadata gets
the defaults: maps merge recursively, lists are replaced whole.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_EMPTY: dict[str, Any] = {}


class PatchMeta:
    __slots__ = ("node", "schemas")

    def __init__(self, node: dict[str, Any] | None, schemas: dict[str, Any]) -> None:
        self.node = self._resolve(node or {}, schemas)
        self.schemas = schemas

    @staticmethod
    def _resolve(node: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
        for _ in range(16):
            ref = node.get("$ref")
            if ref is None and len(node.get("allOf") or []) == 1:
                ref = node["allOf"][0].get("$ref")
            if not ref:
                return node
            node = schemas.get(str(ref).rsplit("/", 1)[-1], _EMPTY)
        return node

    def _property(self, name: str) -> dict[str, Any]:
        props = self.node.get("properties")
        if props is not None:
            return props.get(name) or _EMPTY
        extra = self.node.get("additionalProperties")
        return extra if isinstance(extra, dict) else _EMPTY

    def field(self, name: str) -> PatchMeta:
        prop = self._property(name)
        return PatchMeta(prop, self.schemas)

    def strategies(self, name: str) -> list[str]:
        raw = str(self._property(name).get("x-kubernetes-patch-strategy") or "")
        return [s for s in raw.split(",") if s]

    def list(self, name: str) -> tuple[list[str], str, PatchMeta]:
        prop = self._property(name)
        strategies = self.strategies(name)
        merge_key = str(prop.get("x-kubernetes-patch-merge-key") or "")
        items = PatchMeta(prop, self.schemas).node.get("items")
        return strategies, merge_key, PatchMeta(items if isinstance(items, dict) else None, self.schemas)


EMPTY = PatchMeta(None, {})
