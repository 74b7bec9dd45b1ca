"""ConfigMaps (core/v1): key validation, the `immutable` lock and kubectl's table.

Keys of data and binaryData must be config keys and may not appear in both; the summed size is capped at
1 MiB (ValidateConfigMap). Once `immutable: true` is stored, data, binaryData and the flag itself are
frozen (ValidateConfigMapUpdate). ConfigMaps have no spec, status or generation.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from fakeapi.registry.fielderrors import FieldError, forbidden, invalid_value
from fakeapi.registry.resource import ResourceInfo
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.resources.core_v1.common import is_config_key, mapping

Obj = dict[str, Any]

MAX_SIZE = 1024 * 1024
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"


def _decoded_len(value: object) -> int:
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))


def validate_configmap(obj: Obj) -> list[FieldError]:
    data, binary = mapping(obj.get("data")), mapping(obj.get("binaryData"))
    errs: list[FieldError] = []
    for key in data:
        errs += [invalid_value(f"data[{key}]", key, m) for m in is_config_key(key)]
        if key in binary:
            errs.append(invalid_value(f"data[{key}]", key, "duplicate of key present in binaryData"))
    for key in binary:
        errs += [invalid_value(f"binaryData[{key}]", key, m) for m in is_config_key(key)]
    size = sum(len(str(v).encode()) for v in data.values()) + sum(_decoded_len(v) for v in binary.values())
    if size > MAX_SIZE:
        errs.append(FieldError("TooLong", "", None, f"may not be more than {MAX_SIZE} bytes"))
    return errs


def immutable_errors(new: Obj, old: Obj, fields: tuple[str, ...]) -> list[FieldError]:
    """The frozen-object rule ConfigMaps and Secrets share."""
    if old.get("immutable") is not True:
        return []
    errs = [] if new.get("immutable") is True else [forbidden("immutable", IMMUTABLE_WHEN_SET)]
    return errs + [forbidden(key, IMMUTABLE_WHEN_SET) for key in fields if mapping(new.get(key)) != mapping(old.get(key))]


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta = mapping(obj.get("metadata"))
    return [meta.get("name", ""), len(mapping(obj.get("data"))) + len(mapping(obj.get("binaryData"))),
            age(meta.get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Data", description=(
            "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or "
            "'.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must "
            "not overlap with the keys in the BinaryData field, this is enforced during validation process.")),
        AGE_COLUMN,
    ],
    cells=_cells,
)


class ConfigMapStrategy(GenericStrategy):
    tracks_generation = False

    def validate(self, obj: Obj) -> list[FieldError]:
        return validate_configmap(obj)

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return immutable_errors(new, old, ("data", "binaryData")) + validate_configmap(new)


RESOURCE = ResourceInfo(
    group="", version="v1", kind="ConfigMap", plural="configmaps", singular="configmap", namespaced=True,
    short_names=("cm",),
)
RESOURCE.strategy = ConfigMapStrategy(RESOURCE)
RESOURCE.table = TABLE
