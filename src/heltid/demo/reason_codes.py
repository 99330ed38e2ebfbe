"""The demo's reason codes, shared by the recipients and the staircase history."""

from __future__ import annotations

from collections.abc import Sequence

from heltid.registry.models import ReasonCode
from heltid.rules import default_reason_codes


def reason_codes_by_label(labels: Sequence[str]) -> dict[str, ReasonCode]:
    """The reason codes by label; any the municipality removed are created again."""
    groups = dict(default_reason_codes())
    found = {r.label: r for r in ReasonCode.objects.filter(label__in=labels)}
    for label in labels:
        if label not in found:
            found[label] = ReasonCode.objects.create(label=label, group=groups[label].value)
    return found
