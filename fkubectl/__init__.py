"""fkubectl: a kubectl clone that speaks plain Kubernetes REST (never imports fakeapi)."""

from fkubectl._version import VERSION as __version__

__all__ = ["__version__"]
