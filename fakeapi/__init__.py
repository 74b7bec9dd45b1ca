"""fakeapi: a local, fake Kubernetes control plane (kube-apiserver semantics on an etcd-like store)."""

from __future__ import annotations

__version__ = "0.1.0"
KUBE_VERSION = "v1.37.0"
