"""Settings come from the environment and fail loudly; production refuses the demo secret."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# The operator's variables (README), and what the suite sets: the child gets only ``env``'s.
_OPERATOR_VARIABLES = {
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "HELTID_PRODUCTION",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "HELTID_VAR_DIR",
    "STATIC_ROOT",
    "HELTID_SSL_REDIRECT",
    "HELTID_HSTS_INCLUDE_SUBDOMAINS",
    "HELTID_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for Playwright; never in production
}
PRODUCTION = {
    "HELTID_PRODUCTION": "true",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "heltid.kommun.example",
}


def _start(
    env: dict[str, str],
    *,
    code: str = "import heltid.settings",
    args: list[str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """A new Python importing the settings (or running ``args``) with only ``env`` set of the
    operator's variables, in ``cwd``."""
    clean = {k: v for k, v in os.environ.items() if k not in _OPERATOR_VARIABLES}
    return subprocess.run(
        [sys.executable, *(args or ["-c", code])],
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def test_production__refuses_the_demo_secret_key() -> None:
    result = _start({"HELTID_PRODUCTION": "true"})
    assert result.returncode != 0
    assert "demo key" in result.stderr


def test_production__starts_with_a_real_secret() -> None:
    result = _start({"HELTID_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(48)})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("HELTID_SESSION_MINUTES", "ten")])
def test_bad_value__fails_loudly(name: str, value: str) -> None:
    result = _start({name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_importing_settings__writes_nothing(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    static_root = tmp_path / "collected" / "static"
    result = _start(
        {"HELTID_VAR_DIR": str(var_dir), "STATIC_ROOT": str(static_root)},
        code="from django.conf import settings; print(settings.STATIC_ROOT)",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(static_root)
    assert list(tmp_path.iterdir()) == []


def test_var_dir__defaults_to_the_checkouts(tmp_path: Path) -> None:
    result = _start(
        {}, code="from heltid import settings as s; print(s.VAR_DIR, s.STATIC_ROOT)", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    checkout = Path(__file__).resolve().parents[1]
    assert result.stdout.split() == [str(checkout / "var"), str(checkout / "var" / "static")]


def test_static_files__come_from_the_package_not_node_modules() -> None:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    assert "node_modules" not in str(settings.STATICFILES_DIRS)
    found = finders.find("vendor/htmx/htmx.min.js")
    assert found, "run make install (copies htmx into src/heltid/static/vendor/htmx/)"
    assert Path(str(found)).is_relative_to(Path(settings.BASE_DIR) / "static")


def test_production__passes_the_deploy_checks_behind_a_tls_proxy(tmp_path: Path) -> None:
    """`heltid check --deploy --fail-level WARNING` as CI's wheel step runs it (PostgreSQL
    is not reached by the checks, so a URL to nowhere will do)."""
    result = _start(
        {
            **PRODUCTION,
            "DATABASE_URL": "postgres://heltid@127.0.0.1:9/heltid",
            "STATIC_ROOT": str(tmp_path / "static"),
        },
        args=["-m", "heltid", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True 31536000 True True"),
        (
            {
                "HELTID_SSL_REDIRECT": "false",
                "HELTID_HSTS_INCLUDE_SUBDOMAINS": "false",
                "HELTID_HSTS_PRELOAD": "no",
                "SECURE_HSTS_SECONDS": "3600",
            },
            "False 3600 False False",
        ),
    ],
)
def test_production__https_settings_from_the_environment(
    env: dict[str, str], expected: str
) -> None:
    code = (
        "from heltid import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    result = _start({**PRODUCTION, **env}, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_heltid_command__makes_the_sqlite_databases_folder(tmp_path: Path) -> None:
    database = tmp_path / "var" / "heltid.sqlite3"
    result = _start(
        {"HELTID_VAR_DIR": str(tmp_path / "var")}, args=["-m", "heltid", "check"], cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert database.parent.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["var"]  # no static/: collectstatic's


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x" * 50, "different characters"),
        ("a1" * 40, "different characters"),
        ("abcdefghijklmnop" * 4, "repeated"),
        (secrets.token_urlsafe(30), "at least 50"),  # 40 characters
    ],
    ids=["fifty-x", "two-characters", "repeated-piece", "too-short"],
)
def test_production__refuses_a_secret_key_without_entropy(key: str, reason: str) -> None:
    result = _start({**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert reason in result.stderr
    assert key not in result.stderr  # the message never repeats the secret


@pytest.mark.parametrize(
    "key",
    [secrets.token_hex(25), secrets.token_hex(32), secrets.token_urlsafe(50)],
    ids=["hex-50", "hex-64", "urlsafe"],
)
def test_production__accepts_a_random_secret_key(key: str) -> None:
    result = _start({**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode == 0, result.stderr
