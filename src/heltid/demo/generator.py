"""Write the demo municipality to the database: units, staff, ~4,000 recipients and the
intervention catalogue (:mod:`heltid.demo.catalogue`).

``build_demo`` plans the population in pure Python (:mod:`heltid.demo.population`),
then writes it in one transaction with ``bulk_create`` and logs every created person
to the access log with one call, so that ``heltid audit verify`` passes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction

from heltid.accounts.models import Unit, User
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.casework.models import Assessment
from heltid.demo.casework import build_casework, recorded_at
from heltid.demo.catalogue import build_catalogue
from heltid.demo.history import build_history
from heltid.demo.population import (
    TARGET_CATEGORIES,
    UNEMPLOYED,
    PersonPlan,
    PopulationPlan,
    plan_population,
)
from heltid.demo.reason_codes import reason_codes_by_label
from heltid.demo.staff import DECIDING_OFFICER, ensure_units, ensure_users
from heltid.registry.fact_history import FactValue, first_rows, snapshot_values
from heltid.registry.models import (
    Child,
    Exemption,
    FactKind,
    FactSource,
    Household,
    IdKind,
    Person,
    PersonFact,
    ReasonCode,
    SupportPeriod,
)
from heltid.rules import ExemptionGroup, exemption_label

BATCH = 1000
DEMO_ACTOR = "demo"
PROGRAMME_LABELS = {"etablering": "etableringsprogrammet", "other": "annat program"}


@dataclass
class DemoSummary:
    """What the demo created, and the target-group figures it was calibrated to give."""

    seed: int
    on: date
    recipients: int = 0
    households: int = 0
    children: int = 0
    target_group: int = 0
    unemployed_coded: int = 0
    other_target: int = 0
    exempt: int = 0
    exempt_by_group: dict[str, int] = field(default_factory=dict)
    explicit_exemptions: int = 0
    ended_exemptions: int = 0
    assessments: int = 0
    target_women: int = 0
    protected_identity: int = 0
    in_af_programme: dict[str, int] = field(default_factory=dict)
    caseloads: dict[str, int] = field(default_factory=dict)
    by_unit: dict[str, int] = field(default_factory=dict)
    units_created: int = 0
    users_created: int = 0
    log_entries: int = 0
    plans: int = 0

    def lines(self) -> list[str]:
        """The summary in Swedish, one fact a line."""
        units = ", ".join(f"{code} {count}" for code, count in self.by_unit.items())
        caseloads = ", ".join(f"{name} {count}" for name, count in self.caseloads.items())
        programmes = ", ".join(
            f"{PROGRAMME_LABELS.get(name, name)} {count}"
            for name, count in self.in_af_programme.items()
        )
        lines = [
            f"Demokommun skapad (frö {self.seed}, per {self.on.isoformat()}).",
            f"Mottagare: {self.recipients} i {self.households} hushåll med {self.children} barn.",
            f"Målgrupp: {self.target_group} (kodade arbetslösa {self.unemployed_coded}, "
            f"övriga {self.other_target}), varav {self.target_women} kvinnor.",
            f"Undantagna: {self.exempt}, varav",
        ]
        lines.extend(
            f"  {exemption_label(code)}: {count}" for code, count in self.exempt_by_group.items()
        )
        lines += [
            f"Beslutade undantag: {self.explicit_exemptions} gällande, "
            f"{self.ended_exemptions} omprövade och avslutade (övriga följer av "
            "försörjningshinder eller program).",
            f"Kartläggningar: {self.assessments}. Planer: {self.plans}. "
            f"Skyddad identitet: {self.protected_identity}.",
            f"Program hos Arbetsförmedlingen: {programmes}.",
            f"Mottagare per enhet: {units}. Ärendelistor: {caseloads}.",
            f"Nya enheter: {self.units_created}. Nya användare: {self.users_created}. "
            f"Poster i åtkomstloggen: {self.log_entries}.",
        ]
        return lines


def build_demo(*, seed: int, on: date, recipients: int = 4000) -> DemoSummary:
    """Create the demo municipality for the day ``on``; deterministic for a seed."""
    plan = plan_population(seed=seed, on=on, recipients=recipients)
    with transaction.atomic():
        units, units_created = ensure_units()
        users, users_created = ensure_users(units)
        persons = _write(plan, units, users)
        build_catalogue(today=on)
        plans = build_casework(seed=seed, today=on)
        _analyze()  # the history reads the population: plans on tables with statistics
        build_history(seed=seed, today=on)
        _analyze()
        written = log_entries(
            user=None,
            actor=DEMO_ACTOR,
            entries=[Entry(Action.CREATE, p.pk, {"source": "demo"}) for p in persons],
        )
    summary = summarise(plan)
    summary.units_created = units_created
    summary.users_created = users_created
    summary.log_entries = written
    summary.plans = plans
    return summary


def _analyze() -> None:
    """Thousands of rows were just bulk-loaded: give PostgreSQL's planner statistics at once
    (autovacuum would, later), or its first plans for the statistics assume empty tables."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _write(plan: PopulationPlan, units: dict[str, Unit], users: dict[str, User]) -> list[Person]:
    households = Household.objects.bulk_create(
        [
            Household(reference=h.reference, cohabiting=h.cohabiting, unit=units[h.unit])
            for h in plan.households
        ],
        batch_size=BATCH,
    )
    Child.objects.bulk_create(
        [
            Child(household=households[number], birth_date=born)
            for number, h in enumerate(plan.households)
            for born in h.children
        ],
        batch_size=BATCH,
    )
    labels = sorted({p.reason_code for p in plan.persons if p.reason_code})
    codes = reason_codes_by_label(labels)
    persons = Person.objects.bulk_create(
        [_person(plan, p, households, units, users, codes) for p in plan.persons],
        batch_size=BATCH,
    )
    _write_person_facts(plan, persons, users)
    return persons


