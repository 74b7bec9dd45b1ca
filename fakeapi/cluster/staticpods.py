"""Static pods: manifests in a directory, run by the control-plane node's kubelet, shown as mirror pods.

The directory is rescanned twice a second. Each manifest becomes a mirror pod `<name>-<node>` carrying
the kubernetes.io/config.{source,hash,seen,mirror} annotations and a controller ownerReference to the
Node. The API cannot control it: a deleted mirror pod comes back (new uid), a changed one is replaced by
the manifest's version, and only removing the file removes the pod.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fakeapi import codec
from fakeapi.cluster.informer import resource
from fakeapi.cluster.kubelet import MIRROR_ANNOTATION, Kubelet
from fakeapi.cluster.nodes import NodeSpec
from fakeapi.errors import StatusError
from fakeapi.registry.objectmeta import now_rfc3339
from fakeapi.registry.options import DeleteOptions

if TYPE_CHECKING:
    from fakeapi.server import Server

Obj = dict[str, Any]
SCAN_SECONDS = 0.5
SUFFIXES = (".yaml", ".yml", ".json")
HASH = "kubernetes.io/config.hash"


def read_manifest(path: Path, node: NodeSpec) -> Obj | None:
    """The static pod a manifest describes (defaults applied as the kubelet does), or None if unusable."""
    try:
        raw = path.read_bytes()
        doc = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(doc, dict) or doc.get("kind") != "Pod" or not isinstance(doc.get("metadata"), dict):
        return None
    meta = doc["metadata"]
    if not meta.get("name"):
        return None
    digest = hashlib.sha256(raw + f"host:{node.name}file:{path}".encode()).hexdigest()[:32]
    meta["name"] = f"{meta['name']}-{node.name.lower()}"
    meta.setdefault("namespace", "default")
    meta["annotations"] = {**(meta.get("annotations") or {}), "kubernetes.io/config.source": "file",
                           HASH: digest, MIRROR_ANNOTATION: digest}
    spec = doc.setdefault("spec", {})
    spec["nodeName"] = node.name
    tolerations = spec.setdefault("tolerations", [])
    if {"operator": "Exists", "effect": "NoExecute"} not in tolerations:
        tolerations.append({"operator": "Exists", "effect": "NoExecute"})
    return doc


class StaticPods:
    def __init__(self, server: Server, node: NodeSpec, directory: Path, kubelet: Kubelet) -> None:
        self.server = server
        self.node = node
        self.directory = directory
        self.kubelet = kubelet
        self.pods = resource(server, "", "v1", "pods")
        self.nodes = resource(server, "", "v1", "nodes")
        self.known: dict[str, tuple[str, str]] = {}  # file -> (namespace, mirror name)

    def desired(self) -> dict[str, Obj]:
        out = {}
        if self.directory.is_dir():
            for path in sorted(self.directory.iterdir()):
                if path.suffix in SUFFIXES and not path.name.startswith("."):
                    pod = read_manifest(path, self.node)
                    if pod is not None:
                        out[str(path)] = pod
        return out

    def sync(self) -> None:
        desired = self.desired()
        for path, (namespace, name) in list(self.known.items()):
            if path not in desired or (desired[path]["metadata"]["namespace"], desired[path]["metadata"]["name"]) \
                    != (namespace, name):
                self.remove(namespace, name)
                del self.known[path]
        for path, pod in desired.items():
            meta = pod["metadata"]
            self.known[path] = (meta["namespace"], meta["name"])
            self.ensure_mirror(pod)

    def ensure_mirror(self, pod: Obj) -> None:
        meta = pod["metadata"]
        namespace, name = meta["namespace"], meta["name"]
        current = self.server.storage.get(self.pods.key(namespace, name))
        if current is not None:
            cur = current.obj
            if cur["metadata"].get("deletionTimestamp"):
                return
            if self.matches(cur, pod):
                return
            old_hash = (cur["metadata"].get("annotations") or {}).get(MIRROR_ANNOTATION)
            if old_hash and old_hash != meta["annotations"][MIRROR_ANNOTATION]:
                self.kubelet.stop_static(f"mirror:{old_hash}")
            self.delete_mirror(namespace, name)
        node = self.server.storage.get(self.nodes.key(None, self.node.name))
        if node is None:
            return
        mirror = codec.deepcopy(pod)
        mirror["metadata"]["annotations"]["kubernetes.io/config.seen"] = now_rfc3339()
        mirror["metadata"]["ownerReferences"] = [{"apiVersion": "v1", "kind": "Node", "name": self.node.name,
                                                  "uid": node.obj["metadata"]["uid"], "controller": True}]
        try:
            self.server.store.create(self.pods, namespace, mirror)
        except StatusError:
            return

    @staticmethod
    def matches(current: Obj, desired: Obj) -> bool:
        """IsMirrorPodOf, plus: API edits to labels or spec do not stick."""
        cur_meta, want_meta = current["metadata"], desired["metadata"]
        if (cur_meta.get("annotations") or {}).get(MIRROR_ANNOTATION) != want_meta["annotations"][MIRROR_ANNOTATION]:
            return False
        if (cur_meta.get("labels") or {}) != (want_meta.get("labels") or {}):
            return False
        cur_images = [c.get("image") for c in (current.get("spec") or {}).get("containers") or []]
        want_images = [c.get("image") for c in (desired.get("spec") or {}).get("containers") or []]
        return cur_images == want_images

    def delete_mirror(self, namespace: str, name: str) -> None:
        try:
            self.server.store.delete(self.pods, namespace, name, DeleteOptions(grace_period_seconds=0))
        except StatusError:
            return

    def remove(self, namespace: str, name: str) -> None:
        current = self.server.storage.get(self.pods.key(namespace, name))
        if current is not None:
            mirror = (current.obj["metadata"].get("annotations") or {}).get(MIRROR_ANNOTATION)
            if mirror:
                self.kubelet.stop_static(f"mirror:{mirror}")
        self.delete_mirror(namespace, name)

    async def run(self) -> None:
        while True:
            self.sync()
            await asyncio.sleep(SCAN_SECONDS)


async def static_pods(server: Server, node: NodeSpec, directory: Path, kubelet: Kubelet) -> None:
    await StaticPods(server, node, Path(directory), kubelet).run()
