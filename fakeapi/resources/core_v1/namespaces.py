"""Namespaces (core/v1): the `kubernetes` finalizer, the metadata.name label, phase, and kubectl's table.

SetDefaults_Namespace labels every named namespace `kubernetes.io/metadata.name=<name>` (and keeps it so
on every write); PrepareForCreate sets status.phase Active and appends the `kubernetes` spec finalizer;
main-resource updates keep the old spec.finalizers and status. Only `/finalize` may change
spec.finalizers (`prepare_for_finalize`, which the store must call for that subresource); the namespace
controller empties it once the namespace's content is gone. Names are DNS-1123 labels; no generation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.errors import forbidden as forbidden_error
from fakeapi.registry.fielderrors import FieldError, invalid_value
from fakeapi.registry.resource import STATUS, ResourceInfo, Subresource
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import is_qualified_name
from fakeapi.resources.core_v1.common import mapping, text

Obj = dict[str, Any]

NAME_LABEL = "kubernetes.io/metadata.name"
KUBERNETES_FINALIZER = "kubernetes"
STANDARD_FINALIZERS = ("kubernetes",)


def default_namespace(obj: Obj) -> None:
    meta = obj.get("metadata")
    if isinstance(meta, dict) and meta.get("name"):
        labels = meta["labels"] if isinstance(meta.get("labels"), dict) else {}
        labels[NAME_LABEL] = meta["name"]
        meta["labels"] = labels


def _finalizer_errors(name: str, path: str) -> list[FieldError]:
    errs = [invalid_value(path, name, m) for m in is_qualified_name(name)]
    if "/" not in name and name not in STANDARD_FINALIZERS:
        errs.append(invalid_value(path, name, "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def validate_namespace(obj: Obj, *, indexed: bool = False) -> list[FieldError]:
    finalizers = mapping(obj.get("spec")).get("finalizers") or []
    errs: list[FieldError] = []
    for i, name in enumerate(finalizers if isinstance(finalizers, list) else []):
        errs += _finalizer_errors(text(name), f"spec.finalizers[{i}]" if indexed else "spec.finalizers")
    return errs


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta = mapping(obj.get("metadata"))
    return [meta.get("name", ""), text(mapping(obj.get("status")).get("phase")), age(meta.get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[NAME_COLUMN, Column("Status", description="The status of the namespace"), AGE_COLUMN],
    cells=_cells,
)


#: the apiserver's NamespaceLifecycle admission refuses to delete these
IMMORTAL = ("default", "kube-system", "kube-public")


class NamespaceStrategy(GenericStrategy):
    name_rule = "label"
    tracks_generation = False

    def defaults(self, obj: Obj) -> None:
        default_namespace(obj)

    def initial_status(self, obj: Obj) -> Any:
        return {"phase": "Active"}

    def prepare_for_create(self, obj: Obj) -> None:
        super().prepare_for_create(obj)
        spec = obj["spec"] if isinstance(obj.get("spec"), dict) else {}
        finalizers = spec.get("finalizers") if isinstance(spec.get("finalizers"), list) else []
        if KUBERNETES_FINALIZER not in finalizers:
            finalizers.append(KUBERNETES_FINALIZER)
        spec["finalizers"] = finalizers
        obj["spec"] = spec

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        spec = new["spec"] if isinstance(new.get("spec"), dict) else {}
        old_finalizers = mapping(old.get("spec")).get("finalizers")
        if old_finalizers is None:
            spec.pop("finalizers", None)
        else:
            spec["finalizers"] = old_finalizers
        new["spec"] = spec

    def prepare_for_finalize(self, new: Obj, old: Obj) -> None:
        """namespaces/finalize: only spec.finalizers of the request is kept."""
        finalizers = mapping(new.get("spec")).get("finalizers")
        new.clear()
        new.update({**old, "spec": {**mapping(old.get("spec")), "finalizers": finalizers or []}})

    def check_delete(self, obj: Obj) -> None:
        name = obj["metadata"]["name"]
        if name in IMMORTAL:
            raise forbidden_error("namespaces", "", name, "this namespace may not be deleted")

    def deletion_pending(self, obj: Obj) -> bool:
        """A deleted namespace stays, Terminating, until the namespace controller has emptied it and
        removed the "kubernetes" finalizer through namespaces/<name>/finalize."""
        if mapping(obj.get("spec")).get("finalizers"):
            obj.setdefault("status", {})["phase"] = "Terminating"
            return True
        return False

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_namespace(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        errs = validate_namespace(new, indexed=True)
        phase = mapping(new.get("status")).get("phase")
        if phase == mapping(old.get("status")).get("phase"):
            return errs
        deleting = bool(mapping(new.get("metadata")).get("deletionTimestamp"))
        if not deleting and phase != "Active":
            errs.append(invalid_value("status.Phase", text(phase), "may only be 'Active' if `deletionTimestamp` is empty"))
        elif deleting and phase != "Terminating":
            errs.append(invalid_value("status.Phase", text(phase),
                                      "may only be 'Terminating' if `deletionTimestamp` is not empty"))
        return errs

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        return {"metadata.name": mapping(obj.get("metadata")).get("name", ""),
                "status.phase": text(mapping(obj.get("status")).get("phase"))}


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Namespace", plural="namespaces", singular="namespace", namespaced=False,
    short_names=("ns",),
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    subresources={"finalize": Subresource("Namespace", ("update",)), "status": STATUS},
    return_deleted_object=True,
    selectable_fields=("status.phase",),
)
RESOURCE.strategy = NamespaceStrategy(RESOURCE)
RESOURCE.table = TABLE
