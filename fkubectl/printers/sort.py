"""`--sort-by=<jsonpath>` exactly as kubectl's sorter.go: Go's unstable `sort.Sort` (see `gosort`) with
kubectl's `Less`: the first value the path finds decides; an object without the field is "less" than
anything; numbers compare numerically; two strings compare as resource quantities when both parse as one
(`100m` < `1`, `500Mi` < `1Gi`), else in natural order (`pod-2` < `pod-10`); lists compare element-wise.
"""

from __future__ import annotations

import re

from fkubectl.printers import gosort, jsonpath

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))((?:[KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$")
_SUFFIX = {"": 1.0, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
           "E": 1e18, "Ki": 2.0 ** 10, "Mi": 2.0 ** 20, "Gi": 2.0 ** 30, "Ti": 2.0 ** 40, "Pi": 2.0 ** 50,
           "Ei": 2.0 ** 60}


def quantity(text: str) -> float | None:
    m = _QUANTITY.match(text)
    if m is None:
        return None
    suffix = m.group(2) or ""
    if suffix[:1] in "eE" and suffix:
        return float(m.group(1)) * 10.0 ** int(suffix[1:])
    return float(m.group(1)) * _SUFFIX[suffix]


def natural_less(a: str, b: str) -> bool:
    """fvbommel/sortorder `NaturalLess`, on bytes as Go does."""
    s1, s2 = a.encode(), b.encode()
    i = j = 0
    while i < len(s1) and j < len(s2):
        c1, c2 = s1[i], s2[j]
        d1, d2 = 48 <= c1 <= 57, 48 <= c2 <= 57
        if d1 != d2:
            return d1
        if not d1:
            if c1 != c2:
                return c1 < c2
            i += 1
            j += 1
            continue
        while i < len(s1) and s1[i] == 48:
            i += 1
        while j < len(s2) and s2[j] == 48:
            j += 1
        nz1, nz2 = i, j
        while i < len(s1) and 48 <= s1[i] <= 57:
            i += 1
        while j < len(s2) and 48 <= s2[j] <= 57:
            j += 1
        if i - nz1 != j - nz2:
            return i - nz1 < j - nz2
        if s1[nz1:i] != s2[nz2:j]:
            return s1[nz1:i] < s2[nz2:j]
        if nz1 != nz2:
            return nz1 < nz2
    return len(s1) < len(s2)


def is_less(a: Any, b: Any) -> bool:
    """kubectl's `isLess` for decoded JSON values."""
    if a is None and b is None:
        return False
    if a is None:
        return True
    if b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        qa, qb = quantity(a), quantity(b)
        if qa is not None and qb is not None:
            return qa < qb
        return natural_less(a, b)
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b, strict=False):
            if not is_less(x, y):
                return False
        return True
    return False


def has_field(obj: Any, expression: str) -> bool:
    path = jsonpath.relaxed(expression) if not expression.startswith("{") else expression
    return bool(jsonpath.values(path, obj))


def sort_objects(objects: list[Any], expression: str, *, get: Callable[[Any], Any] | None = None) -> list[Any]:
    """Sort a copy of `objects` by `expression`; `get(item)` extracts the object to evaluate (Table rows)."""
    path = jsonpath.relaxed(expression) if not expression.startswith("{") else expression
    keys = {id(item): jsonpath.values(path, get(item) if get else item) for item in objects}

    def less(x: Any, y: Any) -> bool:
        kx, ky = keys[id(x)], keys[id(y)]
        if not kx:
            return True
        if not ky:
            return False
        return is_less(kx[0], ky[0])

    items = list(objects)
    gosort.sort(items, less)
    return items
