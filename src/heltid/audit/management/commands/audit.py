"""heltid audit verify | seal | person PERSONNUMMER: the access log from the command line.

- ``verify`` recomputes every lane's hash chain and the seals; exits non-zero and names the
  first broken entry of each lane when a row was altered or removed (decision 0021). It only
  reads, so it can run while the application writes. ``--workers 2`` verifies lanes in two
  processes (PostgreSQL).
- ``seal`` records every lane's head in the chain of seals (run it every few minutes, e.g. from
  cron or the task queue); it prints the seal's hash, worth keeping outside the database.
- ``person`` lists every entry naming a person, newest first; the look-up is itself logged.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.audit.models import Action
from heltid.audit.selectors import entries_naming, person_by_number
from heltid.audit.services import log_access, seal, verify_chain


class Command(BaseCommand):
    help = "Work with the access log: verify, seal, or list the entries naming a person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "person"])
        parser.add_argument("personnummer", nargs="?", default="")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "seal":
            self._seal(as_json=options["json"])
        elif action == "person":
            self._person(options["personnummer"], limit=options["limit"], as_json=options["json"])
        else:
            self._verify(workers=options["workers"], as_json=options["json"])

    def _verify(self, *, workers: int, as_json: bool) -> None:
        result = verify_chain(workers=max(1, workers))
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": result.ok,
                        "entries": result.checked,
                        "seals": result.seals,
                        "lanes": result.lanes,
                        "breaks": [
                            {
                                "lane": b.lane,
                                "number": b.number,
                                "entry_id": b.entry_id,
                                "problem": b.problem,
                            }
                            for b in result.breaks
                        ],
                    }
                )
            )
        elif result.ok:
            self.stdout.write(
                f"OK: {result.checked} poster i {result.lanes} kedjor och {result.seals} "
                "sigill, loggen är hel."
            )
        else:
            for found in result.breaks:
                self.stderr.write(f"BRUTEN: {found.describe()}")
            self.stderr.write(f"{result.checked} poster före brotten stämmer.")
        if not result.ok:
            raise SystemExit(1)

    def _seal(self, *, as_json: bool) -> None:
        made = seal()
        if as_json:
            self.stdout.write(
                json.dumps(
                    None
                    if made is None
                    else {"seal": made.number, "at": made.at.isoformat(), "hash": made.hash}
                )
            )
        elif made is None:
            self.stdout.write("Inget nytt i loggen sedan förra sigillet.")
        else:
            self.stdout.write(f"Sigill #{made.number} {made.at.isoformat()} {made.hash}")

    def _person(self, personnummer: str, *, limit: int, as_json: bool) -> None:
        person_id = person_by_number(personnummer) if personnummer else None
        if person_id is None:
            raise CommandError("Ange personnummer för en person i registret.")
        entries = list(entries_naming(person_id).select_related("user")[: max(1, limit)])
        log_access(
            user=None,
            actor="cli",
            action=Action.SEARCH,
            person_id=person_id,
            page="cli:audit person",
            detail={"access_log": True},
        )
        rows = [
            {
                "id": e.pk,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": getattr(e, "named_action", e.action),
                "page": e.page,
                "detail": getattr(e, "named_detail", e.detail),
                "persons": e.persons or 1,
            }
            for e in entries
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            detail = json.dumps(row["detail"], ensure_ascii=False, sort_keys=True)
            self.stdout.write(
                f"#{row['id']} {row['at']} {row['actor']} {row['action']} {row['page']} {detail}"
            )
