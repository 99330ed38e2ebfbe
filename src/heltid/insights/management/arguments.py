"""What the insights commands share: a day given as YYYY-MM-DD and a file to write, with the
errors in Swedish and exit code 2 (wrong input)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

USAGE = 2


def day_option(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} måste vara ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-31 "
            f"(fick {text!r}).",
            returncode=USAGE,
        ) from None


def output_file(text: str, kinds: Iterable[str]) -> tuple[Path, str]:
    """The file and its kind (its suffix, one of ``kinds``), in a folder that exists."""
    path = Path(text)
    kind = path.suffix.lower().lstrip(".")
    allowed = list(kinds)
    if kind not in allowed:
        wanted = " eller ".join(f".{k}" for k in allowed)
        raise CommandError(f"Filen måste sluta på {wanted} (fick {path.name!r}).", returncode=USAGE)
    if not path.parent.is_dir():
        raise CommandError(f"Mappen {path.parent} finns inte.", returncode=USAGE)
    return path, kind


def write_file(path: Path, data: bytes) -> None:
    """Exit code 1 when the file cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"Filen {path} kan inte skrivas: {exc.strerror}") from exc
