"""fkubectl's own version (kept out of `__init__` so it works however the package was installed)."""

VERSION = "0.1.0"
