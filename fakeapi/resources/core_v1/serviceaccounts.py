"""ServiceAccounts (core/v1): names are DNS subdomains, nothing is defaulted, and kubectl's table counts
the listed secrets. DELETE answers with the deleted object; `serviceaccounts/token` is the TokenRequest
subresource (authentication.k8s.io/v1) that kubelets and `kubectl create token` call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fakeapi.registry.resource import ResourceInfo, Subresource
from fakeapi.registry.strategy import GenericStrategy
from fakeapi.registry.tables import AGE_COLUMN, NAME_COLUMN, Column, TableDef, age
from fakeapi.resources.core_v1.common import dicts, mapping

Obj = dict[str, Any]


def _cells(obj: Obj, now: datetime) -> list[Any]:
    meta = mapping(obj.get("metadata"))
    return [meta.get("name", ""), len(dicts(obj.get("secrets"))), age(meta.get("creationTimestamp"), now)]


TABLE = TableDef(
    columns=[
        NAME_COLUMN,
        Column("Secrets", description=(
            'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount '
            'are allowed to use. Pods are only limited to this list if this service account has a '
            '"kubernetes.io/enforce-mountable-secrets" annotation set to "true". The '
            '"kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate '
            'namespaces to isolate access to mounted secrets. This field should not be used to find '
            'auto-generated service account token secrets for use outside of pods. Instead, tokens can be '
            'requested directly using the TokenRequest API, or service account token secrets can be manually '
            'created. More info: https://kubernetes.io/docs/concepts/configuration/secret')),
        AGE_COLUMN,
    ],
    cells=_cells,
)


class ServiceAccountStrategy(GenericStrategy):
    tracks_generation = False


RESOURCE = ResourceInfo(
    group="", version="v1", kind="ServiceAccount", plural="serviceaccounts", singular="serviceaccount",
    namespaced=True, short_names=("sa",),
    subresources={"token": Subresource("TokenRequest", ("create",), group="authentication.k8s.io", version="v1")},
    return_deleted_object=True,
)
RESOURCE.strategy = ServiceAccountStrategy(RESOURCE)
RESOURCE.table = TABLE
