"""StorageClasses (storage.k8s.io/v1, cluster-scoped): defaults, ValidateStorageClass(Update) and printStorageClass.

Defaults: reclaimPolicy Delete, volumeBindingMode Immediate. The provisioner is a required qualified
name; parameters, provisioner, reclaimPolicy and volumeBindingMode cannot change after creation. There is
no spec, so no generation. The Name cell gets ` (default)` when the (beta) is-default-class annotation is
"true" (storageutil.IsDefaultAnnotation); AllowVolumeExpansion is a boolean cell.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_qualified_name
from fakeapi.resources.apps_v1.workload import immutable, set_default
from fakeapi.resources.core_v1.podspec import mapping, semantic, text

Obj = dict[str, Any]

DEFAULT_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                       "storageclass.beta.kubernetes.io/is-default-class")
RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("Immediate", "WaitForFirstConsumer")


def defaults(obj: Obj) -> None:
    set_default(obj, "reclaimPolicy", "Delete")
    set_default(obj, "volumeBindingMode", "Immediate")


def validate(obj: Obj) -> list[FieldError]:
    provisioner = text(obj.get("provisioner"))
    errs: list[FieldError] = []
    if not provisioner:
        errs.append(required("provisioner"))
    else:
        errs += [invalid_value("provisioner", provisioner.lower(), m) for m in is_qualified_name(provisioner.lower())]
    if obj.get("reclaimPolicy") not in RECLAIM_POLICIES:
        errs.append(not_supported("reclaimPolicy", obj.get("reclaimPolicy") or "", RECLAIM_POLICIES))
    if obj.get("volumeBindingMode") not in BINDING_MODES:
        errs.append(not_supported("volumeBindingMode", obj.get("volumeBindingMode") or "", BINDING_MODES))
    return errs


def validate_update(new: Obj, old: Obj) -> list[FieldError]:
    errs = validate(new)
    for key in ("parameters", "provisioner", "reclaimPolicy"):
        if semantic(new.get(key)) != semantic(old.get(key)):
            errs.append(forbidden(key, f"updates to {key} are forbidden."))
    return errs + immutable(new.get("volumeBindingMode"), old.get("volumeBindingMode"), "volumeBindingMode")


class StorageClassStrategy(GenericStrategy):
    tracks_generation = False

    def defaults(self, obj: Obj) -> None:
        defaults(obj)

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_update(new, old)


def is_default_class(obj: Obj) -> bool:
    annotations = mapping(obj["metadata"].get("annotations"))
    return any(annotations.get(key) == "true" for key in DEFAULT_ANNOTATIONS)


def _cells(obj: Obj, now: datetime) -> list[Any]:
    name = obj["metadata"].get("name", "") + (" (default)" if is_default_class(obj) else "")
    return [name, text(obj.get("provisioner")), obj.get("reclaimPolicy") or "Delete",
            obj.get("volumeBindingMode") or "Immediate", bool(obj.get("allowVolumeExpansion")),
            age(obj["metadata"].get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Provisioner", description="provisioner indicates the type of the provisioner."),
        Column("ReclaimPolicy", description="reclaimPolicy controls the reclaimPolicy for dynamically provisioned "
               "PersistentVolumes of this storage class. Defaults to Delete."),
        Column("VolumeBindingMode", description="volumeBindingMode indicates how PersistentVolumeClaims should be "
               "provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by "
               "servers that enable the VolumeScheduling feature."),
        Column("AllowVolumeExpansion",
               description="allowVolumeExpansion shows whether the storage class allow volume expand."),
        AGE_COLUMN,
    ],
    cells=_cells,
)

RESOURCE = ResourceInfo(
    group="storage.k8s.io", version="v1", kind="StorageClass", plural="storageclasses", singular="storageclass",
    namespaced=False, short_names=("sc",),
)
RESOURCE.strategy = StorageClassStrategy(RESOURCE)
RESOURCE.table = TABLE
