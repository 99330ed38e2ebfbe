"""Dated parameter files and the loader that picks the version in force.

The parameter files are the ``*.toml`` files in this package's folder, so they
ship with the package (package data). Each
top-level table of a file is one version and must have ``valid_from`` (a TOML
date or an ISO date string); the version in force on a date is the one with
the latest ``valid_from`` on or before that date. Single values are tables
``{ value = ..., source = "..." }`` so that every value carries its legal or
policy source.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_NAME = re.compile(r"^[a-z0-9_]+$")


class ParameterError(Exception):
    """A parameter file is missing or malformed, or no version applies to a date."""


@dataclass(frozen=True)
class ParameterVersion:
    """One dated version (top-level table) of a parameter file.

    Versions compare and hash by file, key, valid_from and source (``data`` is
    a read-only mapping and is left out), so typed views can be cached per
    version.
    """

    file: str
    key: str
    valid_from: date
    source: str
    data: Mapping[str, Any] = field(compare=False)


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A parameter value with its legal or policy source."""

    value: T
    source: str


def _freeze(value: Any) -> Any:
    """Make parsed TOML read-only: tables become mapping proxies, arrays tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _parse_date(value: object, *, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ParameterError(f"{where}: valid_from must be a date (YYYY-MM-DD), got {value!r}")


def parse_versions(data: Mapping[str, Any], *, file: str) -> tuple[ParameterVersion, ...]:
    """Split parsed TOML into its dated versions, sorted by ``valid_from``."""
    versions: list[ParameterVersion] = []
    for key, table in data.items():
        where = f"{file} [{key}]"
        if not isinstance(table, Mapping):
            raise ParameterError(f"{where}: every top-level entry must be a dated version table")
        if "valid_from" not in table:
            raise ParameterError(f"{where}: missing valid_from")
        source = table.get("source", "")
        if not isinstance(source, str):
            raise ParameterError(f"{where}: source must be a string")
        versions.append(
            ParameterVersion(
                file=file,
                key=key,
                valid_from=_parse_date(table["valid_from"], where=where),
                source=source,
                data=_freeze(dict(table)),
            )
        )
    if not versions:
        raise ParameterError(f"{file}: no dated versions")
    versions.sort(key=lambda v: v.valid_from)
    for earlier, later in pairwise(versions):
        if earlier.valid_from == later.valid_from:
            raise ParameterError(
                f"{file}: versions [{earlier.key}] and [{later.key}] have the same "
                f"valid_from {later.valid_from.isoformat()}"
            )
    return tuple(versions)


def read_parameter_file(path: Path | Traversable) -> tuple[ParameterVersion, ...]:
    """Read and parse one parameter file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"parameter file {path.name} not found") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{path.name}: not valid TOML ({error})") from error
    return parse_versions(data, file=path.name)


def parameter_path(name: str) -> Traversable:
    """The packaged parameter file ``<name>.toml`` next to this module."""
    if not _NAME.match(name):
        raise ParameterError(f"invalid parameter file name {name!r}")
    return resources.files(__name__).joinpath(f"{name}.toml")


@cache
def load_versions(name: str) -> tuple[ParameterVersion, ...]:
    """All versions of the packaged parameter file ``name`` (cached)."""
    path = parameter_path(name)
    if not path.is_file():
        raise ParameterError(f"parameter file {name}.toml not found")
    return read_parameter_file(path)


def select_version(versions: Sequence[ParameterVersion], on: date) -> ParameterVersion:
    """The version with the latest ``valid_from`` on or before ``on``."""
    applicable = [v for v in versions if v.valid_from <= on]
    if not applicable:
        if not versions:
            raise ParameterError("no parameter versions")
        first = min(versions, key=lambda v: v.valid_from)
        raise ParameterError(
            f"{first.file}: no version valid on {on.isoformat()} "
            f"(the earliest is valid from {first.valid_from.isoformat()})"
        )
    return max(applicable, key=lambda v: v.valid_from)


def version_on(name: str, on: date) -> ParameterVersion:
    """The version of ``name`` in force on ``on``; ParameterError if none."""
    return select_version(load_versions(name), on)


def version_on_or_upcoming(name: str, on: date) -> ParameterVersion:
    """The version in force on ``on``, or the first one if none is in force yet."""
    versions = load_versions(name)
    if on < versions[0].valid_from:
        return versions[0]
    return select_version(versions, on)


def latest_version(name: str) -> ParameterVersion:
    """The version of ``name`` with the latest ``valid_from``."""
    return load_versions(name)[-1]


# --- typed access to values -------------------------------------------------


def table(data: Mapping[str, Any], key: str, *, where: str) -> Mapping[str, Any]:
    """A required sub-table."""
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ParameterError(f"{where}: missing table {key!r}")
    return value


def tables(data: Mapping[str, Any], key: str, *, where: str) -> tuple[Mapping[str, Any], ...]:
    """A required array of tables."""
    value = data.get(key)
    if not isinstance(value, tuple) or not all(isinstance(v, Mapping) for v in value):
        raise ParameterError(f"{where}: missing array of tables {key!r}")
    return value


def text(data: Mapping[str, Any], key: str, *, where: str) -> str:
    """A required non-empty string."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{where}: {key!r} must be a non-empty string")
    return value


def integer(data: Mapping[str, Any], key: str, *, where: str) -> int:
    """A required integer (booleans are not integers here)."""
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ParameterError(f"{where}: {key!r} must be an integer, got {value!r}")
    return value


def _sourced_raw(data: Mapping[str, Any], key: str, *, where: str) -> tuple[object, str]:
    entry = table(data, key, where=where)
    if "value" not in entry:
        raise ParameterError(f"{where}.{key}: missing value")
    return entry["value"], text(entry, "source", where=f"{where}.{key}")


def sourced_int(data: Mapping[str, Any], key: str, *, where: str) -> Sourced[int]:
    """A ``{ value = <int>, source = "..." }`` entry."""
    value, source = _sourced_raw(data, key, where=where)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ParameterError(f"{where}.{key}: value must be a non-negative integer")
    return Sourced(value, source)


def sourced_bool(data: Mapping[str, Any], key: str, *, where: str) -> Sourced[bool]:
    """A ``{ value = <bool>, source = "..." }`` entry."""
    value, source = _sourced_raw(data, key, where=where)
    if not isinstance(value, bool):
        raise ParameterError(f"{where}.{key}: value must be true or false")
    return Sourced(value, source)


def sourced_strings(data: Mapping[str, Any], key: str, *, where: str) -> Sourced[tuple[str, ...]]:
    """A ``{ value = [<str>, ...], source = "..." }`` entry."""
    value, source = _sourced_raw(data, key, where=where)
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        raise ParameterError(f"{where}.{key}: value must be a list of strings")
    return Sourced(tuple(str(v) for v in value), source)


def sourced_date(data: Mapping[str, Any], key: str, *, where: str) -> Sourced[date]:
    """A ``{ value = <date>, source = "..." }`` entry."""
    value, source = _sourced_raw(data, key, where=where)
    return Sourced(_parse_date(value, where=f"{where}.{key}"), source)


def sourced_labels(data: Mapping[str, Any], key: str, *, where: str) -> Sourced[dict[str, str]]:
    """A ``{ value = { code = "Swedish label", ... }, source = "..." }`` entry."""
    value, source = _sourced_raw(data, key, where=where)
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise ParameterError(f"{where}.{key}: value must be a table of code = label")
    return Sourced(dict(value), source)
