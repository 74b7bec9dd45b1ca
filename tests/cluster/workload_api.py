"""A small REST client for the workload controller tests: JSON in and out, and bounded polling."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

Obj = dict[str, Any]

APPS = "/apis/apps/v1/namespaces/{ns}/{plural}"
CORE = "/api/v1/namespaces/{ns}/{plural}"


def wait_for(check: Callable[[], Any], timeout: float = 15.0, interval: float = 0.03,
             what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy (which it returns); fail after `timeout` real
    seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class Api:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=10)

    @staticmethod
    def path(plural: str, ns: str, name: str = "") -> str:
        group = APPS if plural in ("deployments", "replicasets", "statefulsets", "daemonsets",
                                   "controllerrevisions") else CORE
        base = group.format(ns=ns, plural=plural)
        return f"{base}/{name}" if name else base

    def create(self, plural: str, ns: str, obj: Obj) -> Obj:
        r = self.http.post(self.path(plural, ns), json=obj)
        assert r.status_code == 201, r.text
        created: Obj = r.json()
        return created

    def find(self, plural: str, ns: str, name: str) -> Obj | None:
        r = self.http.get(self.path(plural, ns, name))
        if r.status_code == 404:
            return None
        assert r.status_code == 200, r.text
        found: Obj = r.json()
        return found

    def get(self, plural: str, ns: str, name: str) -> Obj:
        found = self.find(plural, ns, name)
        assert found is not None, f"{plural} {ns}/{name} not found"
        return found

    def items(self, plural: str, ns: str, selector: str = "") -> list[Obj]:
        params = {"labelSelector": selector} if selector else {}
        r = self.http.get(self.path(plural, ns), params=params)
        assert r.status_code == 200, r.text
        return sorted(r.json()["items"], key=lambda o: o["metadata"]["name"])

    def patch(self, plural: str, ns: str, name: str, body: Any, kind: str = "merge", subresource: str = "") -> Obj:
        content_type = {"merge": "application/merge-patch+json", "json": "application/json-patch+json",
                        "strategic": "application/strategic-merge-patch+json"}[kind]
        path = self.path(plural, ns, name) + (f"/{subresource}" if subresource else "")
        r = self.http.patch(path, content=json.dumps(body), headers={"Content-Type": content_type})
        assert r.status_code == 200, r.text
        return r.json()

    def delete(self, plural: str, ns: str, name: str, policy: str | None = None) -> httpx.Response:
        body = {"propagationPolicy": policy} if policy else None
        return self.http.request("DELETE", self.path(plural, ns, name), json=body)

    def namespace(self, name: str) -> str:
        r = self.http.post("/api/v1/namespaces", json={"metadata": {"name": name}})
        assert r.status_code in (201, 409), r.text
        return name

    def events(self, ns: str, name: str = "", component: str = "") -> list[Obj]:
        items = self.items("events", ns)
        return [e for e in items if (not name or e["involvedObject"]["name"] == name)
                and (not component or e["source"].get("component") == component)]

    def messages(self, ns: str, name: str = "", reason: str = "") -> list[str]:
        """Event messages in the order they were written (a repeated event sorts by its last write)."""
        events = sorted(self.events(ns, name), key=lambda e: int(e["metadata"]["resourceVersion"]))
        return [e["message"] for e in events if not reason or e["reason"] == reason]


def deployment(name: str, *, replicas: int = 3, image: str = "nginx:1.25", **spec: Any) -> Obj:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "app", "image": image}]}}, **spec}}


def ready_pod(pod: Obj) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def owner_uids(obj: Obj) -> list[str]:
    return [r["uid"] for r in obj["metadata"].get("ownerReferences") or []]
