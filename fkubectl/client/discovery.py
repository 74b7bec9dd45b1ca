"""API discovery with kubectl's on-disk cache, in kubectl's own file layout.

`<cache>/discovery/<host_port>/servergroups.json` holds an `APIGroupList` (core group `""` first) and
`<cache>/discovery/<host_port>/<group>/<version>/serverresources.json` an `APIResourceList`; the cache
root is `--cache-dir`, else `$KUBECACHEDIR`, else `~/.kube/cache`, and entries expire after 6 hours
(file mtime), exactly as `cli-runtime`'s `ConfigFlags.ToDiscoveryClient`. kubectl and fkubectl can
therefore share one cache.

Fetching asks for aggregated discovery (`/api` + `/apis`, two requests in all) and falls back to the
legacy per-group-version documents when the server answers in the legacy format (decided by the
response Content-Type, as client-go does).
"""

from __future__ import annotations

import json
import os
import time

from fkubectl.client.mapping import Mapping
from fkubectl.client.request import raw_request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.client import Client

TTL_SECONDS = 6 * 3600
AGGREGATED_ACCEPT = ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                     "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/.()")


def default_cache_root(cache_dir: str = "", environ: Any = None) -> str:
    environ = os.environ if environ is None else environ
    if cache_dir:
        return cache_dir
    return environ.get("KUBECACHEDIR") or os.path.join(os.path.expanduser("~"), ".kube", "cache")


def cache_dir_for(root: str, server: str) -> str:
    """`computeDiscoverCacheDir`: strip the scheme, then every unusual character becomes `_`."""
    host = server.replace("https://", "", 1).replace("http://", "", 1)
    return os.path.join(root, "discovery", "".join(c if c in _SAFE else "_" for c in host))


class Discovery:
    def __init__(self, client: Client, directory: str, *, ttl: float = TTL_SECONDS) -> None:
        self.client = client
        self.directory = directory
        self.ttl = ttl
        self.fresh = False  # True once this process fetched from the server
        self._groups: dict[str, Any] | None = None
        self._resources: dict[str, dict[str, Any]] = {}

    # -- cache files -------------------------------------------------------------------------------
    def _read(self, relative: str) -> Any:
        path = os.path.join(self.directory, relative)
        try:
            if time.time() - os.stat(path).st_mtime > self.ttl:
                return None
            with open(path, "rb") as fh:
                return json.loads(fh.read())
        except (OSError, ValueError):
            return None

    def _write(self, relative: str, doc: dict[str, Any]) -> None:
        path = os.path.join(self.directory, relative)
        try:
            os.makedirs(os.path.dirname(path), mode=0o750, exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, separators=(",", ":"))
            os.chmod(tmp, 0o660)
            os.replace(tmp, path)
        except OSError:
            pass

    # -- documents ---------------------------------------------------------------------------------
    def server_groups(self) -> dict[str, Any]:
        if self._groups is None:
            cached = None if self.fresh else self._read("servergroups.json")
            if cached is None:
                self.refresh()
            else:
                self._groups = cached
        assert self._groups is not None
        return self._groups

    def server_resources(self, group_version: str) -> dict[str, Any]:
        doc = self._resources.get(group_version)
        if doc is None:
            doc = None if self.fresh else self._read(os.path.join(group_version, "serverresources.json"))
            if doc is None:
                if not self.fresh:
                    self.refresh()
                    return self.server_resources(group_version)
                doc = self._fetch_legacy_resources(group_version)
            self._resources[group_version] = doc
        return doc

    def refresh(self) -> None:
        """Re-read discovery from the server and rewrite the cache."""
        self.fresh = True
        self._resources = {}
        core = self.client.send(raw_request("GET", "/api", accept=AGGREGATED_ACCEPT))
        core_type, core_body = core.headers.get("content-type", ""), core.read()
        apis = self.client.send(raw_request("GET", "/apis", accept=AGGREGATED_ACCEPT))
        apis_type, apis_body = apis.headers.get("content-type", ""), apis.read()
        if "as=APIGroupDiscoveryList" in core_type and "as=APIGroupDiscoveryList" in apis_type:
            items = json.loads(core_body).get("items", []) + json.loads(apis_body).get("items", [])
            groups, resources = from_aggregated(items)
        else:
            groups = legacy_groups(json.loads(core_body), json.loads(apis_body))
            resources = {}
            for group in groups["groups"]:
                for version in group["versions"]:
                    gv = version["groupVersion"]
                    resources[gv] = self._fetch_legacy_resources(gv)
        self._groups = groups
        self._write("servergroups.json", groups)
        for gv, doc in resources.items():
            self._resources[gv] = doc
            self._write(os.path.join(gv, "serverresources.json"), doc)

    def _fetch_legacy_resources(self, gv: str) -> dict[str, Any]:
        path = f"/api/{gv}" if "/" not in gv else f"/apis/{gv}"
        doc = self.client.json(raw_request("GET", path, accept="application/json, */*"))
        return doc if isinstance(doc, dict) else {"groupVersion": gv, "resources": []}

    # -- views -------------------------------------------------------------------------------------
    def group_versions(self, *, preferred_only: bool = True) -> list[tuple[str, str]]:
        """(group, version) pairs in priority order: core first, then /apis order, preferred first."""
        out: list[tuple[str, str]] = []
        for group in self.server_groups().get("groups", []):
            name = group.get("name", "")
            preferred = (group.get("preferredVersion") or {}).get("version", "")
            versions = [v.get("version", "") for v in group.get("versions", [])]
            if preferred in versions:
                versions.remove(preferred)
                versions.insert(0, preferred)
            out.extend((name, v) for v in (versions[:1] if preferred_only else versions))
        return out

    def mappings(self, *, preferred_only: bool = True) -> list[Mapping]:
        out: list[Mapping] = []
        for group, version in self.group_versions(preferred_only=preferred_only):
            gv = f"{group}/{version}" if group else version
            out.extend(mappings_from(group, version, self.server_resources(gv)))
        return out


