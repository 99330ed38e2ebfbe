"""Settings come from the environment and fail loudly; production refuses the demo secret."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "HELTID_PRODUCTION", "DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import heltid.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production__refuses_the_demo_secret_key() -> None:
    result = _start({"HELTID_PRODUCTION": "true"})
    assert result.returncode != 0
    assert "demo key" in result.stderr


def test_production__starts_with_a_real_secret() -> None:
    result = _start({"HELTID_PRODUCTION": "true", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("HELTID_SESSION_MINUTES", "ten")])
def test_bad_value__fails_loudly(name: str, value: str) -> None:
    result = _start({name: value})
    assert result.returncode != 0
    assert name in result.stderr
