"""Per-namespace defaults: the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap.

kube-controller-manager's serviceaccount-controller makes sure every namespace that is not terminating
has a ServiceAccount named `default` (nothing else in it: no token secrets since 1.24), and the
root-ca-cert-publisher makes sure every namespace has the `kube-root-ca.crt` ConfigMap carrying the
cluster CA bundle under `ca.crt` with its `kubernetes.io/description` annotation. Both recreate what is
deleted and the publisher restores edited data; both ignore namespaces being deleted.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fakeapi.cluster.controller import Obj, WorkQueue, get, watch
from fakeapi.cluster.platform.base import CONTROLLER_MANAGER, info_of, write_options
from fakeapi.errors import StatusError
from fakeapi.registry.watch import WatchEvent
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext

SERVICE_ACCOUNT = "default"
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
               "such as the internal service IPs or DNS name (e.g. https://kubernetes.default.svc:443). Note that "
               "this CA bundle is not guaranteed to be correct for the cluster and may change.")
#: a self-signed "CN=kubernetes" CA certificate (its key was thrown away: nothing here serves TLS)
CA_CERT = """\
-----BEGIN CERTIFICATE-----
MIIBjzCCATWgAwIBAgIUEhQ9ZPNL2WfCrUhd6Jf/F7xkiKMwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjExMjMxMTIzMzBaFw0zNjExMjAx
MTIzMzBaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATuDeGsdgh105M5zKmIM0JsVOPXGrOpSjkQoUsqBfTFaLPT1uFlVsGP
gXQyT0NbCt8q037WJmtpRJ8o2pm5KMZVo2MwYTAdBgNVHQ4EFgQUGkz5JSxPx0/f
M8XuvXtMhEKAeFkwHwYDVR0jBBgwFoAUGkz5JSxPx0/fM8XuvXtMhEKAeFkwDwYD
VR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAqQwCgYIKoZIzj0EAwIDSAAwRQIg
ITqS/GVDIfZt6hHYJNebLv95fFr7Q7dRzGGD3kKTSlsCIQCFr+spZNl0esvQkuR7
4YC6oZjlKYLC6bqIuxTa1eRa4g==
-----END CERTIFICATE-----
"""


def _open(ns: Obj | None) -> bool:
    return ns is not None and not ns["metadata"].get("deletionTimestamp") and \
        (ns.get("status") or {}).get("phase") != "Terminating"


def _ignore_closed(exc: StatusError) -> None:
    """Creating in a namespace that is gone or terminating fails; that is fine."""
    if exc.code not in (403, 404, 409):
        raise exc


async def namespace_defaults(ctx: ClusterContext) -> None:
    server = ctx.server
    namespaces = info_of(server, "", "v1", "namespaces")
    accounts = info_of(server, "", "v1", "serviceaccounts")
    configmaps = info_of(server, "", "v1", "configmaps")
    queue = WorkQueue(ctx.clock)

    def sync(namespace: str) -> None:
        if not _open(get(server, namespaces, None, namespace)):
            return
        if get(server, accounts, namespace, SERVICE_ACCOUNT) is None:
            try:
                server.store.create(accounts, namespace, {"metadata": {"name": SERVICE_ACCOUNT}},
                                    write_options(CONTROLLER_MANAGER))
            except StatusError as exc:
                _ignore_closed(exc)
        current = get(server, configmaps, namespace, ROOT_CA_CONFIGMAP)
        if current is None:
            try:
                server.store.create(configmaps, namespace, {
                    "metadata": {"name": ROOT_CA_CONFIGMAP, "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION}},
                    "data": {"ca.crt": CA_CERT}}, write_options(CONTROLLER_MANAGER))
            except StatusError as exc:
                _ignore_closed(exc)
            return
        annotations = current["metadata"].get("annotations") or {}
        if current.get("data") != {"ca.crt": CA_CERT} or annotations.get(DESCRIPTION_ANNOTATION) != DESCRIPTION:
            def restore(cm: Obj) -> Obj:
                cm["data"] = {"ca.crt": CA_CERT}
                cm.pop("binaryData", None)
                cm["metadata"].setdefault("annotations", {})[DESCRIPTION_ANNOTATION] = DESCRIPTION
                return cm

            server.store.guaranteed_update(configmaps, namespace, ROOT_CA_CONFIGMAP, restore,
                                           opts=write_options(CONTROLLER_MANAGER))

    def on_namespace(ev: WatchEvent) -> None:
        if ev.type != DELETED:
            queue.add(ev.obj["metadata"]["name"])

    def on_account(ev: WatchEvent) -> None:
        if ev.type == DELETED and ev.obj["metadata"]["name"] == SERVICE_ACCOUNT:
            queue.add(ev.obj["metadata"]["namespace"])

    def on_configmap(ev: WatchEvent) -> None:
        if ev.obj["metadata"]["name"] == ROOT_CA_CONFIGMAP and ev.type != "ADDED":
            queue.add(ev.obj["metadata"]["namespace"])

    await asyncio.gather(queue.run(sync), watch(server, namespaces, on_namespace),
                         watch(server, accounts, on_account), watch(server, configmaps, on_configmap))
