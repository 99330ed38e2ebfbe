"""Ids in addresses: the one definition of "a number that can be a row's id"."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

# The largest id the database holds (BigAutoField); a larger one in an address is no row.
MAX_ID = 2**63 - 1


def valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


# Ids per IN list: well under SQLite's (32,766) and PostgreSQL's (65,535) parameter limits.
ID_CHUNK = 5000


def chunks(ids: Sequence[int], size: int = ID_CHUNK) -> Iterator[Sequence[int]]:
    """``ids`` in slices for ``field__in=`` lists, so a query never exceeds a parameter limit."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
