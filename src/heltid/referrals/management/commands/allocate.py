"""heltid allocate [--apply] [--on YYYY-MM-DD] [--json]: the batch allocation of every waiting
list in the municipality (heltid.referrals.services.allocation).

``--json`` prints ``{"proposal": [{"referral", "person", "intervention", "priority"}],
"total_priority", "greedy_total_priority", "unassigned"}`` (``unassigned``: the ids of the
persons left waiting); with ``--apply`` also ``"applied"`` (each row with the referral now
``offered`` its place) and ``"skipped"`` (each row with its ``reason``: not_waiting, full,
not_active or already_referred). Exit status 0; 1 when ``--apply`` had to skip a row."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.referrals.services.allocation import (
    Applied,
    Proposal,
    allocation_apply,
    allocation_proposal,
)

PAGE = "cli:allocate"
SKIP_TEXTS = {
    "not_waiting": "står inte längre i kö",
    "full": "platsen hann tas",
    "not_active": "insatsen är inte längre aktiv",
    "already_referred": "personen har redan en anvisning dit",
}


class Command(BaseCommand):
    help = (
        "Propose (and with --apply offer) the free places to the waiting lists: the highest "
        "total priority, next to a greedy first-come allocation's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="offer the proposed places")
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        proposal = allocation_proposal(today=on)
        log_access(
            user=None,
            action=Action.VIEW,
            page=PAGE,
            actor="cli",
            detail={"list": "allocation", "shown": sorted(r.person for r in proposal.rows)},
        )
        applied = (
            allocation_apply(proposal=proposal, acting_user=None, today=on, page=PAGE)
            if options["apply"]
            else None
        )
        if options["json"]:
            data = proposal.as_json() | (applied.as_json() if applied else {})
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(proposal, applied))
        if applied is not None and applied.skipped:
            raise SystemExit(1)


def _table(proposal: Proposal, applied: Applied | None) -> str:
    columns = ("Anvisning", "Person", "Insats", "Prioritet")
    rows = [
        (str(r.referral), str(r.person), str(r.intervention), str(r.priority))
        for r in proposal.rows
    ]
    widths = [max([len(title), *(len(row[k]) for row in rows)]) for k, title in enumerate(columns)]
    header = "  ".join(title.rjust(widths[k]) for k, title in enumerate(columns))
    lines = [f"Fördelning av lediga platser per {proposal.on.isoformat()}", header]
    lines.append("-" * len(header))
    lines += ["  ".join(cell.rjust(widths[k]) for k, cell in enumerate(row)) for row in rows]
    if not rows:
        lines.append("Inga platser att fördela.")
    lines += [
        f"Total prioritet: {proposal.total_priority}",
        f"Total prioritet, först till kvarn: {proposal.greedy_total_priority}",
        f"Står kvar i kö: {len(proposal.unassigned)}",
    ]
    if applied is not None:
        lines.append(f"Erbjudna platser: {len(applied.offered)}")
        lines += [
            f"Hoppade över anvisning {s.row.referral}: {SKIP_TEXTS[s.reason]}"
            for s in applied.skipped
        ]
    return "\n".join(lines)
