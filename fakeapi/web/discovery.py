"""Discovery documents, derived from the Registry.

Legacy format (APIVersions, APIGroupList, APIGroup, APIResourceList) is the default; aggregated
discovery v2 is served only when Accept asks for `as=APIGroupDiscoveryList`, with its exact
Content-Type, since clients decide the format from the Content-Type alone.
"""

from __future__ import annotations

from typing import Any

from fakeapi.registry.registry import Registry
from fakeapi.registry.resource import ResourceInfo

AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def wants_aggregated(accept: str | None) -> bool:
    if not accept or "as=APIGroupDiscoveryList" not in accept:
        return False
    for part in accept.split(","):
        params = [p.strip() for p in part.split(";")]
        if "as=APIGroupDiscoveryList" in params and "g=apidiscovery.k8s.io" in params and "v=v2" in params:
            return True
        if params[0] in ("application/json", "*/*"):
            return False
    return False


def api_versions() -> dict[str, Any]:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]}


def _group(name: str, versions: list[str]) -> dict[str, Any]:
    gvs = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": gvs, "preferredVersion": gvs[0]}


def api_group_list(registry: Registry) -> dict[str, Any]:
    groups = [_group(g, vs) for g, vs in registry.groups().items() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(registry: Registry, group: str) -> dict[str, Any] | None:
    versions = registry.groups().get(group)
    if not versions or not group:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(group, versions)}


def _resource_entries(info: ResourceInfo) -> list[dict[str, Any]]:
    main: dict[str, Any] = {"name": info.plural, "singularName": info.singular, "namespaced": info.namespaced,
                            "kind": info.kind, "verbs": list(info.verbs)}
    if info.short_names:
        main["shortNames"] = list(info.short_names)
    if info.categories:
        main["categories"] = list(info.categories)
    out = [main]
    for sub, spec in info.subresources.items():
        entry: dict[str, Any] = {"name": f"{info.plural}/{sub}", "singularName": "", "namespaced": info.namespaced,
                                 "kind": spec.kind or info.kind, "verbs": list(spec.verbs)}
        if spec.group is not None:
            entry["group"] = spec.group
        if spec.version is not None:
            entry["version"] = spec.version
        out.append(entry)
    return out


def resource_list(registry: Registry, group: str, version: str) -> dict[str, Any] | None:
    infos = registry.in_group_version(group, version)
    if not infos:
        return None
    resources = [e for info in infos for e in _resource_entries(info)]
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}


def _aggregated_resource(info: ResourceInfo) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resource": info.plural,
        "responseKind": {"group": info.group, "version": info.version, "kind": info.kind},
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular,
        "verbs": list(info.verbs),
    }
    if info.short_names:
        res["shortNames"] = list(info.short_names)
    if info.categories:
        res["categories"] = list(info.categories)
    subs = []
    for sub, spec in info.subresources.items():
        subs.append({"subresource": sub,
                     "responseKind": {"group": info.group if spec.group is None else spec.group,
                                      "version": info.version if spec.version is None else spec.version,
                                      "kind": spec.kind or info.kind},
                     "verbs": list(spec.verbs)})
    if subs:
        res["subresources"] = subs
    return res


def aggregated(registry: Registry, core: bool) -> dict[str, Any]:
    items = []
    for group, versions in registry.groups().items():
        if (group == "") != core:
            continue
        item: dict[str, Any] = {"metadata": {"name": group} if group else {}, "versions": []}
        for v in versions:
            item["versions"].append({"version": v, "freshness": "Current",
                                     "resources": [_aggregated_resource(i) for i in registry.in_group_version(group, v)]})
        items.append(item)
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items}
