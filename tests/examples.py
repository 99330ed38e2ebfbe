"""Hypothesis examples on the database: each example gets a clean state.

A function-scoped fixture (the standing users, a catalogue) is made once per test, not per
example; rows an example writes would otherwise be seen by the next one. Run each example's
body inside ``rolled_back()``: a savepoint that is always rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
