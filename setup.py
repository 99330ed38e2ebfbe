"""Build hook: what a wheel must carry beyond the sources (decision 0011).

Everything else about the package is in pyproject.toml. When setuptools builds the package
(``python -m build``, ``pip install .``) this adds to ``build_py``:

- the compiled translations: every ``.po`` in the build directory is compiled to ``.mo`` beside
  it by src/heltid/i18n_compile.py, loaded by its path (heltid itself is not importable in the
  isolated build environment, and the compiler needs only the standard library);
- a check that htmx is in the package (``src/heltid/static/vendor/htmx/htmx.min.js``, copied
  from npm by ``make install``), since production installs no npm packages.

An editable install (``pip install -e``, as ``make install`` does) uses the source tree, where
``make install`` compiles the catalogues and copies htmx itself, so the hook does nothing then.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
COMPILER = ROOT / "src" / "heltid" / "i18n_compile.py"
HTMX = Path("heltid/static/vendor/htmx/htmx.min.js")  # inside the package's top folder
HTMX_MISSING = (
    "htmx is missing from the package ({path}): it ships inside the wheel and is copied from "
    "node_modules by `make install` (or `make vendor`). Run npm ci first, then make vendor."
)


class BuildError(SystemExit):
    """Stops the build with a message (setuptools prints it and exits non-zero)."""


def load_compiler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_heltid_i18n_compile", COMPILER)
    if spec is None or spec.loader is None:
        raise BuildError(f"cannot load the translation compiler {COMPILER}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it is executed
    spec.loader.exec_module(module)
    return module


def require_htmx(package_root: Path) -> None:
    """``package_root`` is where the ``heltid`` folder is: the build directory or ``src``."""
    path = package_root / HTMX
    if not path.is_file() or path.stat().st_size == 0:
        raise BuildError(HTMX_MISSING.format(path=path))


def compile_catalogues(package_root: Path) -> list[Path]:
    """Compile every catalogue under ``package_root``/heltid/locale; the .mo files written."""
    compiler = load_compiler()
    written = []
    for po_path in sorted((package_root / "heltid" / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        compiler.compile_file(po_path, mo_path)
        written.append(mo_path)
    if not written:
        raise BuildError(f"no translations (.po) found under {package_root / 'heltid/locale'}")
    return written


class BuildPy(build_py):
    """build_py, then: htmx must be there; the catalogues are compiled into the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        build_lib = Path(self.build_lib)
        require_htmx(build_lib)
        for mo_path in compile_catalogues(build_lib):
            print(f"compiled {mo_path.relative_to(build_lib)}")
            self._compiled = [*getattr(self, "_compiled", []), str(mo_path)]

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *getattr(self, "_compiled", [])]


class Sdist(sdist):
    """sdist, refusing to build one without htmx (the wheel is built from the sdist)."""

    def run(self) -> None:
        require_htmx(ROOT / "src")
        super().run()


if __name__ == "__main__":  # setuptools runs this file as __main__; tests import it
    setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
