"""YAML in the shape kubectl prints it (sigs.k8s.io/yaml on go-yaml v2), using PyYAML's emitter.

Go's rules that differ from PyYAML's defaults: keys are sorted; a string that would read back as another
type (`"true"`, `"1"`, `""`, `"2024-01-01T00:00:00Z"`, `"y"`) is double-quoted, not single-quoted; a string
with a newline is a literal block (`|`, `|-`); UTF-8 is written as is. PyYAML is imported only here.
"""

from __future__ import annotations

import yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_GO_EXTRA_NON_STRINGS = {"y", "Y", "n", "N", "<<"}


class GoStyleDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    resolved = dumper.resolve(yaml.ScalarNode, value, (True, False))
    if resolved != "tag:yaml.org,2002:str" or value in _GO_EXTRA_NON_STRINGS:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


GoStyleDumper.add_representer(str, _represent_str)


def dump(obj: Any) -> str:
    text: str = yaml.dump(obj, Dumper=GoStyleDumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                          width=80)
    return text


def load_all(text: str) -> list[Any]:
    return [doc for doc in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))]
