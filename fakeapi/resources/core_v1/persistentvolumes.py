"""PersistentVolumes (core/v1, cluster-scoped): defaults, pv-protection, validation and `kubectl get pv`.

SetDefaults_PersistentVolume gives reclaim policy Retain and volumeMode Filesystem; PrepareForCreate
starts status at phase Pending with lastPhaseTransitionTime, and a status write that changes the phase
stamps a new transition time. The StorageObjectInUseProtection admission plugin adds the
`kubernetes.io/pv-protection` finalizer, which the pv-protection controller removes once the volume is
unbound. The access-mode abbreviations and storage-class lookup here are shared with PVCs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.objectmeta import now_rfc3339
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import IMMUTABLE, is_dns1123_subdomain
from fakeapi.resources.core_v1.common import (
    canonical_quantities, mapping, quantity_errors, quantity_string, quantity_value, text,
)
from fakeapi.resources.core_v1.podspec import VOLUME_SOURCES, default_volume_source

Obj = dict[str, Any]

PROTECTION_FINALIZER = "kubernetes.io/pv-protection"
STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
ACCESS_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}
SUPPORTED_ACCESS_MODES = tuple(sorted(ACCESS_MODES))
RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
VOLUME_MODES = ("Block", "Filesystem")
#: the sources a PersistentVolumeSpec may carry (a PV cannot be a secret, configMap, ...)
PV_SOURCES = ("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd",
              "quobyte", "cephfs", "iscsi", "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume",
              "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi")


def access_modes_string(modes: object) -> str:
    """helper.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order, duplicates dropped."""
    present = set(modes) if isinstance(modes, list) else set()
    return ",".join(short for mode, short in ACCESS_MODES.items() if mode in present)


def storage_class(obj: Obj) -> str:
    """GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName."""
    annotations = mapping(mapping(obj.get("metadata")).get("annotations"))
    if STORAGE_CLASS_ANNOTATION in annotations:
        return text(annotations[STORAGE_CLASS_ANNOTATION])
    return text(mapping(obj.get("spec")).get("storageClassName"))


def add_finalizer(obj: Obj, finalizer: str) -> None:
    meta = obj["metadata"]
    finalizers = meta.get("finalizers") if isinstance(meta.get("finalizers"), list) else []
    if finalizer not in finalizers:
        finalizers.append(finalizer)
    meta["finalizers"] = finalizers


def access_mode_errors(modes: object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    listed = modes if isinstance(modes, list) else []
    for mode in listed:
        if mode not in ACCESS_MODES:
            errs.append(not_supported(path, mode, SUPPORTED_ACCESS_MODES))
    if "ReadWriteOncePod" in listed and any(m in ACCESS_MODES and m != "ReadWriteOncePod" for m in listed):
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def default_pv(obj: Obj) -> None:
    spec = obj.setdefault("spec", {}) if isinstance(obj.get("spec", {}), dict) else {}
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    canonical_quantities(spec.get("capacity"))
    for kind in VOLUME_SOURCES:
        if isinstance(spec.get(kind), dict):
            default_volume_source(spec[kind], kind)


def validate_pv(obj: Obj) -> list[FieldError]:
    spec = mapping(obj.get("spec"))
    errs: list[FieldError] = []
    if not spec.get("accessModes"):
        errs.append(required("spec.accessModes"))
    errs += access_mode_errors(spec.get("accessModes"), "spec.accessModes")
    capacity = mapping(spec.get("capacity"))
    if not capacity:
        errs.append(required("spec.capacity"))
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(not_supported("spec.capacity", capacity, ("storage",)))
    for name, qty in capacity.items():
        errs += quantity_errors(qty, f"spec.capacity[{name}]")
        value = quantity_value(qty)
        if value is not None and value <= 0:
            errs.append(invalid_value(f"spec.capacity[{name}]", quantity_string(qty), "must be greater than zero"))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(not_supported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES))
    sources = [kind for kind in PV_SOURCES if spec.get(kind) is not None]
    errs += [forbidden(f"spec.{kind}", "may not specify more than 1 volume type") for kind in sources[1:]]
    if not sources:
        errs.append(required("spec", "must specify a volume type"))
    elif sources[0] == "hostPath" and not mapping(spec["hostPath"]).get("path"):
        errs.append(required("spec.hostPath.path"))
    elif sources[0] == "local" and not mapping(spec.get("nodeAffinity")).get("required"):
        errs.append(required("spec.nodeAffinity", "Local volume requires node affinity"))
    if spec.get("storageClassName"):
        errs += [invalid_value("spec.storageClassName", spec["storageClassName"], m)
                 for m in is_dns1123_subdomain(text(spec["storageClassName"]))]
    if spec.get("volumeMode") is not None and spec["volumeMode"] not in VOLUME_MODES:
        errs.append(not_supported("spec.volumeMode", spec["volumeMode"], VOLUME_MODES))
    return errs


def validate_pv_update(new: Obj, old: Obj) -> list[FieldError]:
    spec, old_spec = mapping(new.get("spec")), mapping(old.get("spec"))
    errs = validate_pv(new)
    if any(spec.get(kind) != old_spec.get(kind) for kind in PV_SOURCES):
        errs.append(forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"))
    if spec.get("volumeMode") != old_spec.get("volumeMode"):
        errs.append(invalid_value("volumeMode", spec.get("volumeMode"), IMMUTABLE))
    return errs


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta, spec, status = mapping(obj.get("metadata")), mapping(obj.get("spec")), mapping(obj.get("status"))
    claim = spec.get("claimRef")
    claim_cell = f"{text(claim.get('namespace'))}/{text(claim.get('name'))}" if isinstance(claim, dict) else ""
    phase = "Terminating" if meta.get("deletionTimestamp") else text(status.get("phase"))
    return [meta.get("name", ""), quantity_string(mapping(spec.get("capacity")).get("storage", "0")),
            access_modes_string(spec.get("accessModes")), text(spec.get("persistentVolumeReclaimPolicy")), phase,
            claim_cell, storage_class(obj), text(spec.get("volumeAttributesClassName")) or "<unset>",
            text(status.get("reason")), age(meta.get("creationTimestamp"), now),
            text(spec.get("volumeMode")) or "<unset>"]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Capacity", description=(
            "capacity is the description of the persistent volume's resources and capacity. More info: "
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity")),
        Column("Access Modes", description=(
            "accessModes contains all ways the volume can be mounted. More info: "
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes")),
        Column("Reclaim Policy", description=(
            "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its "
            "claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default "
            "for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported "
            "by the volume plugin underlying this PersistentVolume. More info: "
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming")),
        Column("Status", description=(
            "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: "
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase")),
        Column("Claim", description=(
            "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. "
            "Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. "
            "More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding")),
        Column("StorageClass", description="StorageClass of the pv"),
        Column("VolumeAttributesClass", description="VolumeAttributesClass of the pv"),
        Column("Reason", description=(
            "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and "
            "tidy display in the CLI.")),
        AGE_COLUMN,
        Column("VolumeMode", priority=1, description=(
            "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in "
            "raw block state. Value of Filesystem is implied when not included in spec.")),
    ],
    cells=_cells,
)


class PersistentVolumeStrategy(GenericStrategy):
    tracks_generation = False
    #: what StorageObjectInUseProtection adds; None turns the admission plugin off
    protection_finalizer: str | None = PROTECTION_FINALIZER

    def defaults(self, obj: Obj) -> None:
        default_pv(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"phase": "Pending", "lastPhaseTransitionTime": now_rfc3339()}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        if self.protection_finalizer:
            add_finalizer(obj, self.protection_finalizer)

    def prepare_for_status_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_status_update(new, old)
        status, old_status = new.get("status"), mapping(old.get("status"))
        if isinstance(status, dict) and status.get("phase") != old_status.get("phase") and \
                status.get("lastPhaseTransitionTime") in (None, old_status.get("lastPhaseTransitionTime")):
            status["lastPhaseTransitionTime"] = now_rfc3339()

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_pv(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_pv_update(new, old)


RESOURCE = ResourceInfo(
    group="", version="v1", kind="PersistentVolume", plural="persistentvolumes", singular="persistentvolume",
    namespaced=False, short_names=("pv",), subresources={"status": STATUS}, return_deleted_object=True,
)
RESOURCE.strategy = PersistentVolumeStrategy(RESOURCE)
RESOURCE.table = TABLE
