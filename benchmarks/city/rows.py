"""Writing the planned casework, referrals, attendance, signals, decisions and notifications."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from benchmarks.city.data import LAW_APPLIES_FROM, Placement, Staff, at, cols, monday, month_start
from benchmarks.city.state import State


class Rows(State):
    # -- writing the casework ----------------------------------------------------------------

    def write_casework(self, staff: Staff) -> None:
        from heltid.casework.models import (
            Assessment,
            CaseAssignment,
            Exit,
            ExitFollowUp,
            FollowUp,
            Plan,
            PlanActivity,
            PlanVersion,
            StepChange,
        )
        from heltid.catalog.models import CapacityChange

        w = self.writer
        CapacityChange.objects.bulk_create(
            [
                CapacityChange(intervention_id=item.id, valid_from=when, places=places, reason=why)
                for item in self.items
                for when, places, why in (
                    (self.go_live - timedelta(days=200), max(1, round(item.places * 0.8)), "Start"),
                    (self.day - timedelta(days=200), item.places, "Utökning"),
                )
            ]
        )
        w.counts["CapacityChange"] += 2 * len(self.items)
        w.write(
            Assessment,
            cols(
                "person_id assessed_on swedish_level health work_experience_years "
                "activity_capacity_hours work_experience education housing family_situation "
                "childcare labour_market_distance requested_step_id cv_experience cv_skills "
                "cv_languages driving_licence note assessed_by_id created_at"
            ),
            self.assessments,
        )
        w.write(
            Plan,
            cols(
                "id person_id status goal exit_target version signed_on signed_version created_on "
                "created_by_id updated_at"
            ),
            self.plans,
        )
        w.write(
            PlanActivity,
            cols(
                "id plan_id kind intervention_id title hours_per_week status agreed start_on "
                "end_on note added_by_id added_at"
            ),
            self.activities,
        )
        w.write(
            PlanVersion,
            ["plan_id", "number", "created_at", "created_by_id", "reason", "snapshot"],
            self.versions,
        )
        w.write(
            FollowUp,
            cols(
                "person_id held_on mode with_others notes next_on plan_id created_by_id created_at"
            ),
            self.follow_ups,
        )
        w.write(
            CaseAssignment,
            ["person_id", "case_manager_id", "assigned_at", "assigned_by_id", "reason"],
            (
                (
                    r.id,
                    r.case_manager,
                    at(r.activation or max(r.support_from, self.go_live), 9),
                    staff.leads[r.unit][r.index % len(staff.leads[r.unit])],
                    "Ny i målgruppen",
                )
                for r in self.residents
                if r.case_manager
            ),
        )
        w.write(
            StepChange,
            ["person_id", "step_id", "changed_on", "reason", "created_by_id", "created_at"],
            self._step_changes(),
        )
        first_exit = w.reserve(Exit, len(self.exits))
        w.write(
            Exit,
            ["id", "person_id", "exit_on", "reason", "note", "created_by_id", "created_at"],
            (
                (first_exit + n, r.id, day, reason, "", manager, at(day, 15))
                for n, (r, day, reason, manager) in enumerate(self.exits)
            ),
        )
        w.write(
            ExitFollowUp,
            ["exit_id", "months", "due_on", "done_on", "outcome", "note"],
            self._exit_follow_ups(first_exit),
        )

    def _step_changes(self) -> Iterator[tuple[Any, ...]]:
        last: dict[int, int] = {}
        for p in self.placements:
            if p.started is None or last.get(p.person.id) == p.item.step:
                continue
            reason = "Placering vid start" if p.person.id not in last else "Ny insats på annat steg"
            last[p.person.id] = p.item.step
            manager = p.person.case_manager
            yield (
                p.person.id,
                self.step_ids[p.item.step],
                p.started,
                reason,
                manager,
                at(p.started, 9),
            )

    def _exit_follow_ups(self, first_exit: int) -> Iterator[tuple[Any, ...]]:
        for n, (_r, day, _reason, _manager) in enumerate(self.exits):
            for months in (3, 6, 12):
                due = month_start(day, -months) + timedelta(days=day.day - 1)
                done = due + timedelta(days=self.rng.randint(0, 14))
                if done < self.day and self.rng.random() < 0.85:
                    outcome = self.rng.choices(
                        ("self_sufficient", "back_on_support", "other", "not_reached"),
                        (55, 20, 10, 15),
                    )[0]
                    yield (first_exit + n, months, due, done, outcome, "")
                else:
                    yield (first_exit + n, months, due, None, "", "")

    # -- referrals, attendance, signals, decisions, notifications ----------------------------

    def write_referrals(self, staff: Staff) -> None:
        from heltid.referrals.models import DeclineReason, Referral, ReferralEvent

        reasons = list(
            DeclineReason.objects.order_by("sort_order", "pk").values_list("pk", flat=True)
        )
        w = self.writer
        w.write(
            Referral,
            cols(
                "id person_id intervention_id plan_activity_id status slot priority note "
                "decline_reason_id created_at created_by_id sent_at waiting_since offered_at "
                "place_from accepted_at started_on ended_at updated_at"
            ),
            (self._referral_row(p, reasons) for p in self.placements),
        )
        w.write(
            ReferralEvent,
            ["referral_id", "from_status", "to_status", "at", "by_id", "note"],
            (event for p in self.placements for event in self._events(p)),
        )

    def _referral_row(self, p: Placement, reasons: list[int]) -> tuple[Any, ...]:
        holds = p.accepted or p.offered
        ended = at(p.ended, 15) if p.ended else None
        return (
            p.id,
            p.person.id,
            p.item.id,
            p.activity_id,
            p.status,
            p.slot,
            p.priority,
            "",
            reasons[p.id % len(reasons)] if p.declined else None,
            at(p.created, 10),
            p.person.case_manager,
            at(p.created, 10),
            at(p.waiting_since, 12) if p.waiting_since else None,
            at(p.offered, 12) if p.offered else None,
            at(holds, 12) if holds else None,
            at(p.accepted, 13) if p.accepted else None,
            p.started,
            ended,
            ended or at(p.started or p.created, 13),
        )

    def _events(self, p: Placement) -> Iterator[tuple[Any, ...]]:
        manager, provider = p.person.case_manager, p.item.provider_user
        yield (p.id, "", "proposed", at(p.created, 10), manager, "")
        yield (p.id, "proposed", "sent", at(p.created, 10, 1), manager, "")
        status = "sent"
        steps = (
            ("waiting", p.waiting_since, 12, provider),
            ("offered", p.offered, 12, provider),
            ("accepted", p.accepted, 13, provider),
            ("started", p.started, 9, provider),
        )
        for to, day, hour, by in steps:
            if day is not None:
                yield (p.id, status, to, at(day, hour), by, "")
                status = to
        if p.status in ("declined", "withdrawn", "completed") and p.ended:
            by = manager if p.status == "withdrawn" else provider
            yield (p.id, status, p.status, at(p.ended, 15), by, "")

    def write_attendance(self, staff: Staff) -> None:
        """Attendance by weekday, streamed; collects the unexcused weeks for the signals."""
        from heltid.referrals.models import Attendance

        self.unexcused: list[tuple[Placement, list[date]]] = []
        self.writer.write(
            Attendance,
            ["referral_id", "day", "status", "hours", "recorded_by_id", "recorded_at"],
            (row for p in self.placements if p.started for row in self._attendance(p)),
        )

    def _attendance(self, p: Placement) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        assert p.started is not None
        last = min(p.ended or self.day, self.last_reported)
        roll = rng.random()
        unexcused = 0.002 if roll < 0.8 else 0.02 if roll < 0.97 else 0.12
        hours = (min(p.item.hours, Decimal(30)) / 5).quantize(Decimal("0.1"))
        week: list[date] = []
        day = p.started
        saved = at(monday(day) + timedelta(days=4), 15, 30)
        while day <= last:
            if day.weekday() < 5:
                r = rng.random()
                status = (
                    "unexcused"
                    if r < unexcused
                    else "sick"
                    if r < unexcused + 0.05
                    else "excused"
                    if r < unexcused + 0.08
                    else "other_activity"
                    if r < unexcused + 0.10
                    else "present"
                )
                if status == "unexcused":
                    week.append(day)
                yield (p.id, day, status, hours, p.item.provider_user, saved)
            if day.weekday() == 6 or day == last:
                if week:
                    self.unexcused.append((p, week))
                    week = []
                saved = at(monday(day) + timedelta(days=11), 15, 30)
            day += timedelta(days=1)

    def write_signals(self, staff: Staff) -> None:
        from heltid.referrals.models import AfNotification, Decision, Signal

        w = self.writer
        refusals = [p for p in self.placements if p.refused and p.ended]
        first = w.reserve(Signal, len(self.unexcused) + len(refusals))
        signals = []
        decisions = []
        for n, (p, days) in enumerate(self.unexcused):
            raised = at(monday(days[-1]) + timedelta(days=4), 15, 31)
            text = (
                f"{len(days)} dagar ogiltig frånvaro från {p.item.name} mellan "
                f"{days[0].isoformat()} och {days[-1].isoformat()}."
            )
            signals.append(
                [first + n, p, "unexcused_absence", text, raised, days[0], days[-1], None]
            )
        for n, p in enumerate(refusals, start=len(self.unexcused)):
            assert p.ended is not None
            text = f"Tackade nej till insatsen {p.item.name}."
            signals.append([first + n, p, "refusal", text, at(p.ended, 14), None, None, None])
        for signal in signals:
            decision = self._decision(signal, staff)
            if decision:
                decisions.append(decision)
                signal[7] = at(decision[4], 14)
        w.write(
            Signal,
            [
                "id",
                "person_id",
                "kind",
                "referral_id",
                "text",
                "raised_at",
                "period_start",
                "period_end",
                "closed_at",
            ],
            ((s[0], s[1].person.id, s[2], s[1].id, s[3], s[4], s[5], s[6], s[7]) for s in signals),
        )
        w.write(
            Decision,
            [
                "person_id",
                "signal_id",
                "outcome",
                "finding",
                "decided_on",
                "reason",
                "acceptable_reason",
                "child_impact",
                "amount",
                "decided_by_id",
                "created_at",
            ],
            decisions,
        )
        w.write(
            AfNotification,
            [
                "person_id",
                "kind",
                "text",
                "created_at",
                "created_by_id",
                "sent_at",
                "batch",
                "covered_from",
            ],
            self._notifications(signals, decisions),
        )

    def _decision(self, signal: list[Any], staff: Staff) -> tuple[Any, ...] | None:
        rng = self.rng
        raised: datetime = signal[4]
        p: Placement = signal[1]
        recent = raised.date() > self.day - timedelta(days=10)
        if recent and rng.random() >= 0.4:
            return None
        decided = raised.date() + timedelta(days=rng.randint(1, 10))
        if decided >= self.day:
            decided = self.day - timedelta(days=1)
            if decided <= raised.date():
                return None
        finding = rng.choices(
            ("acceptable_reason", "did_not_decline", "no_acceptable_reason"), (55, 15, 30)
        )[0]
        outcome = "no_action"
        if finding == "no_acceptable_reason":
            outcome = "reduction" if rng.random() < 0.8 else "refusal"
        children = bool(p.person.children)
        impact = ""
        if outcome != "no_action":
            impact = (
                "Barnen i hushållet berörs; nedsättningen begränsas."
                if children
                else ("Inga barn i hushållet berörs.")
            )
        elif children:
            impact = "Beslutet påverkar inte barnen i hushållet."
        return (
            p.person.id,
            signal[0],
            outcome,
            finding,
            decided,
            "Bedömning efter signal från insatsen.",
            "Den enskilde har hörts om frånvaron.",
            impact,
            50 * rng.randint(6, 50) if outcome == "reduction" else None,
            staff.officers[p.person.unit][signal[0] % len(staff.officers[p.person.unit])],
            at(decided, 14),
        )

    def _sent(self, created: datetime) -> tuple[datetime | None, str]:
        """Exported every Monday morning: the export after ``created``, if before the day."""
        export = monday(created.date()) + timedelta(days=7)
        if export >= self.day:
            return None, ""
        year, week, _ = export.isocalendar()
        return at(export, 8), f"{year}-W{week:02d}"

    def _notifications(
        self, signals: list[list[Any]], decisions: list[tuple[Any, ...]]
    ) -> Iterator[tuple[Any, ...]]:
        for p in self.placements:
            if p.started:
                created = at(p.started, 9, 5)
                yield (
                    p.person.id,
                    "started",
                    f"Började {p.item.name}.",
                    created,
                    p.item.provider_user,
                    *self._sent(created),
                    None,
                )
            if p.started and p.ended and p.status in ("completed", "withdrawn"):
                created = at(p.ended, 15, 5)
                yield (
                    p.person.id,
                    "ended",
                    f"Avslutade {p.item.name}.",
                    created,
                    p.person.case_manager,
                    *self._sent(created),
                    None,
                )
        for s in signals:
            if s[2] == "unexcused_absence":
                yield (
                    s[1].person.id,
                    "absence",
                    s[3],
                    s[4],
                    s[1].item.provider_user,
                    *self._sent(s[4]),
                    None,
                )
        for d in decisions:
            created = d[10]
            yield (
                d[0],
                "decision",
                "Beslut om försörjningsstöd efter signal.",
                created,
                d[9],
                *self._sent(created),
                None,
            )
        for r in self.residents:
            if r.activation and LAW_APPLIES_FROM <= r.activation < self.day:
                created = at(r.activation, 8)
                yield (
                    r.id,
                    "may_be_covered",
                    "Kan omfattas av aktivitetskravet.",
                    created,
                    None,
                    *self._sent(created),
                    r.activation,
                )
