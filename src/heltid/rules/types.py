"""Value types shared by the rules: facts in, explained results out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ExemptionGroup(StrEnum):
    """The municipal policy's ten groups exempt from full-time activation."""

    ESTABLISHMENT_PROGRAMME = "establishment_programme"
    SICK_LISTED_FULL = "sick_listed_full"
    EXTENSIVE_ILL_HEALTH = "extensive_ill_health"
    PARENTAL_LEAVE = "parental_leave"
    PENSION = "pension"
    UNACCOMPANIED_STUDENT = "unaccompanied_student"
    ADDICTION_CARE = "addiction_care"
    HEALTH_INVESTIGATION = "health_investigation"
    PROBATION_SIG = "probation_sig"
    FK_APPLICATION = "fk_application"


class ReasonGroup(StrEnum):
    """Socialstyrelsen's statistical grouping of reason codes (försörjningshinder)."""

    UNEMPLOYMENT = "unemployment"
    ILL_HEALTH = "ill_health"
    SOCIAL = "social"
    OTHER = "other"


# Values of CoverageFacts.af_programme.
AF_PROGRAMMES: tuple[str, ...] = ("none", "JOB", "UGA", "etablering", "other")


class Basis(StrEnum):
    """What a reason rests on; pages show law and the municipality's policy apart."""

    LAW = "law"  # the statute (SFS) or its proposition
    READING = "reading"  # Heltid's reading where the statute leaves a choice (decision record)
    POLICY = "policy"  # the municipality's own policy, not law
    FACT = "fact"  # what the registry records about the person


def basis_of_rule(rule: str) -> Basis:
    """The basis a rule id implies: ``policy.*``, ``reading.*`` and ``fact.*``/``support.*``;
    everything else is the statute's."""
    head = rule.split(".", 1)[0]
    if head == "policy":
        return Basis.POLICY
    if head == "reading":
        return Basis.READING
    if head in {"fact", "support"}:
        return Basis.FACT
    return Basis.LAW


@dataclass(frozen=True)
class Reason:
    """One step of a decision, shown to staff on the person page."""

    rule: str  # stable machine id, e.g. "activity_requirement.consecutive_months"
    text: str  # plain Swedish sentence
    source: str  # legal or policy source

    @property
    def basis(self) -> Basis:
        return basis_of_rule(self.rule)


@dataclass(frozen=True)
class Period:
    """A dated fact about a person: what (``kind``), from when and until when (inclusive).

    ``starts_on`` None means "since before anything we know"; ``ends_on`` None means ongoing.
    ``hours`` is hours per week where the kind has them (occupations).
    """

    kind: str
    starts_on: date | None = None
    ends_on: date | None = None
    hours: Decimal | None = None

    def covers(self, on: date) -> bool:
        return (self.starts_on is None or self.starts_on <= on) and (
            self.ends_on is None or on <= self.ends_on
        )


@dataclass(frozen=True)
class CoverageFacts:
    """What the rules need to know about one person."""

    birth_date: date
    # First month (day 1) of the current unbroken period on support; None = not on support.
    support_since: date | None
    # Last month on support (day 1) if the period has ended, else None (ongoing).
    support_until: date | None = None
    af_programme: str = "none"  # one of AF_PROGRAMMES
    af_programme_since: date | None = None
    af_programme_until: date | None = None  # last day in the programme, if known
    # Arbetsförmedlingen's assessment that the programme does not give enough activity
    # (the person may be covered), from this day.
    af_assessment_from: date | None = None
    reason_code: str | None = None  # label
    reason_group: str | None = None  # ReasonGroup value
    exemption: str | None = None  # explicit, decided ExemptionGroup value
    exemption_review_on: date | None = None
    children_birth_dates: tuple[date, ...] = ()
    part_time_hours: Decimal = Decimal(0)  # work, hours a week, without dates
    # Dated facts (kind codes: see rules.requirement): occupations with hours a week
    # (work, studies, state/municipal/regional interventions), social-insurance benefits,
    # school attendance (grundskola, gymnasieskola).
    occupations: tuple[Period, ...] = ()
    benefits: tuple[Period, ...] = ()
    schooling: tuple[Period, ...] = ()
    individual_weekly_hours: Decimal | None = None
    individual_hours_reason: str = ""


@dataclass(frozen=True)
class Priority:
    """Which priority group a person is in and by when they should be activated."""

    group: (
        str  # "young_adult_outside_af" | "adult_outside_af" | "state_programme" | "not_applicable"
    )
    activate_by: date | None
    text: str  # Swedish


@dataclass(frozen=True)
class Explanation:
    """The full, explained result of the rules for one person on one date."""

    on: date
    covered: bool
    covered_from: date | None
    weekly_hours: Decimal
    priority: Priority
    exemption: str | None  # effective exemption (explicit or derived), ExemptionGroup value
    exemption_review_due: bool  # explicit exemption whose review date has been reached
    target_group: bool  # on support on `on` and not exempt
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Child:
    """A child or young person (0-20 years) living in the household."""

    age: int
    lunch_outside_home: bool = False  # lunch outside home 5 days a week; matters for ages 0-6


@dataclass(frozen=True)
class RiksnormLine:
    """One line of a riksnorm calculation."""

    label: str  # Swedish
    amount: int
    source: str


@dataclass(frozen=True)
class RiksnormResult:
    """A riksnorm calculation: the monthly total and the lines it is the sum of."""

    year: int
    total: int
    lines: tuple[RiksnormLine, ...]
