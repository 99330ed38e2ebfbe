"""The statute's exclusions from the activity requirement: one rule each, with its source.

Each rule takes the facts and a day and returns the reason it applies that day, or None.
Which day a rule can start or stop applying is given by :func:`boundary_days`, so coverage
can be followed over time without testing every day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal

from .dates import age_on, hours_text, iso
from .requirement import ActivityRequirement, pension_age, pension_ages
from .types import CoverageFacts, Period, Reason

Rule = Callable[[CoverageFacts, date, ActivityRequirement], Reason | None]


def birthday(birth_date: date, years: int) -> date:
    """The day a person turns ``years`` (29 February: 1 March in other years), as age_on counts."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return date(birth_date.year + years, 3, 1)


def under_minimum_age(facts: CoverageFacts, on: date, req: ActivityRequirement) -> Reason | None:
    age = age_on(facts.birth_date, on)
    limit = req.minimum_age
    if age >= limit.value:
        return None
    return Reason(
        "activity_requirement.exclusion.under_18",
        f"Personen är {age} år. Aktivitetskravet gäller inte den som är under {limit.value} år "
        f"(personen fyller {limit.value} år {iso(birthday(facts.birth_date, limit.value))}).",
        limit.source,
    )


def in_school(facts: CoverageFacts, on: date, req: ActivityRequirement) -> Reason | None:
    age = age_on(facts.birth_date, on)
    if not req.minimum_age.value <= age < req.school_age_limit.value:
        return None
    forms = req.school_forms
    attending = [p for p in facts.schooling if p.kind in forms.value and p.covers(on)]
    if not attending:
        return None
    label = forms.value[attending[0].kind]
    return Reason(
        "activity_requirement.exclusion.school",
        f"Personen är {age} år och går i {label}. Aktivitetskravet gäller inte den som är "
        f"{req.minimum_age.value}–{req.school_age_limit.value - 1} år och går i grundskola, "
        "gymnasieskola eller motsvarande utbildning.",
        forms.source,
    )


def occupations_on(facts: CoverageFacts, on: date) -> list[Period]:
    """The person's occupations on ``on``: dated ones and undated part-time work."""
    current = [p for p in facts.occupations if p.covers(on) and (p.hours or 0) > 0]
    if facts.part_time_hours > 0:
        current.append(Period("work", hours=Decimal(facts.part_time_hours)))
    return current


def occupied_hours(facts: CoverageFacts, on: date) -> Decimal:
    return sum((Decimal(p.hours or 0) for p in occupations_on(facts, on)), Decimal(0))


def full_time_occupation(facts: CoverageFacts, on: date, req: ActivityRequirement) -> Reason | None:
    if not req.full_time_occupation.value:
        return None
    hours = occupied_hours(facts, on)
    full_time = req.full_time_hours.value
    if hours < full_time:
        return None
    return Reason(
        "activity_requirement.exclusion.full_time_occupation",
        f"Personen är sysselsatt {hours_text(hours)} timmar i veckan, det vill säga på heltid "
        f"({hours_text(full_time)} timmar). Aktivitetskravet gäller inte den som har en "
        "sysselsättning på heltid, till exempel en anställning.",
        f"{req.full_time_occupation.source}; {req.full_time_hours.source}",
    )


def reached_pension_age(facts: CoverageFacts, on: date, req: ActivityRequirement) -> Reason | None:
    limit = pension_age(on)
    age = age_on(facts.birth_date, on)
    if age < limit.value:
        return None
    return Reason(
        "activity_requirement.exclusion.pension_age",
        f"Personen är {age} år och har uppnått riktåldern för pension ({limit.value} år "
        f"{on.year}). Aktivitetskravet gäller inte den som har uppnått riktåldern för pension.",
        f"{req.pension_age}; {limit.source}",
    )


