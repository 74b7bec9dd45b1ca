"""OpenAPI v3 from the server (`/openapi/v3` index, then one document per group-version), cached on disk.

The index maps `api/v1` / `apis/<group>/<version>` to a `serverRelativeURL` carrying a content hash, so a
cached document stays valid for exactly as long as that URL is the one the server advertises (kubectl's
HTTP cache works the same way). Used for strategic-merge-patch metadata (apply) and `explain`.
"""

from __future__ import annotations

import json
import os

from fkubectl.client.errors import ApiError
from fkubectl.client.request import raw_request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.client import Client


class OpenAPI:
    def __init__(self, client: Client, cache_dir: str) -> None:
        self.client = client
        self.cache_dir = cache_dir
        self._index: dict[str, Any] | None = None
        self._docs: dict[str, dict[str, Any] | None] = {}

    def index(self) -> dict[str, Any]:
        if self._index is None:
            try:
                self._index = self.client.json(raw_request("GET", "/openapi/v3")).get("paths") or {}
            except ApiError:
                self._index = {}
        return self._index

    def document(self, group: str, version: str) -> dict[str, Any] | None:
        key = f"apis/{group}/{version}" if group else f"api/{version}"
        if key in self._docs:
            return self._docs[key]
        entry = self.index().get(key)
        doc = None
        if entry and entry.get("serverRelativeURL"):
            doc = self._fetch(str(entry["serverRelativeURL"]))
        self._docs[key] = doc
        return doc

    def _fetch(self, url: str) -> dict[str, Any] | None:
        path, _, query = url.partition("?")
        name = "".join(c if c.isalnum() or c in "._-" else "_" for c in path.strip("/") + "_" + query[-32:])
        cached = os.path.join(self.cache_dir, name + ".json")
        try:
            with open(cached, "rb") as fh:
                return json.loads(fh.read())  # type: ignore[no-any-return]
        except (OSError, ValueError):
            pass
        query_dict = dict(part.split("=", 1) for part in query.split("&") if "=" in part) if query else {}
        try:
            body = self.client.raw(raw_request("GET", path, query_dict))
        except ApiError:
            return None
        try:
            os.makedirs(self.cache_dir, exist_ok=True)
            tmp = f"{cached}.{os.getpid()}"
            with open(tmp, "wb") as fh:
                fh.write(body)
            os.replace(tmp, cached)
        except OSError:
            pass
        return json.loads(body)  # type: ignore[no-any-return]

    def schema_for(self, group: str, version: str, kind: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(the kind's schema, all component schemas) or None."""
        doc = self.document(group, version)
        if not doc:
            return None
        schemas = (doc.get("components") or {}).get("schemas") or {}
        for schema in schemas.values():
            for gvk in schema.get("x-kubernetes-group-version-kind") or []:
                if gvk.get("group", "") == group and gvk.get("version") == version and gvk.get("kind") == kind:
                    return schema, schemas
        return None
