"""Name, label, annotation and ObjectMeta validation worded as kube-apiserver words it.

Contract:
- The `is_*` checks mirror k8s.io/apimachinery/pkg/util/validation: each returns the list of Go error
  strings for a value (empty when valid), byte lengths and message texts included.
- The `validate_*` functions mirror pkg/api/validation (ObjectMeta) and pkg/apis/meta/v1/validation
  (labels, label selectors) and return `FieldError`s whose `str()` is the Go `field: body` text.
- Input is decoded JSON: a value of the wrong JSON type yields a `TypeInvalid` FieldError
  (`Invalid value: <v>: must be of type <t>`) instead of an exception.
- `validate_object_meta` expects name generation to have happened already, as in Go; a missing name is
  only reported when generateName is empty too. Cluster-scoped callers must clear metadata.namespace
  first (the apiserver does so before validating); a namespace left on such an object is Forbidden.
- `validate_object_meta_update` is the whole update check on metadata (immutable fields, finalizers on
  a deleting object, and labels/annotations/ownerReferences/managedFields of the new object); it is not
  meant to be combined with `validate_object_meta` on the same update.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value, required

__all__ = [
    "is_dns1123_subdomain",
    "is_dns1123_label",
    "is_dns1035_label",
    "is_qualified_name",
    "is_valid_label_value",
    "is_valid_port_num",
    "is_valid_port_name",
    "is_env_var_name",
    "name_errors",
    "validate_labels",
    "validate_annotations",
    "validate_finalizers",
    "validate_owner_references",
    "validate_object_meta",
    "validate_object_meta_update",
    "validate_label_selector",
    "validate_nonnegative",
    "NAME_RULES",
    "TOTAL_ANNOTATION_SIZE_LIMIT",
    "IMMUTABLE",
    "GoRenderedInvalid",
    "go_quote",
    "go_string_slice",
    "go_time_string",
    "max_len_error",
    "regex_error",
    "inclusive_range_error",
    "type_invalid",
]

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QUALIFIED_NAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = "(" + _QUALIFIED_NAME_FMT + ")?"
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_VAR_NAME_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
    "and must not start with a digit"
)

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)
_QUALIFIED_NAME_RE = re.compile(_QUALIFIED_NAME_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)
_ENV_VAR_NAME_RE = re.compile(_ENV_VAR_NAME_FMT)
_PORT_NAME_CHARSET_RE = re.compile("[-a-z0-9]+")
_PORT_NAME_LETTER_RE = re.compile("[a-z]")

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
PORT_NAME_MAX_LENGTH = 15
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
FIELD_MANAGER_MAX_LENGTH = 128
SUBRESOURCE_MAX_LENGTH = 256

NAME_RULES = ("subdomain", "label", "dns1035", "path")
IMMUTABLE = "field is immutable"
NEGATIVE = "must be greater than or equal to 0"
FINALIZER_ORPHAN = "orphan"
FINALIZER_FOREGROUND = "foregroundDeletion"
SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@dataclass(frozen=True)
class GoRenderedInvalid(FieldError):
    """An Invalid error whose `value` is already the text Go prints for it (`[]string{...}`, a time)."""

    def body(self) -> str:
        s = f"Invalid value: {self.value}"
        return f"{s}: {self.detail}" if self.detail else s


def _blen(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def go_quote(value: str) -> str:
    """Go's %q / strconv.Quote for the characters names and finalizers can contain."""
    out = []
    for ch in value:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def go_string_slice(values: list[str]) -> str:
    """Go's %#v of a []string."""
    return "[]string{" + ", ".join(go_quote(v) for v in values) + "}"


def type_invalid(field: str, value: Any, json_type: str) -> FieldError:
    return FieldError("TypeInvalid", field, value, f"must be of type {json_type}")


