"""ResourceStore: the generic create/get/list/update/patch/delete over storage, for every kind.

It owns what the apiserver's generic registry owns: server-set metadata (uid, creationTimestamp,
generateName, resourceVersion via the storage versioner), namespace existence and termination,
optimistic concurrency, no-op update detection, finalizers and deletionTimestamp, graceful deletion,
dry runs, and the order in which a kind's Strategy hooks run. Everything here is HTTP-free: the web layer
and the cluster simulation are both clients of this class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from fakeapi import codec
from fakeapi.errors import StatusError, already_exists, bad_request, conflict, forbidden, not_found
from fakeapi.registry import objectmeta, patch as patching
from fakeapi.registry.fielderrors import FieldError, invalid
from fakeapi.registry.listing import ListResult, list_objects
from fakeapi.registry.options import DeleteOptions, ListOptions, WriteOptions
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import Strategy
from fakeapi.registry.validation import validate_object_meta, validate_object_meta_update
from fakeapi.storage import KeyExistsError, KeyNotFoundError, KeyValue, RevisionMismatchError, Storage

Obj = dict[str, Any]
Mutator = Callable[[Obj], Obj]

NAMESPACES_KEY = "/registry/namespaces/"
SERVER_META = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")
OMITTED_WHEN_EMPTY = ("labels", "annotations", "finalizers", "ownerReferences", "managedFields")
#: subresources whose writers (binding, finalize) change fields the kind's update validation forbids
PRIVILEGED_SUBRESOURCES = ("binding", "finalize")


@dataclass
class DeleteResult:
    kv: KeyValue
    deleted: bool  # False: deletion started (finalizers or grace period), object still present


def _same_but_managed_fields(new: Obj, old: Obj) -> bool:
    """A write that changes nothing is a no-op: it must not even touch managedFields (nor bump the RV)."""
    if new.keys() != old.keys():
        return False
    for key, value in new.items():
        if key != "metadata" and value != old[key]:
            return False
    new_meta, old_meta = new["metadata"], old["metadata"]
    keys = (new_meta.keys() | old_meta.keys()) - {"managedFields"}
    return all(new_meta.get(k) == old_meta.get(k) for k in keys)


def _strategy(info: ResourceInfo) -> Strategy:
    assert info.strategy is not None
    return info.strategy


class ResourceStore:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    # ---- reads -----------------------------------------------------------------------------------

    def get(self, info: ResourceInfo, namespace: str | None, name: str) -> KeyValue:
        kv = self.storage.get(info.key(namespace, name))
        if kv is None:
            raise not_found(info.plural, info.group, name)
        return kv

    def list(self, info: ResourceInfo, namespace: str | None, opts: ListOptions) -> ListResult:
        return list_objects(self.storage, info, namespace, opts)

    # ---- create ----------------------------------------------------------------------------------

    def create(self, info: ResourceInfo, namespace: str | None, obj: Any, opts: WriteOptions | None = None) -> KeyValue:
        opts = opts or WriteOptions()
        obj = self._check_body(info, obj)
        self._check_fields(info, obj, opts)
        meta = obj["metadata"]
        self._apply_namespace(info, namespace, meta)
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = objectmeta.generate_name(str(meta["generateName"]))
            while self.storage.get(info.key(namespace, meta["name"])) is not None:
                meta["name"] = objectmeta.generate_name(str(meta["generateName"]))
        name = str(meta.get("name") or "")
        if info.namespaced and namespace:
            self._check_namespace_open(info, namespace, name)
        for field in ("resourceVersion", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
            meta.pop(field, None)
        meta["uid"] = objectmeta.new_uid()
        meta["creationTimestamp"] = objectmeta.now_rfc3339()
        strategy = _strategy(info)
        strategy.defaults(obj)
        if opts.field_manager:
            self._track_fields(info, None, obj, opts.field_manager, "")
        strategy.prepare_for_create(obj)
        self._validate(info, obj, validate_object_meta(meta, namespaced=info.namespaced,
                                                       name_rule=strategy.name_validator()) + strategy.validate(obj))
        if opts.dry_run:
            if self.storage.get(info.key(namespace, name)) is not None:
                raise already_exists(info.plural, info.group, name)
            return KeyValue(info.key(namespace, name), codec.dumps(obj), obj, 0, 0)
        try:
            return self.storage.create(info.key(namespace, name), obj)
        except KeyExistsError:
            raise already_exists(info.plural, info.group, name) from None

    # ---- update / patch --------------------------------------------------------------------------

    def update(self, info: ResourceInfo, namespace: str | None, name: str, obj: Any, *,
               subresource: str = "", opts: WriteOptions | None = None) -> KeyValue:
        new = self._check_body(info, obj)
        self._check_fields(info, new, opts or WriteOptions())
        meta = new["metadata"]
        if meta.get("name") and meta["name"] != name:
            raise bad_request(f"the name of the object ({meta['name']}) does not match the name on the URL ({name})")
        meta["name"] = name
        self._apply_namespace(info, namespace, meta)
        requested_rv = str(meta.get("resourceVersion") or "")
        requested_uid = str(meta.get("uid") or "")
        if requested_uid:
            current = self.get(info, namespace, name)
            if current.obj["metadata"].get("uid") != requested_uid:
                raise conflict(info.plural, info.group, name,
                               f"Precondition failed: UID in precondition: {requested_uid}, UID in object meta: "
                               f"{current.obj['metadata'].get('uid')}")
        if not requested_rv and not info.allow_unconditional_update:
            self._validate(info, new, [FieldError("Invalid", "metadata.resourceVersion", "0x0",
                                                  "must be specified for an update")])
        return self.guaranteed_update(info, namespace, name, lambda _cur: new, subresource=subresource,
                                      opts=opts, precondition_rv=requested_rv)

    def patch(self, info: ResourceInfo, namespace: str | None, name: str, patch_type: str, body: bytes, *,
              subresource: str = "", opts: WriteOptions | None = None) -> tuple[KeyValue, bool]:
        """Apply a patch; the flag is True when a server-side apply created the object."""
        if patch_type == patching.APPLY:
            return self._server_side_apply(info, namespace, name, body, subresource=subresource,
                                           opts=opts or WriteOptions())
        try:
            patch_obj = codec.loads(body) if body else None
        except codec.JSONDecodeError as exc:
            raise bad_request(f"error decoding patch: {exc}") from None

        def mutate(current: Obj) -> Obj:
            if patch_type == patching.MERGE:
                if not isinstance(patch_obj, dict):
                    raise bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
                result = patching.merge_patch(current, patch_obj)
            elif patch_type == patching.JSON_PATCH:
                result = patching.json_patch(current, patch_obj)
            elif patch_type == patching.STRATEGIC:
                if not isinstance(patch_obj, dict):
                    raise bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
                from fakeapi.registry.strategicpatch import smp_for_kind  # schema-driven: loaded on first use

                result = smp_for_kind(current, patch_obj, info.group, info.version, info.kind)
            else:
                raise StatusError(415, "UnsupportedMediaType", f"unsupported patch type {patch_type}")
            if not isinstance(result, dict):
                raise bad_request("patched object is not a JSON object")
            self._check_fields(info, result, opts or WriteOptions(), patching=True)
            return result

        rv = ""
        if patch_type in (patching.MERGE, patching.STRATEGIC) and isinstance(patch_obj, dict):
            rv = str(((patch_obj.get("metadata") or {}).get("resourceVersion")) or "")
        return self.guaranteed_update(info, namespace, name, mutate, subresource=subresource, opts=opts,
                                      precondition_rv=rv), False

    def _server_side_apply(self, info: ResourceInfo, namespace: str | None, name: str, body: bytes, *,
                           subresource: str, opts: WriteOptions) -> tuple[KeyValue, bool]:
        """Apply onto the live object, or create it through create() when it does not exist."""
        from fakeapi.registry import apply as applying

        if not opts.field_manager:
            raise applying.missing_field_manager()
        applied = applying.decode_apply_body(body)
        applied_meta = applied.get("metadata") if isinstance(applied.get("metadata"), dict) else {}
        rv = str(applied_meta.get("resourceVersion") or "")
        untracked = replace(opts, field_manager="")

        def merged(current: Obj | None) -> Obj:
            result = applying.apply_patch(current, applied, manager=opts.field_manager, force=opts.force,
                                          group=info.group, version=info.version, kind=info.kind,
                                          subresource=subresource, has_status="status" in info.subresources)
            result_name = (result.get("metadata") or {}).get("name")
            if current is None and not result_name:
                raise bad_request(f"the name of the object ({name} based on URL) was undeterminable: "
                                  "name must be provided")
            if result_name != name:
                raise bad_request(f"the name of the object ({result_name}) does not match the name on the URL "
                                  f"({name})")
            return result

        for _ in range(3):
            if self.storage.get(info.key(namespace, name)) is None:
                if subresource:
                    raise not_found(info.plural, info.group, name)
                new = merged(None)
                uid = (new.get("metadata") or {}).get("uid")
                if uid:
                    raise conflict(info.plural, info.group, name, f"uid mismatch: the provided object specified "
                                                                  f"uid {uid}, and no existing object was found")
                try:
                    return self.create(info, namespace, new, untracked), True
                except StatusError as exc:
                    if exc.reason != "AlreadyExists":
                        raise
                    continue
            try:
                return self.guaranteed_update(info, namespace, name, merged, subresource=subresource,
                                              opts=untracked, precondition_rv=rv), False
            except StatusError as exc:
                if exc.reason != "NotFound" or (exc.details or {}).get("name") != name:
                    raise
        raise conflict(info.plural, info.group, name)

    def guaranteed_update(self, info: ResourceInfo, namespace: str | None, name: str, mutate: Mutator, *,
                          subresource: str = "", opts: WriteOptions | None = None,
                          precondition_rv: str = "") -> KeyValue:
        """Read, mutate a private copy, run the strategy, compare-and-swap: the apiserver's GuaranteedUpdate."""
        opts = opts or WriteOptions()
        current = self.get(info, namespace, name)
        if precondition_rv and precondition_rv != current.obj["metadata"].get("resourceVersion"):
            raise conflict(info.plural, info.group, name)
        old = current.obj
        new = mutate(codec.loads(current.value))
        new = self._check_body(info, new)
        meta, old_meta = new["metadata"], old["metadata"]
        meta["name"] = name
        self._apply_namespace(info, namespace, meta)
        for field in SERVER_META:
            if field in old_meta:
                meta[field] = old_meta[field]
            else:
                meta.pop(field, None)
        meta["resourceVersion"] = old_meta.get("resourceVersion")
        strategy = _strategy(info)
        if subresource == "status":
            strategy.prepare_for_status_update(new, old)
        elif subresource not in PRIVILEGED_SUBRESOURCES:
            strategy.defaults(new)
            strategy.prepare_for_update(new, old)
        if opts.field_manager and subresource not in PRIVILEGED_SUBRESOURCES and not _same_but_managed_fields(new, old):
            self._track_fields(info, old, new, opts.field_manager, subresource)
        errs = validate_object_meta_update(new["metadata"], old_meta)
        if subresource not in PRIVILEGED_SUBRESOURCES:
            errs += strategy.validate_update(new, old)
        self._validate(info, new, errs)
        if new == old:
            return current
        if opts.dry_run:
            return KeyValue(current.key, codec.dumps(new), new, current.create_rev, current.mod_rev)
        if old_meta.get("deletionTimestamp") and not meta.get("finalizers") and \
                not old_meta.get("deletionGracePeriodSeconds") and not strategy.deletion_pending(new):
            return self._remove(info, current)
        try:
            return self.storage.update(current.key, new, expected_mod_rev=current.mod_rev)
        except RevisionMismatchError:
            raise conflict(info.plural, info.group, name) from None

    # ---- delete ----------------------------------------------------------------------------------

    def delete(self, info: ResourceInfo, namespace: str | None, name: str,
               opts: DeleteOptions | None = None) -> DeleteResult:
        opts = opts or DeleteOptions()
        current = self.get(info, namespace, name)
        meta = current.obj["metadata"]
        # rest.BeforeDelete checks the preconditions first and names the Kind, not the resource
        if opts.precondition_uid is not None and opts.precondition_uid != meta.get("uid"):
            raise conflict(info.kind, info.group, name,
                           f"the UID in the precondition ({opts.precondition_uid}) does not match the UID in record "
                           f"({meta.get('uid')}). The object might have been deleted and then recreated")
        if opts.precondition_rv is not None and opts.precondition_rv != meta.get("resourceVersion"):
            raise conflict(info.kind, info.group, name,
                           f"the ResourceVersion in the precondition ({opts.precondition_rv}) does not match the "
                           f"ResourceVersion in record ({meta.get('resourceVersion')}). The object might have been "
                           "modified")
        _strategy(info).check_delete(current.obj)
        grace = _strategy(info).grace_period(current.obj, opts.grace_period_seconds)
        finalizers = list(meta.get("finalizers") or [])
        policy = opts.propagation_policy
        for policy_name, finalizer in (("Orphan", "orphan"), ("Foreground", "foregroundDeletion")):
            if policy == policy_name and finalizer not in finalizers:
                finalizers.append(finalizer)
        if policy == "Background":
            finalizers = [f for f in finalizers if f not in ("orphan", "foregroundDeletion")] \
                if not meta.get("deletionTimestamp") else finalizers
        new = codec.loads(current.value)
        pending = _strategy(info).deletion_pending(new)
        if not finalizers and grace <= 0 and not pending:
            if opts.dry_run:
                return DeleteResult(current, True)
            return DeleteResult(self._remove(info, current), True)
        if opts.dry_run:
            return DeleteResult(current, False)
        nmeta = new["metadata"]
        existing_grace = nmeta.get("deletionGracePeriodSeconds")
        if not nmeta.get("deletionTimestamp") or (existing_grace is not None and grace < existing_grace):
            if not nmeta.get("deletionTimestamp") and nmeta.get("generation", 0) > 0:
                nmeta["generation"] += 1
            nmeta["deletionTimestamp"] = objectmeta.rfc3339(datetime.now(timezone.utc) + timedelta(seconds=max(grace, 0)))
            nmeta["deletionGracePeriodSeconds"] = max(grace, 0)
        if finalizers:
            nmeta["finalizers"] = finalizers
        if new == current.obj:
            return DeleteResult(current, False)
        return DeleteResult(self.storage.update(current.key, new, expected_mod_rev=current.mod_rev), False)

    def finish_graceful_delete(self, info: ResourceInfo, namespace: str | None, name: str,
                               uid: str | None = None) -> KeyValue | None:
        """What the kubelet does once a pod's containers are gone: a delete with grace 0."""
        kv = self.storage.get(info.key(namespace, name))
        if kv is None or (uid and kv.obj["metadata"].get("uid") != uid):
            return None
        if kv.obj["metadata"].get("finalizers"):
            new = codec.loads(kv.value)
            new["metadata"]["deletionGracePeriodSeconds"] = 0
            return self.storage.update(kv.key, new, expected_mod_rev=kv.mod_rev)
        return self._remove(info, kv)

    def delete_collection(self, info: ResourceInfo, namespace: str | None, list_opts: ListOptions,
                          opts: DeleteOptions) -> list[KeyValue]:
        result = self.list(info, namespace, ListOptions(label_selector=list_opts.label_selector,
                                                        field_selector=list_opts.field_selector))
        out = []
        for kv in result.items:
            meta = kv.obj["metadata"]
            try:
                out.append(self.delete(info, meta.get("namespace"), meta["name"], opts).kv)
            except StatusError as exc:
                if exc.code != 404:
                    raise
        return out

    # ---- helpers ---------------------------------------------------------------------------------

    def _remove(self, info: ResourceInfo, current: KeyValue) -> KeyValue:
        try:
            return self.storage.delete(current.key, expected_mod_rev=current.mod_rev)
        except (KeyNotFoundError, RevisionMismatchError):
            raise conflict(info.plural, info.group, current.obj["metadata"].get("name", "")) from None

    def _track_fields(self, info: ResourceInfo, old: Obj | None, new: Obj, manager: str, subresource: str) -> None:
        from fakeapi.registry import fieldmanager  # loaded on the first tracked write, not at start-up

        entries = fieldmanager.managed_fields_after_update(old, new, manager, info.api_version,
                                                           objectmeta.now_rfc3339(), subresource=subresource,
                                                           has_status="status" in info.subresources)
        if entries:
            new["metadata"]["managedFields"] = entries
        else:
            new["metadata"].pop("managedFields", None)

    def _check_body(self, info: ResourceInfo, obj: Any) -> Obj:
        if not isinstance(obj, dict):
            raise bad_request(f"the object provided is not a {info.kind}: expected a JSON object")
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if kind is not None and kind != info.kind:
            raise bad_request(f'the kind in the body ({kind}) does not match the expected kind ({info.kind})')
        if api_version is not None and api_version != info.api_version:
            raise bad_request(f"the API version in the data ({api_version}) does not match the expected "
                              f"API version ({info.api_version})")
        meta = obj.get("metadata")
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise bad_request("metadata must be a JSON object")
        for field in OMITTED_WHEN_EMPTY:
            if field in meta and not meta[field]:
                del meta[field]  # Go's omitempty: an empty map or list is not stored
        ordered: Obj = {"kind": info.kind, "apiVersion": info.api_version, "metadata": meta}
        for key, value in obj.items():
            if key not in ordered:
                ordered[key] = value
        return ordered

    def _check_fields(self, info: ResourceInfo, obj: Obj, opts: WriteOptions, *, patching: bool = False) -> None:
        """What decoding into Go types does to an API write: empty optional maps/lists vanish; for unknown
        fields, fieldValidation=Strict rejects them, Warn and Ignore drop them (Warn also warns)."""
        if not opts.field_validation:
            return
        from fakeapi.openapi import strict  # the schemas load on the first validated write

        strict.drop_empty(obj, info.group, info.version, info.kind)
        paths = strict.unknown_fields(obj, info.group, info.version, info.kind)
        if not paths:
            return
        if opts.field_validation == "Strict":
            if patching:
                raise invalid("", "", "", [FieldError("Invalid", "patch", None, strict.strict_error_message(paths))])
            raise strict.decode_error(info.kind, info.version, paths)
        if opts.field_validation == "Warn":
            opts.warnings.extend(strict.warnings(paths))
        strict.prune(obj, paths)

    def _apply_namespace(self, info: ResourceInfo, namespace: str | None, meta: Obj) -> None:
        if not info.namespaced:
            meta.pop("namespace", None)
            return
        body_ns = meta.get("namespace")
        if body_ns and namespace and body_ns != namespace:
            raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
        if namespace:
            meta["namespace"] = namespace

    def _check_namespace_open(self, info: ResourceInfo, namespace: str, name: str) -> None:
        ns = self.storage.get(NAMESPACES_KEY + namespace)
        if ns is None:
            raise not_found("namespaces", "", namespace)
        if ns.obj["metadata"].get("deletionTimestamp") or (ns.obj.get("status") or {}).get("phase") == "Terminating":
            err = forbidden(info.plural, info.group, name,
                            f"unable to create new content in namespace {namespace} because it is being terminated")
            assert err.details is not None
            err.details["causes"] = [{"reason": "NamespaceTerminating", "field": "metadata.namespace",
                                      "message": f"namespace {namespace} is being terminated"}]
            raise err

    def _validate(self, info: ResourceInfo, obj: Obj, errs: list[FieldError]) -> None:
        if errs:
            name = str(obj.get("metadata", {}).get("name") or "")
            raise invalid(info.kind, info.group, name, errs)
