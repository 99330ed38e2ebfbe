"""Signals of the registry.

``persons_written`` is sent by a bulk write that bypasses the models' own signals (the
recipient import), inside its transaction, with ``person_ids``: the persons it created or
changed. Whatever keeps derived data about persons (the stored worklist, decision 0023)
listens to it, so the registry need not know who that is."""

from __future__ import annotations

from django.dispatch import Signal

persons_written = Signal()