def receives_benefit(facts: CoverageFacts, on: date, req: ActivityRequirement) -> Reason | None:
    """A benefit the sources name (law) or one we read into "vissa andra" (reading)."""
    for listed, rule in (
        (req.benefits, "activity_requirement.exclusion.benefit"),
        (req.benefits_by_reading, "reading.exclusion.benefit"),
    ):
        current = [p for p in facts.benefits if p.kind in listed.value and p.covers(on)]
        if current:
            names = ", ".join(dict.fromkeys(listed.value[p.kind] for p in current))
            return Reason(
                rule,
                f"Personen får {names}. Aktivitetskravet gäller inte den som får sjukpenning, "
                "sjukersättning eller vissa andra socialförsäkringsförmåner.",
                listed.source,
            )
    return None


def programme_covers(facts: CoverageFacts, on: date) -> bool:
    """Whether the person is in their AF programme on ``on`` (by its dates, when known)."""
    if facts.af_programme == "none":
        return False
    return Period(facts.af_programme, facts.af_programme_since, facts.af_programme_until).covers(on)


def full_time_programme(facts: CoverageFacts, on: date, req: ActivityRequirement) -> Reason | None:
    programmes = req.full_time_programmes
    if facts.af_programme not in programmes.value or not programme_covers(facts, on):
        return None
    assessed = facts.af_assessment_from
    if req.af_assessment.value and assessed is not None and assessed <= on:
        return None
    until = (
        f" till och med {iso(facts.af_programme_until)}"
        if facts.af_programme_until is not None
        else ""
    )
    return Reason(
        "activity_requirement.exclusion.full_time_programme",
        f"Personen deltar på heltid i {facts.af_programme} hos Arbetsförmedlingen{until}. "
        "Den som deltar på heltid i ett arbetsmarknadspolitiskt program omfattas inte av "
        "aktivitetskravet så länge Arbetsförmedlingen inte har meddelat att aktiviteten inte "
        "räcker.",
        programmes.source,
    )


RULES: tuple[Rule, ...] = (
    under_minimum_age,
    in_school,
    full_time_occupation,
    reached_pension_age,
    receives_benefit,
    full_time_programme,
)


def statutory_exclusions(
    facts: CoverageFacts, on: date, requirement: ActivityRequirement
) -> list[Reason]:
    """Every statutory exclusion that applies on ``on``."""
    return [reason for rule in RULES if (reason := rule(facts, on, requirement)) is not None]


def af_assessment_reason(
    facts: CoverageFacts, on: date, requirement: ActivityRequirement
) -> Reason | None:
    """Arbetsförmedlingen has said the programme does not give enough activity."""
    assessed = facts.af_assessment_from
    if (
        assessed is None
        or assessed > on
        or facts.af_programme not in requirement.full_time_programmes.value
        or not programme_covers(facts, on)
    ):
        return None
    return Reason(
        "activity_requirement.af_assessment",
        f"Arbetsförmedlingen har {iso(assessed)} bedömt att personen riskerar att stå utan "
        f"tillräcklig sysselsättning i {facts.af_programme}; personen kan därför omfattas av "
        "aktivitetskravet.",
        requirement.af_assessment.source,
    )


def _period_edges(periods: Iterable[Period]) -> Iterable[date]:
    for period in periods:
        if period.starts_on is not None:
            yield period.starts_on
        if period.ends_on is not None:
            yield period.ends_on + timedelta(days=1)


def boundary_days(facts: CoverageFacts, requirement: ActivityRequirement) -> set[date]:
    """Every day on which an exclusion can start or stop applying."""
    born = facts.birth_date
    days = {
        birthday(born, requirement.minimum_age.value),
        birthday(born, requirement.school_age_limit.value),
        *(birthday(born, age) for age in pension_ages()),
        *_period_edges(facts.occupations),
        *_period_edges(facts.benefits),
        *_period_edges(facts.schooling),
        *_period_edges(
            [Period(facts.af_programme, facts.af_programme_since, facts.af_programme_until)]
        ),
    }
    if facts.af_assessment_from is not None:
        days.add(facts.af_assessment_from)
    return days