def _person(
    plan: PopulationPlan,
    p: PersonPlan,
    households: list[Household],
    units: dict[str, Unit],
    users: dict[str, User],
    codes: dict[str, ReasonCode],
) -> Person:
    household = plan.households[p.household]
    return Person(
        personnummer=p.personnummer,
        id_kind=IdKind.SAMORDNINGSNUMMER if p.is_coordination_number else IdKind.PERSONNUMMER,
        birth_date=p.birth_date,
        sex=p.sex,
        first_name=p.first_name,
        last_name=p.last_name,
        street_address=household.street_address,
        postal_code=household.postal_code,
        city=household.city,
        protected_identity=p.protected_identity,
        household=households[p.household],
        part_time_hours=p.part_time_hours,
        reason_code=codes[p.reason_code] if p.reason_code else None,
        af_programme=p.af_programme,
        af_programme_since=p.af_programme_since,
        unit=units[household.unit],
        case_manager=users[p.case_manager] if p.case_manager else None,
        individual_weekly_hours=p.individual_weekly_hours,
        individual_hours_reason=p.individual_hours_reason,
    )


def _write_person_facts(
    plan: PopulationPlan, persons: list[Person], users: dict[str, User]
) -> None:
    periods: list[SupportPeriod] = []
    exemptions: list[Exemption] = []
    assessments: list[Assessment] = []
    facts: list[PersonFact] = []
    for p, person in zip(plan.persons, persons, strict=True):
        assert p.support_since is not None
        periods.append(SupportPeriod(person=person, first_month=p.support_since))
        began = min(p.af_programme_since or p.support_since, p.support_since)
        facts.extend(
            first_rows(
                person.pk,
                snapshot_values(
                    af_programme=p.af_programme,
                    af_programme_since=p.af_programme_since,
                    part_time_hours=p.part_time_hours,
                    reason_label=p.reason_code or None,
                    household=plan.households[p.household].reference,
                    children=plan.households[p.household].children,
                ),
                recorded_on=began,
                source=FactSource.DEMO,
            )
        )
        if p.category == ExemptionGroup.SICK_LISTED_FULL:
            # fully sick-listed: on sjukpenning from the exemption, which the statute excludes
            sick_from = min((e.decided_on for e in p.exemptions), default=began)
            facts.extend(
                first_rows(
                    person.pk,
                    {
                        FactKind.BENEFIT: [
                            FactValue(FactKind.BENEFIT, "sjukpenning", None, sick_from)
                        ]
                    },
                    recorded_on=sick_from,
                    source=FactSource.DEMO,
                )
            )
        if p.earlier_period is not None:
            first, last = p.earlier_period
            periods.append(SupportPeriod(person=person, first_month=first, last_month=last))
        officer = users.get(DECIDING_OFFICER[plan.unit_of(p)])
        exemptions.extend(
            Exemption(
                person=person,
                group=e.group,
                decided_on=e.decided_on,
                review_on=e.review_on,
                note=e.note,
                decided_by=officer,
                ended_on=e.ended_on,
            )
            for e in p.exemptions
        )
        if p.assessment is not None:
            a = p.assessment
            assessments.append(
                Assessment(
                    person=person,
                    assessed_on=a.assessed_on,
                    swedish_level=a.swedish_level,
                    health=a.health,
                    work_experience_years=a.work_experience_years,
                    activity_capacity_hours=a.activity_capacity_hours,
                    created_at=recorded_at(a.assessed_on),
                )
            )
    SupportPeriod.objects.bulk_create(periods, batch_size=BATCH)
    Exemption.objects.bulk_create(exemptions, batch_size=BATCH)
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    PersonFact.objects.bulk_create(facts, batch_size=BATCH)


def summarise(plan: PopulationPlan) -> DemoSummary:
    """The counts of a plan; the target-group figures are what ``heltid stats`` should show."""
    persons = plan.persons
    target = [p for p in persons if p.category in TARGET_CATEGORIES]
    exempt = Counter(p.category for p in persons if p.category not in TARGET_CATEGORIES)
    programmes = Counter(p.af_programme for p in persons if p.af_programme != "none")
    return DemoSummary(
        seed=plan.seed,
        on=plan.on,
        recipients=len(persons),
        households=len(plan.households),
        children=sum(len(h.children) for h in plan.households),
        target_group=len(target),
        unemployed_coded=sum(p.category == UNEMPLOYED for p in target),
        other_target=sum(p.category != UNEMPLOYED for p in target),
        exempt=sum(exempt.values()),
        exempt_by_group={g.value: exempt.get(g.value, 0) for g in ExemptionGroup},
        explicit_exemptions=sum(1 for p in persons for e in p.exemptions if e.ended_on is None),
        ended_exemptions=sum(1 for p in persons for e in p.exemptions if e.ended_on is not None),
        assessments=sum(p.assessment is not None for p in persons),
        target_women=sum(p.sex == "F" for p in target),
        protected_identity=sum(p.protected_identity for p in persons),
        in_af_programme=dict(sorted(programmes.items())),
        caseloads=dict(sorted(Counter(p.case_manager for p in persons if p.case_manager).items())),
        by_unit=dict(sorted(Counter(plan.unit_of(p) for p in persons).items())),
    )