def mappings_from(group: str, version: str, doc: dict[str, Any]) -> list[Mapping]:
    out: list[Mapping] = []
    subresources: dict[str, dict[str, dict[str, Any]]] = {}
    for res in doc.get("resources", []):
        name = res.get("name", "")
        if "/" in name:
            parent, sub = name.split("/", 1)
            subresources.setdefault(parent, {})[sub] = res
    for res in doc.get("resources", []):
        name = res.get("name", "")
        if "/" in name:
            continue
        out.append(Mapping(group, version, name, res.get("kind", ""), bool(res.get("namespaced")),
                           singular=res.get("singularName", ""), short_names=tuple(res.get("shortNames") or ()),
                           verbs=tuple(res.get("verbs") or ()), categories=tuple(res.get("categories") or ()),
                           subresources=subresources.get(name, {})))
    return out


def legacy_groups(core: dict[str, Any], apis: dict[str, Any]) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    versions = core.get("versions") or []
    if versions:
        entries = [{"groupVersion": v, "version": v} for v in versions]
        groups.append({"name": "", "versions": entries, "preferredVersion": entries[0]})
    groups.extend(apis.get("groups") or [])
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def from_aggregated(items: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Convert `APIGroupDiscovery` items into the legacy documents (client-go `aggregated_discovery.go`)."""
    groups: list[dict[str, Any]] = []
    resources: dict[str, dict[str, Any]] = {}
    for item in items:
        name = (item.get("metadata") or {}).get("name", "")
        entries = []
        preferred = None
        for version in item.get("versions") or []:
            v = version.get("version", "")
            gv = f"{name}/{v}" if name else v
            entry = {"groupVersion": gv, "version": v}
            entries.append(entry)
            if preferred is None and version.get("freshness") != "Stale":
                preferred = entry
            resources[gv] = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                             "resources": _aggregated_resources(name, v, version.get("resources") or [])}
        if entries:
            groups.append({"name": name, "versions": entries, "preferredVersion": preferred or entries[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}, resources


def _aggregated_resources(group: str, version: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for res in items:
        kind = res.get("responseKind") or {}
        if not kind:
            continue
        entry: dict[str, Any] = {"name": res.get("resource", ""), "singularName": res.get("singularResource", ""),
                                 "namespaced": res.get("scope") == "Namespaced", "kind": kind.get("kind", ""),
                                 "verbs": res.get("verbs") or []}
        if kind.get("group", "") != group or kind.get("version", "") != version:
            entry["group"], entry["version"] = kind.get("group", ""), kind.get("version", "")
        if res.get("shortNames"):
            entry["shortNames"] = res["shortNames"]
        if res.get("categories"):
            entry["categories"] = res["categories"]
        out.append(entry)
        for sub in res.get("subresources") or []:
            sub_kind = sub.get("responseKind") or {}
            if not sub_kind:
                continue
            sub_entry: dict[str, Any] = {"name": f"{entry['name']}/{sub.get('subresource', '')}", "singularName": "",
                                         "namespaced": entry["namespaced"], "kind": sub_kind.get("kind", ""),
                                         "verbs": sub.get("verbs") or []}
            if sub_kind.get("group", "") != group or sub_kind.get("version", "") != version:
                sub_entry["group"], sub_entry["version"] = sub_kind.get("group", ""), sub_kind.get("version", "")
            out.append(sub_entry)
    return out
