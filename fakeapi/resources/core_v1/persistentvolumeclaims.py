"""PersistentVolumeClaims (core/v1): defaults, pvc-protection, validation and `kubectl get pvc`.

volumeMode defaults to Filesystem and a new claim is Pending (SetDefaults_PersistentVolumeClaim[Spec]);
the StorageObjectInUseProtection admission plugin adds `kubernetes.io/pvc-protection`. A claim's spec is
immutable except that volumeName may be set once (the binder) and a bound claim may grow
resources.requests.storage (ValidatePersistentVolumeClaimUpdate). CAPACITY and ACCESS MODES come from
status and only show once the claim names a volume, as printPersistentVolumeClaim does.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported, required
from fakeapi.registry.resource import STATUS, ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import IMMUTABLE, is_dns1123_subdomain, validate_label_selector
from fakeapi.resources.core_v1.common import (
    canonical_quantities, mapping, quantity_errors, quantity_string, quantity_value, semantic, text,
)
from fakeapi.resources.core_v1.persistentvolumes import (
    VOLUME_MODES, access_mode_errors, access_modes_string, add_finalizer, storage_class,
)

Obj = dict[str, Any]

PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"
SPEC_IMMUTABLE = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"


def default_claim_spec(spec: Obj) -> None:
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    for bag in ("limits", "requests"):
        canonical_quantities(mapping(spec.get("resources")).get(bag))


def validate_claim_spec(spec: object, field: str) -> list[FieldError]:
    """ValidatePersistentVolumeClaimSpec (also for StatefulSet volumeClaimTemplates)."""
    spec = mapping(spec)
    errs: list[FieldError] = []
    if not spec.get("accessModes"):
        errs.append(required(f"{field}.accessModes", "at least 1 access mode is required"))
    errs += validate_label_selector(spec.get("selector"), f"{field}.selector")
    errs += access_mode_errors(spec.get("accessModes"), f"{field}.accessModes")
    requests = mapping(mapping(spec.get("resources")).get("requests"))
    path = f"{field}.resources[storage]"
    if "storage" not in requests:
        errs.append(required(path))
    else:
        qerrs = quantity_errors(requests["storage"], path)
        value = quantity_value(requests["storage"])
        if not qerrs and value is not None and value <= 0:
            qerrs = [invalid_value(path, quantity_string(requests["storage"]), "must be greater than zero")]
        errs += qerrs
    if spec.get("storageClassName"):
        errs += [invalid_value(f"{field}.storageClassName", spec["storageClassName"], m)
                 for m in is_dns1123_subdomain(text(spec["storageClassName"]))]
    if spec.get("volumeMode") is not None and spec["volumeMode"] not in VOLUME_MODES:
        errs.append(not_supported(f"{field}.volumeMode", spec["volumeMode"], VOLUME_MODES))
    return errs


def validate_claim_update(new: Obj, old: Obj) -> list[FieldError]:
    spec, old_spec = copy.deepcopy(mapping(new.get("spec"))), copy.deepcopy(mapping(old.get("spec")))
    errs = validate_claim_spec(spec, "spec")
    if not old_spec.get("volumeName"):
        old_spec["volumeName"] = spec.get("volumeName")
    if old_spec.get("storageClassName") is None:
        old_spec["storageClassName"] = spec.get("storageClassName")  # retroactive default StorageClass (1.28+)
    bound = mapping(new.get("status")).get("phase") == "Bound"
    new_size = quantity_value(mapping(mapping(spec.get("resources")).get("requests")).get("storage"))
    old_size = quantity_value(mapping(mapping(old_spec.get("resources")).get("requests")).get("storage"))
    if bound:
        requests = mapping(mapping(spec.get("resources")).get("requests"))
        if requests:
            requests["storage"] = mapping(mapping(old_spec.get("resources")).get("requests")).get("storage")
        if spec.get("volumeAttributesClassName") is not None:
            spec["volumeAttributesClassName"] = old_spec.get("volumeAttributesClassName")
    if semantic(spec) != semantic(old_spec):
        errs.append(forbidden("spec", SPEC_IMMUTABLE))
    if new_size is not None and old_size is not None and new_size < old_size:
        status_size = quantity_value(mapping(mapping(old.get("status")).get("capacity")).get("storage")) or 0
        if new_size <= status_size:
            errs.append(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"))
    if mapping(new.get("spec")).get("volumeMode") != mapping(old.get("spec")).get("volumeMode"):
        errs.append(invalid_value("volumeMode", mapping(new.get("spec")).get("volumeMode"), IMMUTABLE))
    return errs


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta, spec, status = mapping(obj.get("metadata")), mapping(obj.get("spec")), mapping(obj.get("status"))
    phase = "Terminating" if meta.get("deletionTimestamp") else text(status.get("phase"))
    volume = text(spec.get("volumeName"))
    capacity = quantity_string(mapping(status.get("capacity")).get("storage", "0")) if volume else ""
    modes = access_modes_string(status.get("accessModes")) if volume else ""
    return [meta.get("name", ""), phase, volume, capacity, modes, storage_class(obj),
            text(spec.get("volumeAttributesClassName")) or "<unset>", age(meta.get("creationTimestamp"), now),
            text(spec.get("volumeMode")) or "<unset>"]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Status", description="phase represents the current phase of PersistentVolumeClaim."),
        Column("Volume", description="volumeName is the binding reference to the PersistentVolume backing this claim."),
        Column("Capacity", description="capacity represents the actual resources of the underlying volume."),
        Column("Access Modes", description=(
            "accessModes contains the actual access modes the volume backing the PVC has. More info: "
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1")),
        Column("StorageClass", description="StorageClass of the pvc"),
        Column("VolumeAttributesClass", description="VolumeAttributesClass of the pvc"),
        AGE_COLUMN,
        Column("VolumeMode", priority=1, description=(
            "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when "
            "not included in claim spec.")),
    ],
    cells=_cells,
)


class PersistentVolumeClaimStrategy(GenericStrategy):
    tracks_generation = False
    #: what StorageObjectInUseProtection adds; None turns the admission plugin off
    protection_finalizer: str | None = PROTECTION_FINALIZER

    def defaults(self, obj: Obj) -> None:
        if isinstance(obj.get("spec", {}), dict):
            default_claim_spec(obj.setdefault("spec", {}))

    def initial_status(self, obj: Obj) -> Any:
        return {"phase": "Pending"}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        if self.protection_finalizer:
            add_finalizer(obj, self.protection_finalizer)

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_claim_spec(obj.get("spec"), "spec")

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return validate_claim_update(new, old)


RESOURCE = ResourceInfo(
    group="", version="v1", kind="PersistentVolumeClaim", plural="persistentvolumeclaims",
    singular="persistentvolumeclaim", namespaced=True, short_names=("pvc",), subresources={"status": STATUS},
    return_deleted_object=True,
)
RESOURCE.strategy = PersistentVolumeClaimStrategy(RESOURCE)
RESOURCE.table = TABLE
