"""Console entry point (`fkubectl = "fkubectl.cli:main"`): start fast, then hand argv to `fkubectl.app`.

Start-up is measured against kubectl (~50-60 ms for `get pods`; the interpreter alone takes ~30). With
`PYTHONDONTWRITEBYTECODE` set, Python recompiles every fkubectl module on every run (~40 ms); this
module then keeps fkubectl's own bytecode in `$XDG_CACHE_HOME/fkubectl/bytecode` (never beside the
sources, which is what that variable protects), validated by source mtime and size like a normal `.pyc`.
Set `FKUBECTL_NO_BYTECODE_CACHE=1` to opt out. This file is compiled on every run, so it stays small.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _install_bytecode_cache() -> None:
    import marshal
    from importlib.machinery import PathFinder, SourceFileLoader
    from importlib.util import MAGIC_NUMBER

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    root = os.path.join(base, "fkubectl", "bytecode", sys.implementation.cache_tag or "py")

    class CachingLoader(SourceFileLoader):
        def get_code(self, fullname: str) -> Any:
            path = self.get_filename(fullname)
            st = os.stat(path)
            header = (MAGIC_NUMBER + b"\0\0\0\0" + (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
                      + (st.st_size & 0xFFFFFFFF).to_bytes(4, "little"))
            cached = root + os.path.abspath(path) + "c"
            try:
                with open(cached, "rb") as fh:
                    data = fh.read()
                if data[:16] == header:
                    return marshal.loads(data[16:])
            except (OSError, ValueError, EOFError):
                pass
            code = compile(self.get_data(path), path, "exec", dont_inherit=True)
            try:
                os.makedirs(os.path.dirname(cached), exist_ok=True)
                tmp = f"{cached}.{os.getpid()}"
                with open(tmp, "wb") as fh:
                    fh.write(header + marshal.dumps(code))
                os.replace(tmp, cached)
            except OSError:
                pass
            return code

    class Finder:
        @staticmethod
        def find_spec(name: str, path: Any = None, target: Any = None) -> Any:
            if not name.startswith("fkubectl."):
                return None
            spec = PathFinder.find_spec(name, path, target)
            if spec is not None and type(spec.loader) is SourceFileLoader:
                spec.loader = CachingLoader(spec.loader.name, spec.loader.path)
            return spec

    sys.meta_path.insert(0, Finder)


def main(argv: list[str] | None = None) -> int:
    if sys.dont_write_bytecode and not os.environ.get("FKUBECTL_NO_BYTECODE_CACHE"):
        _install_bytecode_cache()
    from fkubectl.app import main as run

    return run(argv)
