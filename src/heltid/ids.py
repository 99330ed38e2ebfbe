"""Ids in addresses: the one definition of "a number that can be a row's id"."""

from __future__ import annotations

# The largest id the database holds (BigAutoField); a larger one in an address is no row.
MAX_ID = 2**63 - 1


def valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID
