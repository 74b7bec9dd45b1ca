"""Secrets (core/v1): type defaulting, stringData folding, per-type required keys and kubectl's table.

Decoding a v1 Secret folds `stringData` into base64 `data` (stringData wins) and never stores stringData;
`type` defaults to Opaque (SetDefaults_Secret). ValidateSecret checks config keys, the 1 MiB total and
the keys each well-known type requires; updates may not change `type` and respect `immutable`
(ValidateSecretUpdate). Secrets are selectable by `type`.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, invalid_value, required
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.registry.validation import IMMUTABLE
from fakeapi.resources.core_v1.common import is_config_key, mapping, text
from fakeapi.resources.core_v1.configmaps import MAX_SIZE, immutable_errors

Obj = dict[str, Any]

SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"
#: keys a type needs in data; ("any", keys) means one of them is enough
REQUIRED_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kubernetes.io/dockercfg": ("all", (".dockercfg",)),
    "kubernetes.io/dockerconfigjson": ("all", (".dockerconfigjson",)),
    "kubernetes.io/basic-auth": ("any", ("username", "password")),
    "kubernetes.io/ssh-auth": ("all", ("ssh-privatekey",)),
    "kubernetes.io/tls": ("all", ("tls.crt", "tls.key")),
}
JSON_KEYS = {"kubernetes.io/dockercfg": ".dockercfg", "kubernetes.io/dockerconfigjson": ".dockerconfigjson"}


def _decode(value: object) -> bytes:
    try:
        return base64.b64decode(text(value), validate=True)
    except (binascii.Error, ValueError):
        return text(value).encode()


def _json_error(raw: bytes) -> str:
    """The encoding/json error Go reports for malformed docker config JSON."""
    stripped = raw.lstrip()
    if not stripped:
        return "unexpected end of JSON input"
    try:
        parsed = json.loads(raw)
    except ValueError:
        first = stripped[:1].decode(errors="replace")
        if first in "{[\"tfn-0123456789":
            return "unexpected end of JSON input"
        return f"invalid character '{first}' looking for beginning of value"
    if not isinstance(parsed, dict):
        return f"json: cannot unmarshal {type(parsed).__name__} into Go value of type map[string]interface {{}}"
    return ""


def default_secret(obj: Obj) -> None:
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        obj["data"] = data
    if not obj.get("type"):
        obj["type"] = "Opaque"


def validate_secret(obj: Obj) -> list[FieldError]:
    data = mapping(obj.get("data"))
    errs: list[FieldError] = []
    for key in data:
        errs += [invalid_value(f"data[{key}]", key, m) for m in is_config_key(key)]
    if sum(len(_decode(v)) for v in data.values()) > MAX_SIZE:
        errs.append(FieldError("TooLong", "data", None, f"may not be more than {MAX_SIZE} bytes"))
    kind = text(obj.get("type"))
    if kind == "kubernetes.io/service-account-token":
        if not mapping(mapping(obj.get("metadata")).get("annotations")).get(SA_NAME_ANNOTATION):
            errs.append(required(f"metadata.annotations[{SA_NAME_ANNOTATION}]"))
    mode, keys = REQUIRED_KEYS.get(kind, ("all", ()))
    missing = [k for k in keys if k not in data or (kind == "kubernetes.io/ssh-auth" and not data[k])]
    if mode == "any" and len(missing) == len(keys) or mode == "all" and missing:
        return errs + [required(f"data[{k}]") for k in missing]
    if kind in JSON_KEYS:
        problem = _json_error(_decode(data[JSON_KEYS[kind]]))
        if problem:
            errs.append(invalid_value(f"data[{JSON_KEYS[kind]}]", "<secret contents redacted>", problem))
    return errs


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta = mapping(obj.get("metadata"))
    return [meta.get("name", ""), text(obj.get("type")), len(mapping(obj.get("data"))),
            age(meta.get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Type", description="Used to facilitate programmatic handling of secret data. More info: "
                                   "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
        Column("Data", description=(
            "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. "
            "The serialized form of the secret data is a base64 encoded string, representing the arbitrary "
            "(possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4")),
        AGE_COLUMN,
    ],
    cells=_cells,
)


class SecretStrategy(GenericStrategy):
    tracks_generation = False

    def defaults(self, obj: Obj) -> None:
        default_secret(obj)

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_secret(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        errs = []
        if new.get("type") != old.get("type"):
            errs.append(invalid_value("type", text(new.get("type")), IMMUTABLE))
        return errs + immutable_errors(new, old, ("data",)) + validate_secret(new)

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        return {**super().selectable_fields(obj), "type": text(obj.get("type"))}


RESOURCE = ResourceInfo(
    group="", version="v1", kind="Secret", plural="secrets", singular="secret", namespaced=True,
    selectable_fields=("type",),
)
RESOURCE.strategy = SecretStrategy(RESOURCE)
RESOURCE.table = TABLE
