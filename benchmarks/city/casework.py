"""Each activated person's casework and chain of referrals, planned in Python."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from benchmarks.city.data import EXIT_REASONS, QUEUE_STEP, Placement, Resident, Staff, at
from benchmarks.city.state import State


class Casework(State):
    # -- casework and referrals --------------------------------------------------------------

    def casework(self, staff: Staff) -> None:
        from heltid.casework.models import Plan, PlanActivity
        from heltid.referrals.models import Referral

        active = [r for r in self.residents if r.activation and r.activation < self.day]
        self.plan_ids: dict[int, int] = {}
        first_plan = self.writer.reserve(Plan, len(active))
        self.next_activity = self.writer.reserve(PlanActivity, len(active) * 14)
        self.next_referral = self.writer.reserve(Referral, len(active) * 10)
        self.activities: list[tuple[Any, ...]] = []
        self.plans: list[tuple[Any, ...]] = []
        self.versions: list[tuple[Any, ...]] = []
        self.assessments: list[tuple[Any, ...]] = []
        self.follow_ups: list[tuple[Any, ...]] = []
        self.exits: list[tuple[Any, ...]] = []
        for n, r in enumerate(active):
            self._person_casework(r, first_plan + n, staff)
        self._capacity()

    def _person_casework(self, r: Resident, plan_id: int, staff: Staff) -> None:
        rng = self.rng
        end = r.left_on or self.day
        manager = r.case_manager or rng.choice(staff.case_managers[r.unit])
        assert r.activation is not None
        assessed = r.activation + timedelta(days=rng.randint(1, 14))
        step = rng.choices((0, 1, 2, 3), (30, 40, 20, 10))[0]
        if assessed >= end:
            return  # newly covered: nothing done yet
        for day in (assessed, assessed + timedelta(days=365)):
            if day < end:
                self.assessments.append(self._assessment(r, day, step, manager))
        planned = min(assessed + timedelta(days=rng.randint(0, 7)), end - timedelta(days=1))
        planned = max(planned, assessed)
        self.plan_ids[r.id] = plan_id
        placements = self._chain(r, plan_id, planned, end, step, manager)
        activities = self._plan_activities(r, plan_id, planned, placements, manager)
        exit_target = rng.choices(("work", "studies", "other_support"), (70, 15, 15))[0]
        goal = {
            "work": "Arbete inom vård, lager eller handel",
            "studies": "Studier inom vuxenutbildningen",
            "other_support": "Utredning av arbetsförmåga",
        }[exit_target]
        signed = rng.random() < 0.8
        self.plans.append(
            (
                plan_id,
                r.id,
                "active" if r.left_on is None else "closed",
                goal,
                exit_target,
                len(placements) + 1,
                planned if signed else None,
                1 if signed else None,
                planned,
                manager,
                at(max(planned, end - timedelta(days=1)), 16),
            )
        )
        self._versions(plan_id, goal, exit_target, planned, placements, activities, manager)
        self._follow_ups(r, plan_id, planned, end, manager)
        if r.left_on is not None:
            self._exit(r, manager)

    def _assessment(self, r: Resident, day: date, step: int, manager: int) -> tuple[Any, ...]:
        rng = self.rng
        requested = self.step_ids[min(step + 1, len(self.step_ids) - 1)]
        return (
            r.id,
            day,
            rng.choice(("none", "moderate", "large")),
            rng.choices(("none", "physical", "mental", "both"), (50, 20, 20, 10))[0],
            rng.randint(0, 15),
            Decimal(rng.choice((10, 20, 25, 30, 40))),
            "",
            rng.choice(("none", "compulsory", "upper_secondary", "post_secondary", "unknown")),
            rng.choice(("own_contract", "sublet", "with_relatives", "shelter")),
            "",
            "arranged" if r.children else "not_applicable",
            rng.randint(1, 5),
            requested,
            "",
            "",
            "svenska, arabiska" if rng.random() < 0.3 else "svenska",
            rng.random() < 0.3,
            "",
            manager,
            at(day, 10),
        )

    def _chain(
        self, r: Resident, plan_id: int, planned: date, end: date, step: int, manager: int
    ) -> list[Placement]:
        """The person's placements, one after another, from the plan to the end."""
        rng = self.rng
        t = planned + timedelta(days=rng.randint(3, 21))
        made: list[Placement] = []
        while t < end and len(made) < 10:
            items = self.by_step[step] or self.items
            item = rng.choices(items, [i.weight for i in items])[0]
            p = Placement(
                id=self.next_referral,
                person=r,
                item=item,
                activity_id=self.next_activity,
                plan_id=plan_id,
                created=t,
                response=t + timedelta(days=rng.randint(1, 7)),
            )
            self.next_referral += 1
            self.next_activity += 1
            p.priority = max(0, (t - (r.activation or t)).days // 30) + (
                5 if r.programme == "none" else 0
            )
            self._timeline(p, end)
            made.append(p)
            self.placements.append(p)
            if p.ended is None or p.ended >= end:
                break
            if not p.declined and not p.withdrawn and rng.random() < 0.4:
                step = min(step + 1, len(self.step_ids) - 1)
            elif rng.random() < 0.1:
                step = max(step - 1, 0)
            t = p.ended + timedelta(days=rng.randint(0, 21))
        return made

    def _timeline(self, p: Placement, end: date) -> None:
        """The referral's dates, then its status on the day (or withdrawn at the exit)."""
        rng = self.rng
        queue = p.item.step_code == QUEUE_STEP
        roll = rng.random()
        if roll < 0.10:
            p.declined = True
            p.ended = p.response
        else:
            start_from = p.response
            if roll < (0.65 if queue else 0.35):
                p.waiting_since = p.response
                p.offered = p.response + timedelta(
                    days=rng.randint(60, 180) if queue else rng.randint(14, 90)
                )
                start_from = p.offered + timedelta(days=rng.randint(1, 5))
            p.accepted = start_from
            p.started = start_from + timedelta(days=rng.randint(3, 14))
            p.ended = p.started + timedelta(weeks=rng.randint(10, 36))
            if rng.random() < 0.08:
                p.withdrawn = True
                p.refused = rng.random() < 0.4
                p.ended = p.started + timedelta(days=rng.randint(7, 60))
        self._status_on(p, end)

    def _status_on(self, p: Placement, end: date) -> None:
        """Cut the timeline at ``end``: the day (open statuses) or the exit (withdrawn)."""
        assert p.ended is not None
        if p.ended < end:
            p.status = "declined" if p.declined else "withdrawn" if p.withdrawn else "completed"
            return
        stages = (
            ("sent", p.created),
            ("waiting", p.waiting_since),
            ("offered", p.offered),
            ("accepted", p.accepted),
            ("started", p.started),
        )
        status = "sent"
        for name, since in stages:
            if since is not None and since < end:
                status = name
        p.declined = p.refused = False
        if p.person.left_on is not None:  # left support: the referral ends with the exit
            p.status, p.withdrawn, p.ended = "withdrawn", True, end
            p.started = p.started if p.started and p.started < end else None
            p.accepted = p.accepted if p.accepted and p.accepted < end else None
            p.offered = p.offered if p.offered and p.offered < end else None
            p.waiting_since = p.waiting_since if p.waiting_since and p.waiting_since < end else None
            return
        p.status, p.ended = status, None
        for name in ("waiting_since", "offered", "accepted", "started"):
            if getattr(p, name) is not None and getattr(p, name) >= end:
                setattr(p, name, None)

    def _plan_activities(
        self, r: Resident, plan_id: int, planned: date, placements: list[Placement], manager: int
    ) -> list[SimpleNamespace]:
        status_of = {
            "sent": "planned",
            "waiting": "planned",
            "offered": "planned",
            "accepted": "planned",
            "started": "ongoing",
            "completed": "completed",
            "declined": "cancelled",
            "withdrawn": "cancelled",
        }
        made = []
        for p in placements:
            hours = min(p.item.hours, Decimal(30))
            made.append(
                SimpleNamespace(
                    pk=p.activity_id,
                    kind="intervention",
                    intervention_id=p.item.id,
                    title=p.item.name,
                    hours_per_week=hours,
                    status=status_of[p.status],
                    agreed=True,
                    start_on=p.started,
                    end_on=p.ended if p.started else None,
                    note="",
                    added=p.created,
                )
            )
        made.append(
            SimpleNamespace(
                pk=self.next_activity,
                kind="job_search",
                intervention_id=None,
                title="Eget jobbsökande",
                hours_per_week=Decimal(self.rng.choice((3, 5, 8))),
                status="planned" if r.left_on is None else "completed",
                agreed=True,
                start_on=None,
                end_on=None,
                note="",
                added=planned,
            )
        )
        self.next_activity += 1
        for a in made:
            self.activities.append(
                (
                    a.pk,
                    plan_id,
                    a.kind,
                    a.intervention_id,
                    a.title,
                    a.hours_per_week,
                    a.status,
                    a.agreed,
                    a.start_on,
                    a.end_on,
                    a.note,
                    manager,
                    at(a.added, 11),
                )
            )
        return made

    def _versions(
        self,
        plan_id: int,
        goal: str,
        exit_target: str,
        planned: date,
        placements: list[Placement],
        activities: list[SimpleNamespace],
        manager: int,
    ) -> None:
        from heltid.casework.versions import snapshot

        plan = SimpleNamespace(goal=goal, exit_target=exit_target, signed_on=None)
        own = activities[-1:]  # the job search, from the start
        for number in range(1, len(placements) + 2):
            shown = own + activities[: number - 1]
            when = planned if number == 1 else placements[number - 2].created
            reason = "Plan upprättad" if number == 1 else "Anvisning till insats"
            self.versions.append(
                (
                    plan_id,
                    number,
                    at(when, 11, 30),
                    manager,
                    reason,
                    json.dumps(snapshot(plan, shown)),
                )
            )

    def _follow_ups(
        self, r: Resident, plan_id: int, planned: date, end: date, manager: int
    ) -> None:
        rng = self.rng
        stop = end
        if r.left_on is None and rng.random() < 0.15:
            stop = self.day - timedelta(days=rng.randint(31, 60))  # overdue
        held = planned + timedelta(days=rng.randint(14, 30))
        while held < stop:
            self.follow_ups.append(
                (
                    r.id,
                    held,
                    rng.choice(("visit", "phone", "video", "joint")),
                    "provider" if rng.random() < 0.2 else "",
                    "Uppföljning av planen: närvaro och nästa steg.",
                    held + timedelta(days=28),
                    plan_id,
                    manager,
                    at(held, 14),
                )
            )
            held += timedelta(days=rng.randint(21, 30))

    def _exit(self, r: Resident, manager: int) -> None:
        assert r.left_on is not None
        reason = self.rng.choices([c for c, _ in EXIT_REASONS], [w for _, w in EXIT_REASONS])[0]
        self.exits.append((r, r.left_on, reason, manager))

    def _capacity(self) -> None:
        """Places on the day: the holders, plus 0–25 % free where no one waits; slots."""
        holders: dict[int, list[Placement]] = defaultdict(list)
        waiting: Counter[int] = Counter()
        for p in self.placements:
            if p.status in ("offered", "accepted", "started"):
                holders[p.item.id].append(p)
            elif p.status == "waiting":
                waiting[p.item.id] += 1
        for item in self.items:
            held = holders[item.id]
            for slot, p in enumerate(
                sorted(held, key=lambda q: (q.accepted or q.offered or q.created, q.id)), 1
            ):
                p.slot = slot
            if waiting[item.id]:
                item.places = len(held)  # full: people wait
            else:
                item.places = max(len(held) + math.ceil(len(held) * self.rng.random() * 0.25), 2)
