"""URL grammar (web/paths.py): discovery paths, resource paths, namespaces, subresources, /watch/."""

from __future__ import annotations

import pytest

from fakeapi.resources import default_registry
from fakeapi.web.paths import Discovery, Target, parse

REGISTRY = default_registry()


def target(path: str) -> tuple[str, str | None, str | None, str, bool]:
    t = parse(path, REGISTRY)
    assert isinstance(t, Target), path
    return t.info.group_resource, t.namespace, t.name, t.subresource, t.legacy_watch


@pytest.mark.parametrize("path, expected", [
    ("/api", Discovery(None, None, True)),
    ("/api/", Discovery(None, None, True)),
    ("/apis", Discovery(None, None, False)),
    ("/apis/", Discovery(None, None, False)),
    ("/api/v1", Discovery("", "v1", True)),
    ("/api/v1/", Discovery("", "v1", True)),
    ("/apis/apps", Discovery("apps", None, False)),
    ("/apis/apps/", Discovery("apps", None, False)),
    ("/apis/apps/v1", Discovery("apps", "v1", False)),
    ("/apis/apps/v1/", Discovery("apps", "v1", False)),
    ("/apis/batch/v1", Discovery("batch", "v1", False)),
])
def test_discovery_paths(path: str, expected: Discovery) -> None:
    assert parse(path, REGISTRY) == expected


@pytest.mark.parametrize("path, expected", [
    ("/api/v1/pods", ("pods", None, None, "", False)),
    ("/api/v1/pods/", ("pods", None, None, "", False)),
    ("/api/v1/namespaces/default/pods", ("pods", "default", None, "", False)),
    ("/api/v1/namespaces/default/pods/web", ("pods", "default", "web", "", False)),
    ("/api/v1/namespaces/default/pods/web/", ("pods", "default", "web", "", False)),
    ("/api/v1/namespaces/default/pods/web/status", ("pods", "default", "web", "status", False)),
    ("/api/v1/namespaces/default/pods/web/log", ("pods", "default", "web", "log", False)),
    ("/apis/apps/v1/deployments", ("deployments.apps", None, None, "", False)),
    ("/apis/apps/v1/namespaces/kube-system/deployments/web/scale",
     ("deployments.apps", "kube-system", "web", "scale", False)),
    ("/apis/batch/v1/namespaces/default/jobs/j/status", ("jobs.batch", "default", "j", "status", False)),
    # cluster-scoped kinds
    ("/api/v1/nodes/n1", ("nodes", None, "n1", "", False)),
    ("/api/v1/nodes/n1/status", ("nodes", None, "n1", "status", False)),
    # namespaces themselves: /api/v1/namespaces/<name>[/status|/finalize]
    ("/api/v1/namespaces", ("namespaces", None, None, "", False)),
    ("/api/v1/namespaces/default", ("namespaces", None, "default", "", False)),
    ("/api/v1/namespaces/default/status", ("namespaces", None, "default", "status", False)),
    ("/api/v1/namespaces/default/finalize", ("namespaces", None, "default", "finalize", False)),
    # namespaces whose names look like keywords
    ("/api/v1/namespaces/status/configmaps/x", ("configmaps", "status", "x", "", False)),
    ("/api/v1/namespaces/namespaces/configmaps", ("configmaps", "namespaces", None, "", False)),
    # the legacy /watch/ segment
    ("/api/v1/watch/pods", ("pods", None, None, "", True)),
    ("/api/v1/watch/namespaces/default/pods", ("pods", "default", None, "", True)),
    ("/api/v1/watch/namespaces/default/pods/web", ("pods", "default", "web", "", True)),
    ("/apis/apps/v1/watch/namespaces/default/deployments", ("deployments.apps", "default", None, "", True)),
])
def test_resource_paths(path: str, expected: tuple) -> None:
    assert target(path) == expected


@pytest.mark.parametrize("path", [
    "/",
    "",
    "/healthz2",
    "/api/v1/nothings",
    "/api/v2/pods",
    "/apis/apps/v1/pods",  # pods are in the core group only
    "/api/v1/deployments",  # deployments are in apps only
    "/apis/nope/v1/things",
    "/api/v1/namespaces/default/nodes",  # a cluster-scoped kind under a namespace
    "/api/v1/namespaces/default/nodes/n1",
    "/api/v1/namespaces/default/configmaps/x/status",  # configmaps have no status subresource
    "/api/v1/namespaces/default/pods/web/nope",
    "/api/v1/namespaces/default/pods/web/status/extra",
    "/api/v1/watch",
    "/apis/apps/v1/namespaces/default/deployments/web/log",
])
def test_unknown_paths(path: str) -> None:
    assert parse(path, REGISTRY) is None


def test_every_served_resource_routes_to_itself() -> None:
    for info in REGISTRY.resources:
        prefix = f"/apis/{info.group}/{info.version}" if info.group else f"/api/{info.version}"
        if info.namespaced:
            coll = f"{prefix}/namespaces/ns1/{info.plural}"
            assert target(coll) == (info.group_resource, "ns1", None, "", False)
            assert target(f"{prefix}/{info.plural}") == (info.group_resource, None, None, "", False)
        else:
            coll = f"{prefix}/{info.plural}"
            assert target(coll) == (info.group_resource, None, None, "", False)
        assert target(f"{coll}/obj") == (info.group_resource, "ns1" if info.namespaced else None, "obj", "", False)
        for sub in info.subresources:
            assert target(f"{coll}/obj/{sub}")[3] == sub
