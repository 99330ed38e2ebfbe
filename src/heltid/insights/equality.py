"""The gender-equality analysis (jämställdhetsanalys): the seeds' cross-tables for the target
group and outcomes by sex.

The target group is taken on the period's last day with the same rules as the person page
(`heltid.rules.explain`); each person's characteristics come from the latest assessment made on
or before that day. Outcomes: on the last day, whether the person has an active plan and an
ongoing plan activity; in the period, exits by whether they were to work or studies (everyone
with an exit in the period, since a person who left is no longer in the target group).

A fixed number of queries, however many persons. Counts are raw here; pages suppress them with
:func:`heltid.insights.privacy.suppress_table`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from heltid.casework.models import (
    ActivityStatus,
    Assessment,
    Exit,
    Health,
    Plan,
    PlanActivity,
    PlanStatus,
    StepChange,
    SwedishLevel,
)
from heltid.casework.models.progression import WORK_OR_STUDIES
from heltid.insights.filters import AGE_GROUPS, InsightFilter, age_group
from heltid.insights.privacy import SuppressedTable, suppress_table
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Person, Sex, SupportPeriod
from heltid.rules import explain
from heltid.rules.dates import age_on

NOT_ASSESSED = "not_assessed"
# Years of work experience, grouped as in the seeds' analysis.
EXPERIENCE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1-2", 1, 2),
    ("3-5", 3, 5),
    ("6-", 6, None),
)
# Outcome columns: a partition of the target group on the period's last day.
OUTCOME_ACTIVITY = "ongoing_activity"
OUTCOME_PLAN_ONLY = "plan_without_ongoing_activity"
OUTCOME_NO_PLAN = "no_plan"
EXIT_WORK_OR_STUDIES = "work_or_studies"
EXIT_OTHER = "other"


def experience_band(years: int) -> str:
    for code, low, high in EXPERIENCE_BANDS:
        if years >= low and (high is None or years <= high):
            return code
    return EXPERIENCE_BANDS[0][0]


@dataclass(frozen=True)
class Member:
    """One person in the target group, as the tables see them."""

    sex: str
    age_group: str
    swedish_level: str
    health: str
    experience: str
    outcome: str


@dataclass(frozen=True)
class CrossTable:
    key: str
    caption: Promise | str
    row_heading: Promise | str
    col_heading: Promise | str
    rows: tuple[tuple[str, Promise | str], ...]  # (code, label)
    cols: tuple[tuple[str, Promise | str], ...]
    counts: dict[str, dict[str, int]]

    def suppressed(self) -> SuppressedTable[str, str]:
        return suppress_table(self.counts, cols=[code for code, _label in self.cols])


@dataclass
class EqualityAnalysis:
    filter: InsightFilter
    members: list[Member] = field(default_factory=list)
    exits: dict[str, dict[str, int]] = field(default_factory=dict)
    tables: list[CrossTable] = field(default_factory=list)

    def table(self, key: str) -> CrossTable:
        return next(t for t in self.tables if t.key == key)


SEXES: tuple[tuple[str, Promise | str], ...] = tuple((s.value, s.label) for s in Sex)
AGES: tuple[tuple[str, Promise | str], ...] = tuple((code, code) for code, _l, _h in AGE_GROUPS)
SWEDISH: tuple[tuple[str, Promise | str], ...] = (
    *((s.value, s.label) for s in SwedishLevel),
    (NOT_ASSESSED, _("Not assessed")),
)
HEALTH: tuple[tuple[str, Promise | str], ...] = (
    *((h.value, h.label) for h in Health),
    (NOT_ASSESSED, _("Not assessed")),
)
EXPERIENCE: tuple[tuple[str, Promise | str], ...] = (
    ("0", _("0 years")),
    ("1-2", _("1–2 years")),
    ("3-5", _("3–5 years")),
    ("6-", _("6 years or more")),
    (NOT_ASSESSED, _("Not assessed")),
)
OUTCOMES: tuple[tuple[str, Promise | str], ...] = (
    (OUTCOME_ACTIVITY, _("Plan with an ongoing activity")),
    (OUTCOME_PLAN_ONLY, _("Plan, no ongoing activity")),
    (OUTCOME_NO_PLAN, _("No active plan")),
)
EXIT_KINDS: tuple[tuple[str, Promise | str], ...] = (
    (EXIT_WORK_OR_STUDIES, _("To work or studies")),
    (EXIT_OTHER, _("Other reasons")),
)


def _persons(flt: InsightFilter) -> list[Person]:
    on = flt.end
    on_support = Q(support_periods__first_month__lte=on) & (
        Q(support_periods__last_month__isnull=True)
        | Q(support_periods__last_month__gte=on.replace(day=1))
    )
    persons = Person.objects.filter(on_support)
    if flt.unit:
        persons = persons.filter(unit__code=flt.unit)
    if flt.sex:
        persons = persons.filter(sex=flt.sex)
    active_plans = Plan.objects.filter(status=PlanStatus.ACTIVE, created_on__lte=on)
    ongoing = PlanActivity.objects.filter(status=ActivityStatus.ONGOING)
    return list(
        persons.distinct()
        .select_related("reason_code", "household")
        .prefetch_related(
            Prefetch("support_periods", queryset=SupportPeriod.objects.all()),
            "exemptions",
            "household__children",
            "facts",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(assessed_on__lte=on).order_by(
                    "-assessed_on", "-created_at", "-pk"
                ),
            ),
            Prefetch(
                "step_changes",
                queryset=StepChange.objects.filter(changed_on__lte=on)
                .select_related("step")
                .order_by("-changed_on", "-pk"),
            ),
            Prefetch("plans", queryset=active_plans),
            Prefetch("plans__activities", queryset=ongoing),
        )
    )


def _member(person: Person, on: date) -> Member:
    latest = next(iter(person.assessments.all()), None)
    plans = list(person.plans.all())
    if any(plan.activities.all() for plan in plans):
        outcome = OUTCOME_ACTIVITY
    elif plans:
        outcome = OUTCOME_PLAN_ONLY
    else:
        outcome = OUTCOME_NO_PLAN
    return Member(
        sex=person.sex,
        age_group=age_group(age_on(person.birth_date, on)),
        swedish_level=latest.swedish_level if latest else NOT_ASSESSED,
        health=latest.health if latest else NOT_ASSESSED,
        experience=experience_band(latest.work_experience_years) if latest else NOT_ASSESSED,
        outcome=outcome,
    )


def _exits(flt: InsightFilter) -> dict[str, dict[str, int]]:
    exits = Exit.objects.filter(exit_on__gte=flt.start, exit_on__lte=flt.end)
    if flt.unit:
        exits = exits.filter(person__unit__code=flt.unit)
    if flt.sex:
        exits = exits.filter(person__sex=flt.sex)
    counts: dict[str, dict[str, int]] = {code: {} for code, _label in SEXES}
    rows = exits.values("person__sex", "reason").annotate(n=Count("pk"))
    for row in rows:
        kind = EXIT_WORK_OR_STUDIES if row["reason"] in WORK_OR_STUDIES else EXIT_OTHER
        by_kind = counts.setdefault(row["person__sex"], {})
        by_kind[kind] = by_kind.get(kind, 0) + row["n"]
    return counts


def _cross(
    members: list[Member],
    rows: tuple[tuple[str, Promise | str], ...],
    cols: tuple[tuple[str, Promise | str], ...],
    row_of: str,
    col_of: str,
) -> dict[str, dict[str, int]]:
    counter: Counter[tuple[str, str]] = Counter(
        (getattr(m, row_of), getattr(m, col_of)) for m in members
    )
    return {r: {c: counter.get((r, c), 0) for c, _l in cols} for r, _label in rows}


def equality_analysis(flt: InsightFilter) -> EqualityAnalysis:
    """The cross-tables and outcomes for the target group on ``flt.end``, exits in the period."""
    on = flt.end
    analysis = EqualityAnalysis(filter=flt)
    for person in _persons(flt):
        result = explain(coverage_facts(person, on=on), on=on, policy=settings.HELTID_POLICY)
        if not result.target_group:
            continue
        if flt.step:
            current = next(iter(person.step_changes.all()), None)
            if current is None or current.step.code != flt.step:
                continue
        member = _member(person, on)
        if flt.age_group and member.age_group != flt.age_group:
            continue
        analysis.members.append(member)
    analysis.exits = _exits(flt)
    members = analysis.members
    by_sex: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        by_sex[m.sex].append(m)
    sex, age = _("Sex"), _("Age group")
    swedish, health = _("Swedish language"), _("Health")
    specs = (
        ("sex_age", _("Target group by sex and age group"), sex, age, SEXES, AGES),
        (
            "sex_swedish",
            _("Target group by sex and Swedish language"),
            sex,
            swedish,
            SEXES,
            SWEDISH,
        ),
        ("sex_health", _("Target group by sex and health"), sex, health, SEXES, HEALTH),
        (
            "sex_experience",
            _("Target group by sex and years of work experience"),
            sex,
            _("Work experience"),
            SEXES,
            EXPERIENCE,
        ),
        ("age_health", _("Target group by age group and health"), age, health, AGES, HEALTH),
        (
            "swedish_health",
            _("Target group by Swedish language and health"),
            swedish,
            health,
            SWEDISH,
            HEALTH,
        ),
        ("sex_outcome", _("Plans and activities by sex"), sex, _("Plan"), SEXES, OUTCOMES),
    )
    attribute = {
        "sex": "sex",
        "age": "age_group",
        "swedish": "swedish_level",
        "health": "health",
        "experience": "experience",
        "outcome": "outcome",
    }
    for key, caption, row_heading, col_heading, rows, cols in specs:
        row_attr, col_attr = (attribute[part] for part in key.split("_"))
        analysis.tables.append(
            CrossTable(
                key=key,
                caption=caption,
                row_heading=row_heading,
                col_heading=col_heading,
                rows=rows,
                cols=cols,
                counts=_cross(members, rows, cols, row_attr, col_attr),
            )
        )
    analysis.tables.append(
        CrossTable(
            key="sex_exit",
            caption=_("Exits in the period by sex and reason"),
            row_heading=sex,
            col_heading=_("Exit"),
            rows=SEXES,
            cols=EXIT_KINDS,
            counts={
                code: {kind: analysis.exits.get(code, {}).get(kind, 0) for kind, _l in EXIT_KINDS}
                for code, _label in SEXES
            },
        )
    )
    return analysis


def equality_figures(flt: InsightFilter) -> dict[str, Any]:
    """The page's tables for ``flt``, suppressed once, as a JSON-able payload (run by a
    background task, decision 0022): size of the target group and each table's labelled rows
    and totals."""
    analysis = equality_analysis(flt)
    tables = []
    for table in analysis.tables:
        published = table.suppressed()
        tables.append(
            {
                "key": table.key,
                "caption": str(table.caption),
                "row_heading": str(table.row_heading),
                "col_heading": str(table.col_heading),
                "cols": [str(label) for _code, label in table.cols],
                "rows": [
                    {
                        "label": str(label),
                        "cells": [published.cells[code][col] for col, _l in table.cols],
                        "total": published.row_totals[code],
                    }
                    for code, label in table.rows
                ],
                "col_totals": [published.col_totals[col] for col, _l in table.cols],
                "total": published.total,
            }
        )
    return {"size": len(analysis.members), "tables": tables}
