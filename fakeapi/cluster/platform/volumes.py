"""The persistent volume controller, the local-path provisioner and the pv/pvc-protection controllers.

- A default StorageClass `standard` (provisioner rancher.io/local-path, reclaimPolicy Delete, binding
  Immediate) is created at start when the cluster has no default class, as kind ships one.
- Unbound claims bind to the smallest matching volume (pv_controller's findBestMatchForClaim): a volume
  pre-bound to the claim (claimRef) wins whatever its class; otherwise the volume must be free, not being
  deleted, of the claim's storage class ("" matches ""), volumeMode, label selector and a superset of the
  access modes, with capacity >= the request. A claim naming spec.volumeName binds only to that volume.
  Binding writes PV.spec.claimRef (+ `pv.kubernetes.io/bound-by-controller`), PV status Bound, the
  claim's spec.volumeName (+ `pv.kubernetes.io/bind-completed`, `bound-by-controller`) and claim status
  Bound with the volume's capacity and access modes.
- A claim without storageClassName gets the default class, as the DefaultStorageClass admission plugin
  (or, for claims created before the class, the controller's retroactive assignment) does.
- No volume fits: a class with the rancher.io/local-path provisioner gets a `pvc-<claim uid>` hostPath
  volume (what kind's local-path-provisioner makes), a class that does not exist is ProvisioningFailed,
  an unknown external provisioner keeps the claim waiting (ExternalProvisioning), and a claim without class
  stays Pending with FailedBinding "no persistent volumes available for this claim and no storage class is
  set". WaitForFirstConsumer classes wait for a pod using the claim. Pending claims resync every 15s.
- Volumes: no claimRef -> Available; claim gone -> Released, then by reclaim policy Retain (stays),
  Delete (the volume is deleted) or Recycle (scrubbed, Available again). A bound claim whose volume
  vanished is Lost.
- pvc-protection: the `kubernetes.io/pvc-protection` finalizer of a deleted claim goes once no
  non-terminated pod uses the claim; pv-protection: `kubernetes.io/pv-protection` goes once the deleted
  volume is not Bound.
"""

from __future__ import annotations

import asyncio
import zlib
from typing import TYPE_CHECKING, Any

from fakeapi.cluster.controller import Obj, WorkQueue, delete, get, list_objects, watch
from fakeapi.cluster.platform.base import info_of, pod_terminal, write_options
from fakeapi.errors import StatusError
from fakeapi.registry.selectors import SelectorError, label_selector_from_dict
from fakeapi.registry.watch import WatchEvent
from fakeapi.resources.core_v1.common import quantity_value
from fakeapi.resources.core_v1.persistentvolumes import STORAGE_CLASS_ANNOTATION, storage_class
from fakeapi.resources.storage_v1.storageclasses import is_default_class
from fakeapi.storage import DELETED

if TYPE_CHECKING:
    from fakeapi.cluster.context import ClusterContext
    from fakeapi.server import Server

COMPONENT = "persistentvolume-controller"
PV_PROTECTION = "kubernetes.io/pv-protection"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
LOCAL_PATH = "rancher.io/local-path"
LOCAL_PATH_COMPONENT = "rancher.io/local-path_local-path-provisioner-7dc846544d-fxq5m_a8c6ca31-3b8e-4d54-8a1e-1bd3b2f3a1c0"
LOCAL_PATH_ROOT = "/var/local-path-provisioner"
DEFAULT_CLASS = "standard"
RESYNC_SECONDS = 15.0
RECYCLE_SECONDS = 2.0
NO_CLASS_MESSAGE = "no persistent volumes available for this claim and no storage class is set"


