"""Pure request building: from a `Mapping` and options to a `Request` (method, path, query, headers, body).

No I/O here, so every URL, query parameter and header kubectl sends can be unit-tested directly:
lists carry `limit=500`, human output asks for server-side Tables, writes carry kubectl's
`fieldManager`, deletes send a `DeleteOptions` body with `propagationPolicy`.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fkubectl.client.mapping import Mapping

JSON = "application/json"
TABLE_ACCEPT = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
                "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
PATCH_TYPES = {
    "strategic": "application/strategic-merge-patch+json",
    "merge": "application/merge-patch+json",
    "json": "application/json-patch+json",
    "apply": "application/apply-patch+yaml",
}
CHUNK_SIZE = 500


class Request:
    __slots__ = ("method", "path", "query", "headers", "body", "resource", "name", "stream")

    def __init__(self, method: str, path: str, query: dict[str, str] | None = None, *,
                 headers: dict[str, str] | None = None, body: bytes | None = None, resource: str = "",
                 name: str = "", stream: bool = False) -> None:
        self.method = method
        self.path = path
        self.query = query or {}
        self.headers = headers or {"Accept": JSON}
        self.body = body
        self.resource = resource
        self.name = name
        self.stream = stream

    @property
    def target(self) -> str:
        """Path plus query, keys sorted like Go's `url.Values.Encode`."""
        if not self.query:
            return self.path
        return f"{self.path}?{urlencode(sorted(self.query.items()))}"

    def __repr__(self) -> str:
        return f"Request({self.method} {self.target})"


def collection_path(mapping: Mapping, namespace: str = "") -> str:
    base = f"/apis/{mapping.group}/{mapping.version}" if mapping.group else f"/api/{mapping.version}"
    if mapping.namespaced and namespace:
        return f"{base}/namespaces/{quote(namespace, safe='')}/{mapping.resource}"
    return f"{base}/{mapping.resource}"


def object_path(mapping: Mapping, namespace: str, name: str, subresource: str = "") -> str:
    path = f"{collection_path(mapping, namespace)}/{quote(name, safe='')}"
    return f"{path}/{subresource}" if subresource else path


def _accept(table: bool) -> dict[str, str]:
    return {"Accept": TABLE_ACCEPT if table else JSON}


def _json_body(headers: dict[str, str], body: Any, content_type: str = JSON) -> bytes:
    headers["Content-Type"] = content_type
    return body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()


def list_request(mapping: Mapping, namespace: str = "", *, label_selector: str = "", field_selector: str = "",
                 table: bool = False, include_object: str = "", limit: int = CHUNK_SIZE, cont: str = "",
                 resource_version: str = "") -> Request:
    query: dict[str, str] = {}
    if label_selector:
        query["labelSelector"] = label_selector
    if field_selector:
        query["fieldSelector"] = field_selector
    if limit:
        query["limit"] = str(limit)
    if cont:
        query["continue"] = cont
    if resource_version:
        query["resourceVersion"] = resource_version
    if include_object and table:
        query["includeObject"] = include_object
    return Request("GET", collection_path(mapping, namespace), query, headers=_accept(table),
                   resource=mapping.group_resource)


def get_request(mapping: Mapping, namespace: str, name: str, *, table: bool = False, include_object: str = "",
                subresource: str = "") -> Request:
    query = {"includeObject": include_object} if include_object and table else {}
    return Request("GET", object_path(mapping, namespace, name, subresource), query, headers=_accept(table),
                   resource=mapping.group_resource, name=name)


def watch_request(mapping: Mapping, namespace: str = "", *, resource_version: str = "", label_selector: str = "",
                  field_selector: str = "", name: str = "", table: bool = False, timeout_seconds: int = 0,
                  send_initial_events: bool = False) -> Request:
    query: dict[str, str] = {"watch": "true"}
    selectors = [field_selector] if field_selector else []
    if name:
        selectors.append(f"metadata.name={name}")
    if selectors:
        query["fieldSelector"] = ",".join(selectors)
    if label_selector:
        query["labelSelector"] = label_selector
    if resource_version:
        query["resourceVersion"] = resource_version
    if timeout_seconds:
        query["timeoutSeconds"] = str(timeout_seconds)
    if send_initial_events:
        query.update(sendInitialEvents="true", allowWatchBookmarks="true", resourceVersionMatch="NotOlderThan")
    return Request("GET", collection_path(mapping, namespace), query, headers=_accept(table),
                   resource=mapping.group_resource, stream=True)


def _write_query(field_manager: str, field_validation: str, dry_run: bool) -> dict[str, str]:
    query: dict[str, str] = {}
    if dry_run:
        query["dryRun"] = "All"
    if field_manager:
        query["fieldManager"] = field_manager
    if field_validation:
        query["fieldValidation"] = field_validation
    return query


def create_request(mapping: Mapping, namespace: str, body: dict[str, Any], *, field_manager: str = "kubectl-create",
                   field_validation: str = "", dry_run: bool = False, subresource: str = "",
                   name: str = "") -> Request:
    headers = _accept(False)
    path = object_path(mapping, namespace, name, subresource) if subresource else collection_path(mapping, namespace)
    return Request("POST", path, _write_query(field_manager, field_validation, dry_run), headers=headers,
                   body=_json_body(headers, body), resource=mapping.group_resource,
                   name=str((body.get("metadata") or {}).get("name") or ""))


def replace_request(mapping: Mapping, namespace: str, name: str, body: dict[str, Any], *,
                    field_manager: str = "kubectl-replace", field_validation: str = "", dry_run: bool = False,
                    subresource: str = "") -> Request:
    headers = _accept(False)
    return Request("PUT", object_path(mapping, namespace, name, subresource),
                   _write_query(field_manager, field_validation, dry_run), headers=headers,
                   body=_json_body(headers, body), resource=mapping.group_resource, name=name)


def patch_request(mapping: Mapping, namespace: str, name: str, patch: Any, *, patch_type: str = "strategic",
                  field_manager: str = "kubectl-patch", field_validation: str = "", dry_run: bool = False,
                  subresource: str = "", force: bool | None = None) -> Request:
    headers = _accept(False)
    query = _write_query(field_manager, field_validation, dry_run)
    if force is not None:
        query["force"] = "true" if force else "false"
    return Request("PATCH", object_path(mapping, namespace, name, subresource), query, headers=headers,
                   body=_json_body(headers, patch, PATCH_TYPES[patch_type]), resource=mapping.group_resource,
                   name=name)


def delete_request(mapping: Mapping, namespace: str, name: str, *, propagation: str = "Background",
                   grace_period: int | None = None, dry_run: bool = False) -> Request:
    options: dict[str, Any] = {}
    if grace_period is not None and grace_period >= 0:
        options["gracePeriodSeconds"] = grace_period
    if propagation:
        options["propagationPolicy"] = propagation
    if dry_run:
        options["dryRun"] = ["All"]
    headers = _accept(False)
    return Request("DELETE", object_path(mapping, namespace, name), headers=headers,
                   body=_json_body(headers, options), resource=mapping.group_resource, name=name)


def raw_request(method: str, path: str, query: dict[str, str] | None = None, *, accept: str = JSON,
                stream: bool = False) -> Request:
    return Request(method, path, query, headers={"Accept": accept}, stream=stream)
