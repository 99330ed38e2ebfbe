"""Reason codes (försörjningshinder) and their statistical groups."""

from __future__ import annotations

import tomllib
from functools import cache

from .parameters import ParameterError, parameter_path, text
from .types import ReasonGroup

__all__ = ["ReasonGroup", "default_reason_codes", "reason_group_for"]

FILE = "reason_codes"


@cache
def _load() -> tuple[tuple[str, ReasonGroup], ...]:
    path = parameter_path(FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"parameter file {FILE}.toml not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{FILE}.toml: not valid TOML ({error})") from error
    entries = data.get("reason_code")
    if not isinstance(entries, list) or not entries:
        raise ParameterError(f"{FILE}.toml: missing [[reason_code]] entries")
    result: list[tuple[str, ReasonGroup]] = []
    for index, entry in enumerate(entries):
        where = f"{FILE}.toml reason_code[{index}]"
        if not isinstance(entry, dict):
            raise ParameterError(f"{where}: must be a table")
        label = text(entry, "label", where=where)
        group = text(entry, "group", where=where)
        try:
            reason_group = ReasonGroup(group)
        except ValueError:
            raise ParameterError(f"{where}: unknown group {group!r}") from None
        if any(existing == label for existing, _ in result):
            raise ParameterError(f"{where}: {label!r} is listed twice")
        result.append((label, reason_group))
    return tuple(result)


def default_reason_codes() -> list[tuple[str, ReasonGroup]]:
    """Every default reason-code label with its group, in file order."""
    return list(_load())


def reason_group_for(label: str) -> ReasonGroup | None:
    """The group of a default reason-code label, or None if the label is not in the list."""
    for existing, group in _load():
        if existing == label:
            return group
    return None
