"""REST mapping: what the user typed (`po`, `pods`, `Pod`, `deploy`, `deployments.apps`,
`deployments.v1.apps`, `all`) -> `Mapping`s, from discovery, in kubectl's priority order.

Rules (cli-runtime's shortcut expander + `PriorityRESTMapper`):
- `<resource>[.<version>].<group>` narrows the group (and version); the bare word matches any group;
- a word matches a short name first, then a plural, singular or kind (case-insensitively);
- among several groups the first in discovery order wins (core, then `/apis` order, preferred versions);
- a category (`all`) expands to every resource listing it, in discovery order;
- a miss against cached discovery refreshes discovery once before failing with
  `the server doesn't have a resource type "x"`.
"""

from __future__ import annotations

from fkubectl.errors import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fkubectl.client.discovery import Discovery
    from fkubectl.client.mapping import Mapping


class NoResourceType(CommandError):
    def __init__(self, arg: str) -> None:
        super().__init__(f'the server doesn\'t have a resource type "{arg}"')
        self.arg = arg


class NoKindMatch(CommandError):
    def __init__(self, kind: str, api_version: str) -> None:
        group, _, version = api_version.rpartition("/")
        super().__init__(f'no matches for kind "{kind}" in version "{api_version}"')
        self.kind, self.group, self.version = kind, group, version


class RESTMapper:
    def __init__(self, discovery: Discovery) -> None:
        self.discovery = discovery
        self._all: list[Mapping] | None = None
        self._preferred: list[Mapping] | None = None

    def _mappings(self, *, preferred_only: bool = True) -> list[Mapping]:
        if preferred_only:
            if self._preferred is None:
                self._preferred = self.discovery.mappings(preferred_only=True)
            return self._preferred
        if self._all is None:
            self._all = self.discovery.mappings(preferred_only=False)
        return self._all

    def _retry(self) -> bool:
        if self.discovery.fresh:
            return False
        self.discovery.refresh()
        self._all = self._preferred = None
        return True

    def resolve(self, arg: str) -> Mapping:
        """Exactly one mapping for a resource type argument."""
        while True:
            found = self._find(arg)
            if found is not None:
                return found
            if not self._retry():
                raise NoResourceType(arg)

    def expand(self, arg: str) -> list[Mapping]:
        """A resource type argument, or a category such as `all`, as a list of mappings."""
        while True:
            found = self._find(arg)
            if found is not None:
                return [found]
            category = [m for m in self._mappings() if arg in m.categories and "list" in m.verbs]
            if category:
                return category
            if not self._retry():
                raise NoResourceType(arg)

    def for_kind(self, api_version: str, kind: str) -> Mapping:
        group, _, version = api_version.rpartition("/")
        while True:
            for m in self._mappings(preferred_only=False):
                if m.kind == kind and m.group == group and m.version == version:
                    return m
            if not self._retry():
                raise NoKindMatch(kind, api_version)

    def _find(self, arg: str) -> Mapping | None:
        word = arg.lower()
        name, _, rest = word.partition(".")
        # (resource, group, version): `deployments.v1.apps`, then `deployments.<group>`, then the whole word
        attempts: list[tuple[str, str | None, str | None]] = []
        if rest.count(".") >= 1:
            v, _, g = rest.partition(".")
            attempts.append((name, g, v))
        attempts.append((name, rest or None, None))
        if rest:
            attempts.append((word, None, None))
        for resource, group, version in attempts:
            candidates = [m for m in self._mappings(preferred_only=version is None)
                          if (group is None or m.group == group) and (version is None or m.version == version)]
            for test in (_short, _plural, _kind):
                for m in candidates:
                    if test(m, resource):
                        return m
        return None


def _short(m: Mapping, word: str) -> bool:
    return word in m.short_names


def _plural(m: Mapping, word: str) -> bool:
    return word == m.resource or word == m.singular


def _kind(m: Mapping, word: str) -> bool:
    return word == m.kind.lower()
