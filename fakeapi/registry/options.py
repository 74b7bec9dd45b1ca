"""ListOptions / DeleteOptions / write options parsed from query parameters (and a DeleteOptions body).

The web layer hands over the raw query mapping; everything about the options' meaning and their
validation (the 422 `ListOptions.meta.k8s.io "" is invalid: ...` answers) lives here, HTTP-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fakeapi.errors import StatusError, bad_request
from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, not_supported

def _flag(q: Mapping[str, str], name: str) -> bool:
    """apimachinery's bool query conversion: present with any value but 0/false means true."""
    if name not in q:
        return False
    return q[name].lower() not in ("0", "false")


def _int(q: Mapping[str, str], name: str) -> int | None:
    raw = q.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f'strconv.ParseInt: parsing "{raw}": invalid syntax') from None


def _list_options_invalid(errs: list[FieldError]) -> StatusError:
    agg = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
    return StatusError(422, "Invalid", f'ListOptions.meta.k8s.io "" is invalid: {agg}',
                       {"group": "meta.k8s.io", "kind": "ListOptions", "causes": [e.cause() for e in errs]})


@dataclass
class ListOptions:
    label_selector: str = ""
    field_selector: str = ""
    limit: int = 0
    continue_token: str = ""
    resource_version: str = ""
    resource_version_match: str = ""
    watch: bool = False
    allow_watch_bookmarks: bool = False
    send_initial_events: bool | None = None
    timeout_seconds: int | None = None

    @classmethod
    def parse(cls, q: Mapping[str, str]) -> ListOptions:
        sie = q.get("sendInitialEvents")
        opts = cls(
            label_selector=q.get("labelSelector", ""),
            field_selector=q.get("fieldSelector", ""),
            limit=max(0, _int(q, "limit") or 0),
            continue_token=q.get("continue", ""),
            resource_version=q.get("resourceVersion", ""),
            resource_version_match=q.get("resourceVersionMatch", ""),
            watch=_flag(q, "watch"),
            allow_watch_bookmarks=_flag(q, "allowWatchBookmarks"),
            send_initial_events=None if sie is None else sie.lower() not in ("0", "false"),
            timeout_seconds=_int(q, "timeoutSeconds"),
        )
        opts.validate()
        return opts

    def parsed_rv(self) -> int | None:
        if self.resource_version in ("", "0"):
            return None
        try:
            rv = int(self.resource_version)
        except ValueError:
            rv = -1
        if rv < 0:
            raise _list_options_invalid([invalid_value("resourceVersion", self.resource_version,
                                                       "must be a valid resource version")])
        return rv

    def validate(self) -> None:
        """apimachinery's ValidateListOptions / validateWatchOptions: every error, in their order."""
        errs = self._watch_errors() if self.watch else self._list_errors()
        if errs:
            raise _list_options_invalid(errs)
        self.parsed_rv()

    def _list_errors(self) -> list[FieldError]:
        errs: list[FieldError] = []
        match = self.resource_version_match
        if match:
            if not self.resource_version:
                errs.append(forbidden("resourceVersionMatch",
                                      "resourceVersionMatch is forbidden unless resourceVersion is provided"))
            if self.continue_token:
                errs.append(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
            if match not in ("Exact", "NotOlderThan"):
                errs.append(not_supported("resourceVersionMatch", match, ("Exact", "NotOlderThan", "")))
            if match == "Exact" and self.resource_version == "0":
                errs.append(forbidden("resourceVersionMatch",
                                      'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'))
        if self.send_initial_events is not None:
            errs.append(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"))
        return errs

    def _watch_errors(self) -> list[FieldError]:
        errs: list[FieldError] = []
        match = self.resource_version_match
        if self.send_initial_events is not None and match != "NotOlderThan":
            errs.append(forbidden("resourceVersionMatch",
                                  "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
        if match:
            if self.send_initial_events is None:
                errs.append(forbidden("resourceVersionMatch",
                                      "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
            if match != "NotOlderThan":
                errs.append(not_supported("resourceVersionMatch", match, ("NotOlderThan",)))
            if self.continue_token:
                errs.append(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
        return errs


PROPAGATION_POLICIES = ("Foreground", "Background", "Orphan")


@dataclass
class DeleteOptions:
    grace_period_seconds: int | None = None
    propagation_policy: str | None = None
    orphan_dependents: bool | None = None
    precondition_uid: str | None = None
    precondition_rv: str | None = None
    dry_run: bool = False

    @classmethod
    def parse(cls, q: Mapping[str, str], body: Any) -> DeleteOptions:
        if body is not None and not isinstance(body, dict):
            raise bad_request("DeleteOptions must be a JSON object")
        b: dict[str, Any] = body or {}
        pre = b.get("preconditions") or {}
        opts = cls(
            grace_period_seconds=b.get("gracePeriodSeconds", _int(q, "gracePeriodSeconds")),
            propagation_policy=b.get("propagationPolicy", q.get("propagationPolicy")),
            orphan_dependents=b.get("orphanDependents", (q.get("orphanDependents") == "true") if "orphanDependents" in q else None),
            precondition_uid=pre.get("uid"),
            precondition_rv=pre.get("resourceVersion"),
            dry_run=parse_dry_run(q, b.get("dryRun"), "DeleteOptions"),
        )
        errs: list[FieldError] = []
        if opts.propagation_policy is not None and opts.propagation_policy not in PROPAGATION_POLICIES:
            errs.append(not_supported("propagationPolicy", opts.propagation_policy, PROPAGATION_POLICIES + ("nil",)))
        if opts.orphan_dependents is not None and opts.propagation_policy is not None:
            errs.append(invalid_value("propagationPolicy", opts.propagation_policy,
                                      "orphanDependents and deletionPropagation cannot be both set"))
        if opts.grace_period_seconds is not None and not isinstance(opts.grace_period_seconds, int):
            errs.append(invalid_value("gracePeriodSeconds", opts.grace_period_seconds, "must be an integer"))
        if errs:
            agg = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
            raise StatusError(422, "Invalid", f'DeleteOptions.meta.k8s.io "" is invalid: {agg}',
                              {"group": "meta.k8s.io", "kind": "DeleteOptions", "causes": [e.cause() for e in errs]})
        if opts.orphan_dependents is not None:
            opts.propagation_policy = "Orphan" if opts.orphan_dependents else "Background"
        return opts


def parse_dry_run(q: Mapping[str, str] | None, body_value: Any = None, options_kind: str = "CreateOptions") -> bool:
    """ValidateDryRun: only "All"; a bad list is reported whole, as a Go []string."""
    values: list[str] = []
    if isinstance(body_value, list):
        values.extend(str(v) for v in body_value)
    if q is not None and "dryRun" in q:
        values.extend(v for v in q["dryRun"].split(",") if v)
    if any(v != "All" for v in values):
        shown = "[]string{" + ", ".join(f'"{v}"' for v in values) + "}"
        body = f'Unsupported value: {shown}: supported values: "All"'
        raise StatusError(422, "Invalid", f'{options_kind}.meta.k8s.io "" is invalid: dryRun: {body}',
                          {"group": "meta.k8s.io", "kind": options_kind,
                           "causes": [{"reason": "FieldValueNotSupported", "field": "dryRun", "message": body}]})
    return bool(values)


@dataclass
class WriteOptions:
    """`field_validation` "" marks a trusted internal write (the simulation): no unknown-field check."""

    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = ""
    force: bool = False
    warnings: list[str] = field(default_factory=list)
    explicit_manager: bool = False  # fieldManager was in the query (not derived from the User-Agent)

    @classmethod
    def parse(cls, q: Mapping[str, str], user_agent: str = "", options_kind: str = "CreateOptions") -> WriteOptions:
        fv = q.get("fieldValidation", "Warn") or "Warn"
        if fv not in ("Ignore", "Warn", "Strict"):
            raise bad_request(f'fieldValidation must be one of "Ignore", "Warn", or "Strict", got "{fv}"')
        manager = q.get("fieldManager", "")
        if len(manager) > 128:
            raise StatusError(422, "Invalid", "fieldManager: Too long: may not be more than 128 bytes")
        return cls(dry_run=parse_dry_run(q, None, options_kind), field_manager=manager or user_agent.split("/", 1)[0],
                   field_validation=fv, force=_flag(q, "force"), explicit_manager=bool(manager))

    def check_patch(self, apply: bool) -> None:
        """PatchOptions validation: `force` only with apply; apply needs an explicit fieldManager."""
        if self.force and not apply:
            raise patch_options_invalid(FieldError("Forbidden", "force", None,
                                                    "may not be specified for non-apply patch"))
        if apply and not self.explicit_manager:
            raise missing_field_manager()


def patch_options_invalid(err: FieldError) -> StatusError:
    return StatusError(422, "Invalid", f'PatchOptions.meta.k8s.io "" is invalid: {err}',
                       {"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [err.cause()]})


def missing_field_manager() -> StatusError:
    return patch_options_invalid(FieldError("Required", "fieldManager", None, "is required for apply patch"))
