"""What production installs (decision 0011): the wheel carries the compiled translations and
htmx (setup.py's build hook), the pages reference only static files inside the package, and
the demo — whose users share a public password — refuses to run in production.

CI's wheel step builds and installs the real wheel and checks it over HTTP; these tests keep
the pieces honest without a build."""

from __future__ import annotations

import gettext
import hashlib
import importlib.util
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import heltid

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(heltid.__file__).resolve().parent
HTMX = "heltid/static/vendor/htmx/htmx.min.js"


def _setup_py() -> ModuleType:
    """setup.py as a module: it calls setup() only when run as __main__ (as setuptools does)."""
    spec = importlib.util.spec_from_file_location("heltid_setup_py", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_hook__compiles_the_catalogues_into_the_build(tmp_path: Path) -> None:
    build_lib = tmp_path / "build" / "lib"
    shutil.copytree(PACKAGE / "locale", build_lib / "heltid" / "locale", ignore=lambda *_: ["*.mo"])
    for stale in (build_lib / "heltid" / "locale").rglob("*.mo"):
        stale.unlink()
    written = _setup_py().compile_catalogues(build_lib)
    assert [p.relative_to(build_lib).as_posix() for p in written] == [
        "heltid/locale/sv/LC_MESSAGES/django.mo"
    ]
    with written[0].open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext("Log in to Heltid") == "Logga in i Heltid"


def test_build_hook__refuses_a_build_without_htmx(tmp_path: Path) -> None:
    setup_py = _setup_py()
    with pytest.raises(setup_py.BuildError, match="Run npm ci first"):
        setup_py.require_htmx(tmp_path)
    (tmp_path / HTMX).parent.mkdir(parents=True)
    (tmp_path / HTMX).write_text("/* htmx */", encoding="utf-8")
    setup_py.require_htmx(tmp_path)


def test_package_data__ships_templates_static_files_and_catalogues_but_no_mo() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    assert {"*.html", "*.css", "*.js", "*.po", "*.toml", "*.txt"} <= set(patterns)
    assert "*.mo" not in patterns  # compiled by the build hook, never carried from a checkout
    assert "build" in " ".join(config["project"]["optional-dependencies"]["dev"])
    assert f"include src/{HTMX}" in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
    assert "/src/heltid/static/vendor/" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_templates__reference_only_static_files_inside_the_package() -> None:
    from django.contrib.staticfiles import finders

    referenced = set()
    for template in (PACKAGE / "templates").rglob("*.html"):
        referenced |= set(re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]", template.read_text()))
    assert "vendor/htmx/htmx.min.js" in referenced
    for path in sorted(referenced):
        found = finders.find(path)
        assert found, f"{path}: not found (run make install, which copies htmx from npm)"
        assert Path(str(found)).resolve().is_relative_to(PACKAGE), f"{path} is outside heltid/"


def _environment(**extra: str) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HELTID_PRODUCTION", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return {**keep, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def _heltid(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "heltid", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _state(database: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Rows per table, and the bytes of the database's files (WAL and journal included).
    Read as immutable: a plain read-only connection would itself add -wal and -shm files."""
    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(database.parent.glob(database.name + "*"))
    }
    with sqlite3.connect(f"file:{database}?immutable=1", uri=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
            )
        ]
        rows = {t: connection.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    connection.close()
    return rows, files


@pytest.mark.slow
def test_demo__refuses_production_and_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "db" / "heltid.sqlite3"
    database.parent.mkdir()
    env = _environment(
        DATABASE_URL=f"sqlite:///{database}",
        HELTID_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    migrated = _heltid("migrate", "--noinput", "-v0", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    before = _state(database)
    assert before[0]["accounts_user"] == 0 and len(before[0]) > 20

    production = {**env, "HELTID_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(48)}
    for args in (("demo",), ("demo", "--seed", "2", "--if-empty")):
        refused = _heltid(*args, env=production, cwd=tmp_path)
        assert refused.returncode != 0
        assert "HELTID_PRODUCTION" in refused.stderr and "produktion" in refused.stderr
        assert "Traceback" not in refused.stderr

    assert _state(database) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]  # no var/, no static/
