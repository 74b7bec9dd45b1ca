"""Strategy: the per-kind hooks the ResourceStore calls, in the apiserver's fixed order.

create:  defaults -> prepare_for_create -> validate_meta + validate
update:  defaults -> prepare_for_update(new, old) -> validate_meta + validate_update(new, old)
/status: prepare_for_status_update(new, old) -> validate_meta + validate_update(new, old)

Hooks that prepare may mutate the object they are given; validation never mutates, it only returns
field errors (one 422 Invalid for all of them). `GenericStrategy` is the fallback used for every kind
that does not bring its own: it implements the status split and generation bookkeeping that most kinds
share, so per-kind strategies subclass it and add defaults and validation.
"""

from __future__ import annotations

from typing import Any, Protocol

from fakeapi.registry.fielderrors import FieldError
from fakeapi.registry.resource import ResourceInfo

Obj = dict[str, Any]


class Strategy(Protocol):
    def defaults(self, obj: Obj) -> None: ...

    def prepare_for_create(self, obj: Obj) -> None: ...

    def validate(self, obj: Obj) -> list[FieldError]: ...

    def prepare_for_update(self, new: Obj, old: Obj) -> None: ...

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]: ...

    def prepare_for_status_update(self, new: Obj, old: Obj) -> None: ...

    def selectable_fields(self, obj: Obj) -> dict[str, str]: ...

    def name_validator(self) -> str: ...

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        """Seconds of graceful deletion for this object (0 = delete at once)."""
        ...

    def check_delete(self, obj: Obj) -> None:
        """Refuse a deletion outright (raise StatusError), as admission would."""
        ...

    def deletion_pending(self, obj: Obj) -> bool:
        """Whether a kind-specific condition (a namespace's spec.finalizers) still holds the object back
        from removal once its deletion has begun; may mark the object (phase Terminating)."""
        ...


class GenericStrategy:
    """Fallback behaviour: status subresource split, generation on spec change, no extra validation.

    `tracks_generation` mirrors the apiserver: kinds with a spec whose controllers report
    observedGeneration bump `metadata.generation` when the spec changes.
    """

    #: "subdomain" (most kinds), "label" (namespaces), "dns1035" (services) or "path" (segments only)
    name_rule = "subdomain"
    tracks_generation = True
    #: top-level fields a main-resource write may not change when the kind has a status subresource
    status_field = "status"

    def __init__(self, info: ResourceInfo) -> None:
        self.info = info
        self.has_status = "status" in info.subresources

    def defaults(self, obj: Obj) -> None:
        return None

    def prepare_for_create(self, obj: Obj) -> None:
        if self.has_status:
            obj[self.status_field] = self.initial_status(obj)
        if self.tracks_generation and "spec" in obj:
            obj["metadata"]["generation"] = 1

    def initial_status(self, obj: Obj) -> Any:
        return {}

    def validate(self, obj: Obj) -> list[FieldError]:
        return []

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        if self.has_status:
            if self.status_field in old:
                new[self.status_field] = old[self.status_field]
            else:
                new.pop(self.status_field, None)
        self.bump_generation(new, old)

    def bump_generation(self, new: Obj, old: Obj) -> None:
        gen = old["metadata"].get("generation")
        if gen is None:
            new["metadata"].pop("generation", None)
            return
        changed = self.spec_changed(new, old)
        new["metadata"]["generation"] = gen + 1 if changed else gen

    def spec_changed(self, new: Obj, old: Obj) -> bool:
        return new.get("spec") != old.get("spec")

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return self.validate(new)

    def prepare_for_status_update(self, new: Obj, old: Obj) -> None:
        status = new.get(self.status_field)
        for key in list(new):
            if key not in ("metadata", "apiVersion", "kind", self.status_field):
                del new[key]
        for key, value in old.items():
            if key not in ("metadata", "apiVersion", "kind", self.status_field):
                new[key] = value
        if status is None:
            new.pop(self.status_field, None)
        meta, old_meta = new["metadata"], old["metadata"]
        for key in ("labels", "annotations", "finalizers", "ownerReferences", "generation"):
            if key in old_meta:
                meta[key] = old_meta[key]
            else:
                meta.pop(key, None)

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        meta = obj.get("metadata", {})
        fields = {"metadata.name": meta.get("name", "")}
        if self.info.namespaced:
            fields["metadata.namespace"] = meta.get("namespace", "")
        return fields

    def name_validator(self) -> str:
        return self.name_rule

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        return 0

    def check_delete(self, obj: Obj) -> None:
        return None

    def deletion_pending(self, obj: Obj) -> bool:
        return False