def is_dns1123_label(value: str) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_MSG, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        errs.append(regex_error(_DNS1035_LABEL_MSG, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(prefix))
    else:
        return [
            "a qualified name "
            + regex_error(_QUALIFIED_NAME_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif _blen(name) > QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX_LENGTH))
    if not _QUALIFIED_NAME_RE.fullmatch(name):
        errs.append("name part " + regex_error(_QUALIFIED_NAME_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    errs: list[str] = []
    if _blen(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_valid_port_num(port: int) -> list[str]:
    if 1 <= port <= 65535:
        return []
    return [inclusive_range_error(1, 65535)]


def is_valid_port_name(name: str) -> list[str]:
    errs: list[str] = []
    if _blen(name) > PORT_NAME_MAX_LENGTH:
        errs.append(max_len_error(PORT_NAME_MAX_LENGTH))
    if not _PORT_NAME_CHARSET_RE.fullmatch(name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER_RE.search(name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name and (name[0] == "-" or name[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _ch_dir_prefix_errors(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_env_var_name(name: str) -> list[str]:
    errs: list[str] = []
    if not _ENV_VAR_NAME_RE.fullmatch(name):
        errs.append(regex_error(_ENV_VAR_NAME_MSG, _ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    errs.extend(_ch_dir_prefix_errors(name))
    return errs


def _path_segment_errors(name: str, prefix: bool) -> list[str]:
    if not prefix:
        for bad in (".", ".."):
            if name == bad:
                return [f"may not be '{bad}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]


def _mask_trailing_dash(name: str) -> str:
    if name.endswith("-"):
        return name[: max(len(name) - 2, 0)] + "a"
    return name


def name_errors(name: str, rule: str, *, prefix: bool = False) -> list[str]:
    """The ValidateNameFunc of a resource: `prefix` is True when checking a generateName."""
    if rule == "path":
        return _path_segment_errors(name, prefix)
    if prefix:
        name = _mask_trailing_dash(name)
    if rule == "subdomain":
        return is_dns1123_subdomain(name)
    if rule == "label":
        return is_dns1123_label(name)
    if rule == "dns1035":
        return is_dns1035_label(name)
    raise ValueError(f"unknown name rule {rule!r}; expected one of {', '.join(NAME_RULES)}")


def _string_map(value: object, field: str, errs: list[FieldError]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errs.append(type_invalid(field, value, "object"))
        return {}
    out: dict[str, str] = {}
    for k, v in value.items():
        if not isinstance(v, str):
            errs.append(type_invalid(f"{field}[{k}]", v, "string"))
            continue
        out[str(k)] = v
    return out


def _string_list(value: object, field: str, errs: list[FieldError]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        errs.append(type_invalid(field, value, "array"))
        return []
    out: list[str] = []
    for i, v in enumerate(value):
        if not isinstance(v, str):
            errs.append(type_invalid(f"{field}[{i}]", v, "string"))
            continue
        out.append(v)
    return out


def _label_name_errors(key: str, field: str) -> list[FieldError]:
    return [invalid_value(field, key, msg) for msg in is_qualified_name(key)]


def validate_labels(labels: object, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for k, v in _string_map(labels, field, errs).items():
        errs.extend(_label_name_errors(k, field))
        errs.extend(invalid_value(field, v, msg) for msg in is_valid_label_value(v))
    return errs


def validate_annotations(annotations: object, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    items = _string_map(annotations, field, errs)
    for k in items:
        errs.extend(invalid_value(field, k, msg) for msg in is_qualified_name(k.lower()))
    if sum(_blen(k) + _blen(v) for k, v in items.items()) > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(FieldError("TooLong", field, None, f"must have at most {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"))
    return errs


def validate_finalizers(finalizers: object, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names = _string_list(finalizers, field, errs)
    for name in names:
        errs.extend(invalid_value(field, name, msg) for msg in is_qualified_name(name))
    if FINALIZER_ORPHAN in names and FINALIZER_FOREGROUND in names:
        errs.append(
            GoRenderedInvalid(
                "Invalid",
                field,
                go_string_slice(names),
                f"finalizer {FINALIZER_ORPHAN} and {FINALIZER_FOREGROUND} cannot be both set",
            )
        )
    return errs


def _parse_group_version(api_version: str) -> tuple[str, str] | None:
    if not api_version or api_version == "/":
        return "", ""
    count = api_version.count("/")
    if count == 0:
        return "", api_version
    if count == 1:
        group, version = api_version.split("/")
        return group, version
    return None


def _owner_reference_errors(ref: dict[str, Any], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    fields: dict[str, str] = {}
    for key in ("apiVersion", "kind", "name", "uid"):
        v = ref.get(key)
        if v is not None and not isinstance(v, str):
            errs.append(type_invalid(f"{field}.{key}", v, "string"))
            v = ""
        fields[key] = v or ""
    gv = _parse_group_version(fields["apiVersion"])
    group, version = gv if gv is not None else ("", "")
    if not version:
        errs.append(invalid_value(f"{field}.apiVersion", fields["apiVersion"], "version must not be empty"))
    if not fields["kind"]:
        errs.append(invalid_value(f"{field}.kind", fields["kind"], "kind must not be empty"))
    if not fields["name"]:
        errs.append(invalid_value(f"{field}.name", fields["name"], "name must not be empty"))
    if not fields["uid"]:
        errs.append(invalid_value(f"{field}.uid", fields["uid"], "uid must not be empty"))
    if (group, version, fields["kind"]) == ("", "v1", "Event"):
        errs.append(invalid_value(field, ref, "/v1, Kind=Event is disallowed from being an owner"))
    return errs


def validate_owner_references(refs: object, field: str) -> list[FieldError]:
    if refs is None:
        return []
    if not isinstance(refs, list):
        return [type_invalid(field, refs, "array")]
    errs: list[FieldError] = []
    first_controller = ""
    for i, ref in enumerate(refs):
        if not isinstance(ref, dict):
            errs.append(type_invalid(f"{field}[{i}]", ref, "object"))
            continue
        errs.extend(_owner_reference_errors(ref, field))
        if ref.get("controller") is True:
            current = f"{ref.get('kind') or ''}/{ref.get('name') or ''}"
            if first_controller:
                errs.append(
                    invalid_value(
                        field,
                        refs,
                        "Only one reference can have Controller set to true. "
                        f'Found "true" in references for {first_controller} and {current}',
                    )
                )
            else:
                first_controller = current
    return errs


def _validate_field_manager(manager: str, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if _blen(manager) > FIELD_MANAGER_MAX_LENGTH:
        errs.append(FieldError("TooLong", field, None, f"must have at most {FIELD_MANAGER_MAX_LENGTH} bytes"))
    pos = 0
    for ch in manager:
        if not ch.isprintable():
            errs.append(invalid_value(field, manager, f"invalid character U+{ord(ch):04X} (at position {pos})"))
        pos += _blen(ch)
    return errs


def _validate_managed_fields(entries: object, field: str) -> list[FieldError]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        return [type_invalid(field, entries, "array")]
    errs: list[FieldError] = []
    for i, entry in enumerate(entries):
        path = f"{field}[{i}]"
        if not isinstance(entry, dict):
            errs.append(type_invalid(path, entry, "object"))
            continue
        operation = entry.get("operation") or ""
        if operation not in ("Apply", "Update"):
            errs.append(invalid_value(f"{path}.operation", operation, "must be `Apply` or `Update`"))
        fields_type = entry.get("fieldsType") or ""
        if fields_type and fields_type != "FieldsV1":
            errs.append(invalid_value(f"{path}.fieldsType", fields_type, "must be `FieldsV1`"))
        manager = entry.get("manager") or ""
        if isinstance(manager, str):
            errs.extend(_validate_field_manager(manager, f"{path}.manager"))
        else:
            errs.append(type_invalid(f"{path}.manager", manager, "string"))
        subresource = entry.get("subresource") or ""
        if isinstance(subresource, str) and _blen(subresource) > SUBRESOURCE_MAX_LENGTH:
            errs.append(FieldError("TooLong", f"{path}.subresource", None, f"must have at most {SUBRESOURCE_MAX_LENGTH} bytes"))
    return errs


def validate_nonnegative(value: object, field: str) -> list[FieldError]:
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int):
        return [type_invalid(field, value, "integer")]
    if value < 0:
        return [invalid_value(field, value, NEGATIVE)]
    return []


def _meta_string(meta: dict[str, Any], key: str, errs: list[FieldError]) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errs.append(type_invalid(f"metadata.{key}", value, "string"))
        return ""
    return value


def _common_meta_errors(meta: dict[str, Any]) -> list[FieldError]:
    errs = validate_labels(meta.get("labels"), "metadata.labels")
    errs.extend(validate_annotations(meta.get("annotations"), "metadata.annotations"))
    errs.extend(validate_owner_references(meta.get("ownerReferences"), "metadata.ownerReferences"))
    return errs


def validate_object_meta(meta: dict[str, Any], *, namespaced: bool, name_rule: str) -> list[FieldError]:
    if not isinstance(meta, dict):
        return [type_invalid("metadata", meta, "object")]
    errs: list[FieldError] = []
    generate_name = _meta_string(meta, "generateName", errs)
    name = _meta_string(meta, "name", errs)
    namespace = _meta_string(meta, "namespace", errs)
    if generate_name:
        errs.extend(
            invalid_value("metadata.generateName", generate_name, msg)
            for msg in name_errors(generate_name, name_rule, prefix=True)
        )
    if name:
        errs.extend(invalid_value("metadata.name", name, msg) for msg in name_errors(name, name_rule))
    elif not generate_name:
        errs.append(required("metadata.name", "name or generateName is required"))
    if namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs.extend(invalid_value("metadata.namespace", namespace, msg) for msg in is_dns1123_label(namespace))
    elif namespace:
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    errs.extend(validate_nonnegative(meta.get("generation"), "metadata.generation"))
    errs.extend(_common_meta_errors(meta))
    errs.extend(validate_finalizers(meta.get("finalizers"), "metadata.finalizers"))
    errs.extend(_validate_managed_fields(meta.get("managedFields"), "metadata.managedFields"))
    return errs


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def go_time_string(value: object) -> str:
    """time.Time.String() of a metav1.Time in a UTC apiserver; "null" for an unset pointer."""
    if value is None:
        return "null"
    parsed = _parse_time(value)
    if parsed is None:
        return str(value)
    text = parsed.strftime("%Y-%m-%d %H:%M:%S")
    if parsed.microsecond:
        text += f".{parsed.microsecond:06d}".rstrip("0")
    return text + " +0000 UTC"


def _same_time(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    pa, pb = _parse_time(a), _parse_time(b)
    if pa is None or pb is None:
        return a == b
    return pa == pb


def validate_object_meta_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    if not isinstance(new, dict):
        return [type_invalid("metadata", new, "object")]
    if not isinstance(old, dict):
        old = {}
    errs: list[FieldError] = []
    if old.get("deletionTimestamp"):
        new_finalizers = _string_list(new.get("finalizers"), "metadata.finalizers", errs)
        old_finalizers = old.get("finalizers") if isinstance(old.get("finalizers"), list) else []
        extra = sorted(set(new_finalizers) - set(old_finalizers))
        if extra:
            errs.append(
                forbidden(
                    "metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, "
                    f"found new finalizers {go_string_slice(extra)}",
                )
            )
    for key in ("name", "namespace", "uid"):
        new_value = _meta_string(new, key, errs)
        old_value = old.get(key) or ""
        if new_value != old_value:
            errs.append(invalid_value(f"metadata.{key}", new_value, IMMUTABLE))
    new_created, old_created = new.get("creationTimestamp"), old.get("creationTimestamp")
    if not _same_time(new_created, old_created):
        shown = go_time_string(new_created) if new_created is not None else "0001-01-01 00:00:00 +0000 UTC"
        errs.append(GoRenderedInvalid("Invalid", "metadata.creationTimestamp", shown, IMMUTABLE))
    new_deleted, old_deleted = new.get("deletionTimestamp"), old.get("deletionTimestamp")
    if not _same_time(new_deleted, old_deleted):
        errs.append(GoRenderedInvalid("Invalid", "metadata.deletionTimestamp", go_time_string(new_deleted), IMMUTABLE))
    new_grace, old_grace = new.get("deletionGracePeriodSeconds"), old.get("deletionGracePeriodSeconds")
    if new_grace != old_grace:
        errs.append(invalid_value("metadata.deletionGracePeriodSeconds", new_grace, IMMUTABLE))
    errs.extend(_common_meta_errors(new))
    errs.extend(_validate_managed_fields(new.get("managedFields"), "metadata.managedFields"))
    return errs


def _selector_requirement_errors(req: dict[str, Any], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    operator = req.get("operator")
    values = _string_list(req.get("values"), f"{field}.values", errs)
    if operator in ("In", "NotIn"):
        if not values:
            errs.append(required(f"{field}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            errs.append(
                forbidden(f"{field}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            )
    else:
        errs.append(invalid_value(f"{field}.operator", "" if operator is None else operator, "not a valid selector operator"))
    key = req.get("key")
    if key is not None and not isinstance(key, str):
        errs.append(type_invalid(f"{field}.key", key, "string"))
    else:
        errs.extend(_label_name_errors(key or "", f"{field}.key"))
    for i, value in enumerate(values):
        errs.extend(invalid_value(f"{field}.values[{i}]", value, msg) for msg in is_valid_label_value(value))
    return errs


def validate_label_selector(sel: object, field: str) -> list[FieldError]:
    if sel is None:
        return []
    if not isinstance(sel, dict):
        return [type_invalid(field, sel, "object")]
    errs = validate_labels(sel.get("matchLabels"), f"{field}.matchLabels")
    expressions = sel.get("matchExpressions")
    if expressions is None:
        return errs
    if not isinstance(expressions, list):
        errs.append(type_invalid(f"{field}.matchExpressions", expressions, "array"))
        return errs
    for i, req in enumerate(expressions):
        path = f"{field}.matchExpressions[{i}]"
        if not isinstance(req, dict):
            errs.append(type_invalid(path, req, "object"))
            continue
        errs.extend(_selector_requirement_errors(req, path))
    return errs