def default_storage_class() -> Obj:
    return {"metadata": {"name": DEFAULT_CLASS,
                         "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": LOCAL_PATH, "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"}


def _size(obj: Obj, *path: str) -> Any:
    node: Any = obj
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return quantity_value(node) if node is not None else None


def claim_request(claim: Obj) -> Any:
    return _size(claim, "spec", "resources", "requests", "storage") or 0


def volume_capacity(volume: Obj) -> Any:
    return _size(volume, "spec", "capacity", "storage") or 0


def claimed_by(volume: Obj, claim: Obj) -> bool:
    """pvutil.IsVolumeBoundToClaim: the claimRef names this claim (and its uid, once known)."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not isinstance(ref, dict):
        return False
    meta = claim["metadata"]
    return ref.get("name") == meta["name"] and (ref.get("namespace") or "") == meta.get("namespace") and \
        (not ref.get("uid") or ref.get("uid") == meta.get("uid"))


def mismatch(volume: Obj, claim: Obj, claim_class: str) -> str:
    """checkVolumeSatisfyClaim: why the volume cannot serve the claim ('' when it can)."""
    if volume_capacity(volume) < claim_request(claim):
        return "requested PV is too small"
    if storage_class(volume) != claim_class:
        return "storageClassName does not match"
    vspec, cspec = volume.get("spec") or {}, claim.get("spec") or {}
    if vspec.get("volumeMode", "Filesystem") != cspec.get("volumeMode", "Filesystem"):
        return "incompatible volumeMode"
    if not set(cspec.get("accessModes") or []) <= set(vspec.get("accessModes") or []):
        return "incompatible accessMode"
    return ""


def best_match(volumes: list[Obj], claim: Obj, claim_class: str) -> Obj | None:
    """findBestMatchForClaim: a volume pre-bound to the claim, else the smallest free volume that fits."""
    spec = claim.get("spec") or {}
    request = claim_request(claim)
    mode = spec.get("volumeMode", "Filesystem")
    modes = set(spec.get("accessModes") or [])
    try:
        selector = label_selector_from_dict(spec["selector"]) if isinstance(spec.get("selector"), dict) else None
    except SelectorError:
        return None
    best: Obj | None = None
    for volume in volumes:
        vspec = volume.get("spec") or {}
        if volume["metadata"].get("deletionTimestamp"):
            continue
        if volume_capacity(volume) < request or vspec.get("volumeMode", "Filesystem") != mode:
            continue
        if claimed_by(volume, claim):
            return volume
        if vspec.get("claimRef") is not None:
            continue
        if (volume.get("status") or {}).get("phase") not in (None, "Pending", "Available"):
            continue
        if selector is not None and not selector.matches(volume["metadata"].get("labels") or {}):
            continue
        if storage_class(volume) != claim_class or not modes <= set(vspec.get("accessModes") or []):
            continue
        if best is None or volume_capacity(volume) < volume_capacity(best):
            best = volume
    return best


def claims_of_pod(pod: Obj) -> list[str]:
    names = []
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        if not isinstance(volume, dict):
            continue
        if isinstance(volume.get("persistentVolumeClaim"), dict):
            names.append(str(volume["persistentVolumeClaim"].get("claimName") or ""))
        elif isinstance(volume.get("ephemeral"), dict):
            names.append(f"{pod['metadata']['name']}-{volume.get('name', '')}")
    return [n for n in names if n]


class VolumeController:
    def __init__(self, ctx: ClusterContext) -> None:
        self.ctx = ctx
        self.server: Server = ctx.server
        self.claims = info_of(self.server, "", "v1", "persistentvolumeclaims")
        self.volumes = info_of(self.server, "", "v1", "persistentvolumes")
        self.classes = info_of(self.server, "storage.k8s.io", "v1", "storageclasses")
        self.pods = info_of(self.server, "", "v1", "pods")
        self.queue = WorkQueue(ctx.clock)
        self.pending: set[tuple[str, str, str]] = set()
        self.recycling: set[str] = set()

    # ---- plumbing ----------------------------------------------------------------------------

    def event(self, obj: Obj, type_: str, reason: str, message: str, component: str = COMPONENT) -> None:
        self.ctx.recorder.record(obj, type_, reason, message, component=component)

    def sync(self, key: tuple[str, ...]) -> float | None:
        if key[0] == "claim":
            return self.sync_claim(key[1], key[2])
        if key[0] == "volume":
            return self.sync_volume(key[1])
        if key[0] == "start":
            self.ensure_default_class()
        return None

    def ensure_default_class(self) -> None:
        classes = list_objects(self.server, self.classes)
        if any(c["metadata"]["name"] == DEFAULT_CLASS or is_default_class(c) for c in classes):
            return
        try:
            self.server.store.create(self.classes, None, default_storage_class(), write_options())
        except StatusError as exc:
            if exc.code != 409:
                raise

    def default_class(self) -> Obj | None:
        defaults = [c for c in list_objects(self.server, self.classes)
                    if is_default_class(c) and not c["metadata"].get("deletionTimestamp")]
        defaults.sort(key=lambda c: (str(c["metadata"].get("creationTimestamp") or ""), c["metadata"]["name"]))
        return defaults[-1] if defaults else None

    def claim_class(self, claim: Obj) -> str:
        """The claim's class, with the default class standing in for an unset storageClassName."""
        annotations = claim["metadata"].get("annotations") or {}
        if STORAGE_CLASS_ANNOTATION in annotations:
            return str(annotations[STORAGE_CLASS_ANNOTATION])
        name = (claim.get("spec") or {}).get("storageClassName")
        if name is None:
            default = self.default_class()
            return default["metadata"]["name"] if default is not None else ""
        return str(name)

    def set_claim_phase(self, claim: Obj, phase: str) -> Obj:
        if (claim.get("status") or {}).get("phase") == phase:
            return claim
        meta = claim["metadata"]

        def write(c: Obj) -> Obj:
            status = c.setdefault("status", {})
            status["phase"] = phase
            if phase != "Bound":
                status.pop("capacity", None)
                status.pop("accessModes", None)
            return c

        return self.server.store.guaranteed_update(self.claims, meta["namespace"], meta["name"], write,
                                                   subresource="status", opts=write_options()).obj

    def set_volume_phase(self, volume: Obj, phase: str, message: str = "") -> Obj:
        status = volume.get("status") or {}
        if status.get("phase") == phase and (status.get("message") or "") == message:
            return volume

        def write(v: Obj) -> Obj:
            st = v.setdefault("status", {})
            st["phase"] = phase
            if message:
                st["message"] = message
            else:
                st.pop("message", None)
            st.pop("reason", None)
            return v

        return self.server.store.guaranteed_update(self.volumes, None, volume["metadata"]["name"], write,
                                                   subresource="status", opts=write_options()).obj

    # ---- claims ------------------------------------------------------------------------------

    def sync_claim(self, namespace: str, name: str) -> float | None:
        key = ("claim", namespace, name)
        self.pending.discard(key)
        claim = get(self.server, self.claims, namespace, name)
        if claim is None:
            return None
        if claim["metadata"].get("deletionTimestamp"):
            self.protect_claim(claim)
            return None
        if (claim.get("spec") or {}).get("volumeName"):
            return self.sync_bound_claim(claim)
        return self.sync_unbound_claim(claim)

    def protect_claim(self, claim: Obj) -> None:
        meta = claim["metadata"]
        if PVC_PROTECTION not in (meta.get("finalizers") or []):
            return
        for pod in list_objects(self.server, self.pods, meta["namespace"]):
            if not pod_terminal(pod) and meta["name"] in claims_of_pod(pod):
                return

        def drop(c: Obj) -> Obj:
            c["metadata"]["finalizers"] = [f for f in c["metadata"].get("finalizers") or [] if f != PVC_PROTECTION]
            return c

        self.server.store.guaranteed_update(self.claims, meta["namespace"], meta["name"], drop, opts=write_options())

    def assign_default_class(self, claim: Obj) -> Obj:
        """Retroactive default StorageClass assignment for a claim with no storageClassName at all."""
        annotations = claim["metadata"].get("annotations") or {}
        if "storageClassName" in (claim.get("spec") or {}) or STORAGE_CLASS_ANNOTATION in annotations:
            return claim
        default = self.default_class()
        if default is None:
            return claim

        def write(c: Obj) -> Obj:
            c.setdefault("spec", {})["storageClassName"] = default["metadata"]["name"]
            return c

        try:
            return self.server.store.guaranteed_update(self.claims, claim["metadata"]["namespace"],
                                                       claim["metadata"]["name"], write, opts=write_options()).obj
        except StatusError as exc:
            if exc.code != 422:  # an apiserver that does not allow the nil -> class update: match by the default
                raise
            return claim

    def consumer(self, claim: Obj) -> Obj | None:
        meta = claim["metadata"]
        for pod in list_objects(self.server, self.pods, meta["namespace"]):
            if not pod_terminal(pod) and meta["name"] in claims_of_pod(pod):
                return pod
        return None

    def sync_unbound_claim(self, claim: Obj) -> float | None:
        claim = self.assign_default_class(claim)
        meta = claim["metadata"]
        claim_class = self.claim_class(claim)
        volume = best_match(list_objects(self.server, self.volumes), claim, claim_class)
        klass = get(self.server, self.classes, None, claim_class) if claim_class else None
        wait_for_consumer = klass is not None and klass.get("volumeBindingMode") == "WaitForFirstConsumer"
        pod = self.consumer(claim) if wait_for_consumer else None
        if volume is not None and (not wait_for_consumer or pod is not None or claimed_by(volume, claim)):
            self.bind(volume, claim, controller_chose_volume=True)
            return None
        self.pending.add(("claim", meta["namespace"], meta["name"]))
        claim = self.set_claim_phase(claim, "Pending")
        if wait_for_consumer and pod is None:
            self.event(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding")
        elif claim_class:
            if klass is None:
                self.event(claim, "Warning", "ProvisioningFailed",
                           f'storageclass.storage.k8s.io "{claim_class}" not found')
            else:
                self.provision(claim, klass, pod)
        else:
            self.event(claim, "Normal", "FailedBinding", NO_CLASS_MESSAGE)
        return RESYNC_SECONDS

    def sync_bound_claim(self, claim: Obj) -> float | None:
        meta, spec = claim["metadata"], claim["spec"]
        volume = get(self.server, self.volumes, None, spec["volumeName"])
        phase = (claim.get("status") or {}).get("phase")
        if volume is None:
            if phase in ("Bound", "Lost") or (meta.get("annotations") or {}).get(BIND_COMPLETED):
                if phase != "Lost":
                    self.set_claim_phase(claim, "Lost")
                    self.event(claim, "Warning", "ClaimLost",
                               "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
                return None
            self.pending.add(("claim", meta["namespace"], meta["name"]))
            self.set_claim_phase(claim, "Pending")
            return RESYNC_SECONDS
        ref = (volume.get("spec") or {}).get("claimRef")
        if ref is None:
            reason = mismatch(volume, claim, self.claim_class(claim))
            if reason:
                self.pending.add(("claim", meta["namespace"], meta["name"]))
                claim = self.set_claim_phase(claim, "Pending")
                self.event(claim, "Warning", "VolumeMismatch",
                           f'Cannot bind to requested volume "{volume["metadata"]["name"]}": {reason}')
                return RESYNC_SECONDS
            self.bind(volume, claim, controller_chose_volume=False)
            return None
        if claimed_by(volume, claim):
            self.bind(volume, claim, controller_chose_volume=False)
            return None
        if (meta.get("annotations") or {}).get(BIND_COMPLETED):
            if phase != "Lost":
                claim = self.set_claim_phase(claim, "Lost")
                self.event(claim, "Warning", "ClaimMisbound",
                           "Two claims are bound to the same volume, this one is bound incorrectly")
            return None
        self.pending.add(("claim", meta["namespace"], meta["name"]))
        claim = self.set_claim_phase(claim, "Pending")
        self.event(claim, "Warning", "FailedBinding",
                   f'volume "{volume["metadata"]["name"]}" already bound to a different claim.')
        return RESYNC_SECONDS

    def bind(self, volume: Obj, claim: Obj, *, controller_chose_volume: bool) -> None:
        """bindVolumeToClaim + bindClaimToVolume, then both statuses (the controller's order)."""
        cmeta = claim["metadata"]
        vname = volume["metadata"]["name"]
        ref = {"kind": "PersistentVolumeClaim", "namespace": cmeta["namespace"], "name": cmeta["name"],
               "uid": cmeta["uid"], "apiVersion": "v1", "resourceVersion": cmeta.get("resourceVersion", "")}
        if not claimed_by(volume, claim) or not (volume["spec"].get("claimRef") or {}).get("uid"):
            set_by_controller = volume["spec"].get("claimRef") is None

            def claim_volume(v: Obj) -> Obj:
                v["spec"]["claimRef"] = ref
                if set_by_controller:
                    v["metadata"].setdefault("annotations", {})[BOUND_BY_CONTROLLER] = "yes"
                return v

            volume = self.server.store.guaranteed_update(self.volumes, None, vname, claim_volume,
                                                         opts=write_options()).obj
        volume = self.set_volume_phase(volume, "Bound")
        annotations = cmeta.get("annotations") or {}
        if claim["spec"].get("volumeName") != vname or annotations.get(BIND_COMPLETED) != "yes":
            by_controller = not claim["spec"].get("volumeName") and controller_chose_volume

            def claim_bound(c: Obj) -> Obj:
                c["spec"]["volumeName"] = vname
                ann = c["metadata"].setdefault("annotations", {})
                ann[BIND_COMPLETED] = "yes"
                if by_controller:
                    ann[BOUND_BY_CONTROLLER] = "yes"
                return c

            claim = self.server.store.guaranteed_update(self.claims, cmeta["namespace"], cmeta["name"], claim_bound,
                                                        opts=write_options()).obj
        status = claim.get("status") or {}
        want = {"phase": "Bound", "accessModes": list(volume["spec"].get("accessModes") or []),
                "capacity": dict(volume["spec"].get("capacity") or {})}
        if any(status.get(k) != v for k, v in want.items()):
            def claim_status(c: Obj) -> Obj:
                c.setdefault("status", {}).update(want)
                return c

            self.server.store.guaranteed_update(self.claims, cmeta["namespace"], cmeta["name"], claim_status,
                                                subresource="status", opts=write_options())

    # ---- provisioning ------------------------------------------------------------------------

    def provision(self, claim: Obj, klass: Obj, consumer: Obj | None) -> None:
        meta = claim["metadata"]
        provisioner = str(klass.get("provisioner") or "")
        if provisioner == "kubernetes.io/no-provisioner":
            self.event(claim, "Warning", "ProvisioningFailed", f"no volume plugin matched name: {provisioner}")
            return
        annotations = meta.get("annotations") or {}
        if annotations.get(STORAGE_PROVISIONER) != provisioner:
            def mark(c: Obj) -> Obj:
                ann = c["metadata"].setdefault("annotations", {})
                ann[STORAGE_PROVISIONER] = provisioner
                ann[BETA_STORAGE_PROVISIONER] = provisioner
                return c

            claim = self.server.store.guaranteed_update(self.claims, meta["namespace"], meta["name"], mark,
                                                        opts=write_options()).obj
        self.event(claim, "Normal", "ExternalProvisioning",
                   f"Waiting for a volume to be created either by the external provisioner '{provisioner}' or "
                   "manually by the system administrator. If volume creation is delayed, please verify that the "
                   "provisioner is running and correctly registered.")
        if provisioner == LOCAL_PATH:
            self.provision_local_path(claim, klass, consumer)

    def pick_node(self, claim: Obj, consumer: Obj | None) -> str:
        selected = (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE)
        if selected:
            return str(selected)
        if consumer is not None and (consumer.get("spec") or {}).get("nodeName"):
            return str(consumer["spec"]["nodeName"])
        workers = [n for n in self.ctx.nodes if not n.control_plane] or list(self.ctx.nodes)
        if not workers:
            return "fakeapi-control-plane"
        return workers[zlib.crc32(claim["metadata"]["uid"].encode()) % len(workers)].name

    def provision_local_path(self, claim: Obj, klass: Obj, consumer: Obj | None) -> None:
        """What kind's local-path-provisioner does: a hostPath volume pinned to one node."""
        meta, spec = claim["metadata"], claim.get("spec") or {}
        name = f"pvc-{meta['uid']}"
        if get(self.server, self.volumes, None, name) is not None:
            return
        self.event(claim, "Normal", "Provisioning",
                   f'External provisioner is provisioning volume for claim "{meta["namespace"]}/{meta["name"]}"',
                   component=LOCAL_PATH_COMPONENT)
        node = self.pick_node(claim, consumer)
        volume = {
            "metadata": {"name": name, "annotations": {PROVISIONED_BY: LOCAL_PATH,
                                                       "local.path.provisioner/selected-node": node}},
            "spec": {
                "accessModes": list(spec.get("accessModes") or ["ReadWriteOnce"]),
                "capacity": {"storage": (spec.get("resources") or {}).get("requests", {}).get("storage", "1Gi")},
                "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
                             "namespace": meta["namespace"], "resourceVersion": meta.get("resourceVersion", ""),
                             "uid": meta["uid"]},
                "hostPath": {"path": f"{LOCAL_PATH_ROOT}/{name}_{meta['namespace']}_{meta['name']}",
                             "type": "DirectoryOrCreate"},
                "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}},
                "persistentVolumeReclaimPolicy": klass.get("reclaimPolicy") or "Delete",
                "storageClassName": klass["metadata"]["name"],
                "volumeMode": spec.get("volumeMode") or "Filesystem",
            },
        }
        try:
            self.server.store.create(self.volumes, None, volume, write_options("local-path-provisioner"))
        except StatusError as exc:
            if exc.code == 409:
                return
            self.event(claim, "Warning", "ProvisioningFailed", f"failed to provision volume with StorageClass "
                                                                f'"{klass["metadata"]["name"]}": {exc.message}',
                       component=LOCAL_PATH_COMPONENT)
            return
        self.event(claim, "Normal", "ProvisioningSucceeded", f"Successfully provisioned volume {name}",
                   component=LOCAL_PATH_COMPONENT)

    # ---- volumes -----------------------------------------------------------------------------

    def sync_volume(self, name: str) -> float | None:
        volume = get(self.server, self.volumes, None, name)
        if volume is None:
            return None
        meta, spec = volume["metadata"], volume.get("spec") or {}
        phase = (volume.get("status") or {}).get("phase")
        if meta.get("deletionTimestamp"):
            if phase != "Bound" and PV_PROTECTION in (meta.get("finalizers") or []):
                def drop(v: Obj) -> Obj:
                    v["metadata"]["finalizers"] = [f for f in v["metadata"].get("finalizers") or []
                                                   if f != PV_PROTECTION]
                    return v

                self.server.store.guaranteed_update(self.volumes, None, name, drop, opts=write_options())
            if phase != "Bound":
                return None
        ref = spec.get("claimRef")
        if not isinstance(ref, dict):
            if phase != "Available":
                self.set_volume_phase(volume, "Available")
                self.wake_pending()
            return None
        claim = get(self.server, self.claims, ref.get("namespace") or "", str(ref.get("name") or ""))
        if not ref.get("uid"):
            # pre-bound by the user to a claim that is yet to come (or to bind)
            if phase != "Available":
                self.set_volume_phase(volume, "Available")
            if claim is not None:
                self.queue.add(("claim", claim["metadata"]["namespace"], claim["metadata"]["name"]))
            return None
        if claim is not None and claim["metadata"].get("uid") == ref.get("uid"):
            volume_name = (claim.get("spec") or {}).get("volumeName")
            if volume_name == name:
                if phase != "Bound":
                    self.set_volume_phase(volume, "Bound")
                return None
            if not volume_name:
                if phase not in ("Bound", "Available"):
                    self.set_volume_phase(volume, "Available")
                self.queue.add(("claim", claim["metadata"]["namespace"], claim["metadata"]["name"]))
                return None
            if (meta.get("annotations") or {}).get(BOUND_BY_CONTROLLER):
                self.unbind(volume)  # the claim went to another volume: give this one back
                return None
        return self.release(volume)

    def unbind(self, volume: Obj) -> None:
        def write(v: Obj) -> Obj:
            v["spec"].pop("claimRef", None)
            (v["metadata"].get("annotations") or {}).pop(BOUND_BY_CONTROLLER, None)
            return v

        volume = self.server.store.guaranteed_update(self.volumes, None, volume["metadata"]["name"], write,
                                                     opts=write_options()).obj
        self.set_volume_phase(volume, "Available")
        self.wake_pending()

    def release(self, volume: Obj) -> float | None:
        """The claim is gone: Released, then the reclaim policy."""
        name = volume["metadata"]["name"]
        phase = (volume.get("status") or {}).get("phase")
        if phase == "Failed":
            return None
        if phase != "Released":
            volume = self.set_volume_phase(volume, "Released")
        policy = (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy") or "Retain"
        if policy == "Delete":
            if not volume["metadata"].get("deletionTimestamp"):
                delete(self.server, self.volumes, None, name)
            return None
        if policy == "Recycle":
            spec = volume.get("spec") or {}
            if not (isinstance(spec.get("hostPath"), dict) or isinstance(spec.get("nfs"), dict)):
                self.set_volume_phase(volume, "Failed", "No recycler plugin found for the volume!")
                self.event(volume, "Warning", "VolumeFailedRecycle", "No recycler plugin found for the volume!")
                return None
            if name not in self.recycling:
                self.recycling.add(name)
                self.event(volume, "Normal", "RecyclerPod", f"Recycler pod: Successfully assigned "
                                                            f"default/recycler-for-{name} to {self.pick_recycler_node()}")
                return RECYCLE_SECONDS
            self.recycling.discard(name)

            def scrub(v: Obj) -> Obj:
                v["spec"].pop("claimRef", None)
                (v["metadata"].get("annotations") or {}).pop(BOUND_BY_CONTROLLER, None)
                return v

            volume = self.server.store.guaranteed_update(self.volumes, None, name, scrub, opts=write_options()).obj
            self.set_volume_phase(volume, "Available")
            self.event(volume, "Normal", "VolumeRecycled", "Volume recycled")
            self.wake_pending()
        return None

    def pick_recycler_node(self) -> str:
        workers = [n for n in self.ctx.nodes if not n.control_plane] or list(self.ctx.nodes)
        return workers[0].name if workers else "fakeapi-control-plane"

    def wake_pending(self) -> None:
        for key in list(self.pending):
            self.queue.add(key)

    # ---- watches -----------------------------------------------------------------------------

    def on_claim(self, ev: WatchEvent) -> None:
        meta = ev.obj["metadata"]
        if ev.type == DELETED:
            self.pending.discard(("claim", meta["namespace"], meta["name"]))
            volume_name = (ev.obj.get("spec") or {}).get("volumeName")
            if volume_name:
                self.queue.add(("volume", volume_name))
            return
        self.queue.add(("claim", meta["namespace"], meta["name"]))

    def on_volume(self, ev: WatchEvent) -> None:
        name = ev.obj["metadata"]["name"]
        ref = (ev.obj.get("spec") or {}).get("claimRef")
        if isinstance(ref, dict) and ref.get("name"):
            self.queue.add(("claim", ref.get("namespace") or "", ref["name"]))
        if ev.type == DELETED:
            return
        self.queue.add(("volume", name))
        if ref is None:
            self.wake_pending()

    def on_class(self, ev: WatchEvent) -> None:
        self.wake_pending()

    def on_pod(self, ev: WatchEvent) -> None:
        """New and departing consumers matter (protection, WaitForFirstConsumer); status churn does not."""
        pod = ev.obj
        if ev.type == "MODIFIED" and not pod_terminal(pod) and not pod["metadata"].get("deletionTimestamp"):
            return
        for name in claims_of_pod(pod):
            self.queue.add(("claim", pod["metadata"]["namespace"], name))

    async def run(self) -> None:
        self.queue.add(("start",))
        await asyncio.gather(self.queue.run(self.sync), watch(self.server, self.claims, self.on_claim),
                             watch(self.server, self.volumes, self.on_volume),
                             watch(self.server, self.classes, self.on_class), watch(self.server, self.pods, self.on_pod))


async def volumes(ctx: ClusterContext) -> None:
    await VolumeController(ctx).run()
