"""The demo municipality's recipients as plain data, before anything is written.

Pure Python and deterministic: the same seed, day and size give the same plan (one
``random.Random(seed)``, lists only, no set or hash order). The volumes are calibrated
on the seed documents (``shared/data/seed-facts.md``): per 4,000 recipients, 1,000
coded unemployed and 800 others in the target group, 2,200 in the ten exemption
groups. The chosen numbers and directions are documented in ``docs/demo.md``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from heltid.demo import names
from heltid.demo.testpersonnummer import adults_aged
from heltid.registry.identity import parse_identity
from heltid.rules.dates import add_months, age_on, month_start
from heltid.rules.types import ExemptionGroup

T = TypeVar("T")

SEED_RECIPIENTS = 4000

# Categories: the two parts of the target group, then the ten exemption groups.
UNEMPLOYED = "unemployed"
OTHER_TARGET = "other_target"
TARGET_CATEGORIES = (UNEMPLOYED, OTHER_TARGET)


class E:
    """Exemption-group codes as plain strings (the values of ``ExemptionGroup``)."""

    ESTABLISHMENT_PROGRAMME = ExemptionGroup.ESTABLISHMENT_PROGRAMME.value
    SICK_LISTED_FULL = ExemptionGroup.SICK_LISTED_FULL.value
    EXTENSIVE_ILL_HEALTH = ExemptionGroup.EXTENSIVE_ILL_HEALTH.value
    PARENTAL_LEAVE = ExemptionGroup.PARENTAL_LEAVE.value
    PENSION = ExemptionGroup.PENSION.value
    UNACCOMPANIED_STUDENT = ExemptionGroup.UNACCOMPANIED_STUDENT.value
    ADDICTION_CARE = ExemptionGroup.ADDICTION_CARE.value
    HEALTH_INVESTIGATION = ExemptionGroup.HEALTH_INVESTIGATION.value
    PROBATION_SIG = ExemptionGroup.PROBATION_SIG.value
    FK_APPLICATION = ExemptionGroup.FK_APPLICATION.value


# Per 4,000 recipients (seed: ~1,000 coded unemployed, ~800 others, ~2,200 exempt).
# The split of the 2,200 over the ten groups is chosen: the seeds give no numbers.
CATEGORY_COUNTS: dict[str, int] = {
    UNEMPLOYED: 1000,
    OTHER_TARGET: 800,
    E.ESTABLISHMENT_PROGRAMME: 300,
    E.SICK_LISTED_FULL: 350,
    E.EXTENSIVE_ILL_HEALTH: 300,
    E.PARENTAL_LEAVE: 200,
    E.PENSION: 120,
    E.UNACCOMPANIED_STUDENT: 80,
    E.ADDICTION_CARE: 250,
    E.HEALTH_INVESTIGATION: 250,
    E.PROBATION_SIG: 100,
    E.FK_APPLICATION: 250,
}

# Reason codes (labels as in rules/parameters/reason_codes.toml).
UNEMPLOYED_NONE = "Arbetslös, ingen ersättning/stöd"
UNEMPLOYED_LOW = "Arbetslös, otillräcklig ersättning/stöd"
UNEMPLOYED_WAITING = "Arbetslös, väntar på ersättning/stöd"
PART_TIME_LOW = "Arbetar deltid ofrivilligt, otillräcklig inkomst"
PART_TIME_WAITING = "Arbetar deltid ofrivilligt, väntar på inkomst"
FULL_TIME_LOW = "Arbetar heltid, otillräcklig inkomst"
FULL_TIME_WAITING = "Arbetar heltid, väntar på inkomst"
SOCIAL = "Arbetshinder, sociala skäl"
NO_CHILDCARE = "Saknar barnomsorg"
SICK_NONE = "Sjukskriven med läkarintyg, ingen sjukpenning"
SICK_LOW = "Sjukskriven med läkarintyg, otillräcklig sjukpenning"
SICK_WAITING = "Sjukskriven med läkarintyg, väntar på sjukpenning"
SICKNESS_COMPENSATION_LOW = "Sjuk-/Aktivitetsersättning otillräcklig"
SICKNESS_COMPENSATION_WAITING = "Sjuk-/Aktivitetsersättning, väntar på"
NO_REASON = "Utan försörjningshinder"
ESTABLISHMENT_MISSING = "Etableringsersättning saknas (prestationsförmåga <25%)"
ESTABLISHMENT_LOW = "Etableringsersättning otillräcklig"
ESTABLISHMENT_WAITING = "Etableringsersättning, väntar på"
PARENTAL_LOW = "Föräldrapenning otillräcklig"
PARENTAL_WAITING = "Föräldrapenning, väntar på"
PENSION_LOW = "Pension/Äldreförsörjningsstöd otillräcklig"
PENSION_WAITING = "Pension/Äldreförsörjningsstöd, väntar på"
UNACCOMPANIED = "Ensamkommande ungdom 18-20 år, gymnasiestuderande"

PART_TIME_REASONS = (PART_TIME_LOW, PART_TIME_WAITING)
FULL_TIME_REASONS = (FULL_TIME_LOW, FULL_TIME_WAITING)

# Values of the casework choices (kept as plain strings: this module has no Django).
SWEDISH_NONE, SWEDISH_MODERATE, SWEDISH_LARGE = "none", "moderate", "large"
SWEDISH_LEVELS = (SWEDISH_NONE, SWEDISH_MODERATE, SWEDISH_LARGE)
HEALTH_NONE, PHYSICAL, MENTAL, BOTH = "none", "physical", "mental", "both"
ILL_HEALTH = (PHYSICAL, MENTAL, BOTH)

# Age bands of the gender-equality analysis.
YOUNG, MIDDLE, OLDER = "18-29", "30-44", "45-67"

Weighted = tuple[tuple[T, float], ...]
Band = tuple[int, int, float]  # low, high (inclusive), weight

# Months on support: many long-term recipients, some recent (< 3 months, not yet covered).
MONTHS_TARGET: tuple[Band, ...] = ((0, 2, 0.12), (3, 11, 0.22), (12, 23, 0.24), (24, 47, 0.42))
MONTHS_LONG: tuple[Band, ...] = ((0, 2, 0.05), (3, 11, 0.15), (12, 23, 0.25), (24, 47, 0.55))
MONTHS_NEW: tuple[Band, ...] = ((0, 2, 0.20), (3, 11, 0.40), (12, 23, 0.30), (24, 35, 0.10))


@dataclass(frozen=True)
class Profile:
    """How the people of one category are drawn."""

    women: float
    ages: tuple[Band, ...]
    months: tuple[Band, ...] = MONTHS_LONG
    # Reason codes used with an explicit exemption decision, or for the target group.
    reasons: Weighted[str] = ((UNEMPLOYED_NONE, 1.0),)
    # Reason codes that imply the exemption group without a decision (policy_linkoping.toml).
    implied: Weighted[str] = ()
    explicit_share: float = 1.0  # of an exempt category: share with an explicit decision
    assessed: float = 0.3  # share with an assessment (kartläggning)
    review_months: int = 6
    health: Weighted[str] | None = None  # None: the target-group health model


AGES_TARGET_UNEMPLOYED: tuple[Band, ...] = (
    (18, 24, 0.18),
    (25, 29, 0.14),
    (30, 44, 0.44),
    (45, 67, 0.24),
)
AGES_TARGET_OTHER: tuple[Band, ...] = (
    (18, 24, 0.10),
    (25, 29, 0.12),
    (30, 44, 0.45),
    (45, 67, 0.33),
)
AGES_ADULT: tuple[Band, ...] = ((20, 29, 0.2), (30, 44, 0.45), (45, 67, 0.35))
AGES_OLDER: tuple[Band, ...] = ((25, 44, 0.35), (45, 67, 0.65))

PROFILES: dict[str, Profile] = {
    UNEMPLOYED: Profile(
        women=0.55,
        ages=AGES_TARGET_UNEMPLOYED,
        months=MONTHS_TARGET,
        reasons=(
            (UNEMPLOYED_NONE, 0.52),
            (UNEMPLOYED_LOW, 0.26),
            (UNEMPLOYED_WAITING, 0.08),
            (PART_TIME_LOW, 0.11),
            (PART_TIME_WAITING, 0.03),
        ),
        assessed=1.0,
    ),
    OTHER_TARGET: Profile(
        women=0.60,
        ages=AGES_TARGET_OTHER,
        months=MONTHS_TARGET,
        reasons=(
            (SOCIAL, 0.32),
            (SICK_NONE, 0.14),
            (SICK_LOW, 0.10),
            (SICK_WAITING, 0.05),
            (SICKNESS_COMPENSATION_LOW, 0.08),
            (NO_CHILDCARE, 0.10),
            (NO_REASON, 0.14),
            (FULL_TIME_LOW, 0.05),
            (FULL_TIME_WAITING, 0.02),
        ),
        assessed=1.0,
    ),
    E.ESTABLISHMENT_PROGRAMME: Profile(
        women=0.48,
        ages=((20, 29, 0.35), (30, 44, 0.50), (45, 60, 0.15)),
        months=MONTHS_NEW,
        reasons=((UNEMPLOYED_LOW, 1.0),),
        implied=(
            (ESTABLISHMENT_LOW, 0.5),
            (ESTABLISHMENT_WAITING, 0.35),
            (ESTABLISHMENT_MISSING, 0.15),
        ),
        explicit_share=0.1,
        review_months=12,
    ),
    E.SICK_LISTED_FULL: Profile(
        women=0.56,
        ages=AGES_OLDER,
        reasons=((SICK_NONE, 0.4), (SICK_LOW, 0.4), (SICK_WAITING, 0.2)),
        assessed=0.5,
        review_months=3,
        health=((PHYSICAL, 0.55), (MENTAL, 0.2), (BOTH, 0.25)),
    ),
    E.EXTENSIVE_ILL_HEALTH: Profile(
        women=0.52,
        ages=AGES_OLDER,
        reasons=((SICKNESS_COMPENSATION_LOW, 0.35), (SICK_NONE, 0.25), (SOCIAL, 0.4)),
        assessed=0.5,
        review_months=6,
        health=((PHYSICAL, 0.25), (MENTAL, 0.35), (BOTH, 0.4)),
    ),
    E.PARENTAL_LEAVE: Profile(
        women=0.86,
        ages=((20, 29, 0.5), (30, 40, 0.5)),
        months=MONTHS_NEW,
        reasons=((NO_CHILDCARE, 0.5), (UNEMPLOYED_NONE, 0.5)),
        implied=((PARENTAL_LOW, 0.7), (PARENTAL_WAITING, 0.3)),
        explicit_share=0.2,
        review_months=6,
    ),
    E.PENSION: Profile(
        women=0.55,
        ages=((61, 64, 0.4), (65, 67, 0.6)),
        reasons=((UNEMPLOYED_NONE, 1.0),),
        implied=((PENSION_LOW, 0.7), (PENSION_WAITING, 0.3)),
        explicit_share=0.3,
        review_months=12,
        health=((HEALTH_NONE, 0.3), (PHYSICAL, 0.55), (MENTAL, 0.05), (BOTH, 0.1)),
    ),
    E.UNACCOMPANIED_STUDENT: Profile(
        women=0.15,
        ages=((18, 20, 1.0),),
        months=MONTHS_NEW,
        implied=((UNACCOMPANIED, 1.0),),
        explicit_share=0.0,
        review_months=12,
    ),
    E.ADDICTION_CARE: Profile(
        women=0.3,
        ages=AGES_ADULT,
        reasons=((SOCIAL, 0.75), (UNEMPLOYED_NONE, 0.25)),
        assessed=0.4,
        review_months=3,
        health=((HEALTH_NONE, 0.05), (MENTAL, 0.6), (BOTH, 0.35)),
    ),
    E.HEALTH_INVESTIGATION: Profile(
        women=0.56,
        ages=AGES_ADULT,
        reasons=((SICK_NONE, 0.3), (SOCIAL, 0.3), (UNEMPLOYED_NONE, 0.4)),
        assessed=0.5,
        review_months=3,
        health=((PHYSICAL, 0.4), (MENTAL, 0.4), (BOTH, 0.2)),
    ),
    E.PROBATION_SIG: Profile(
        women=0.15,
        ages=((18, 29, 0.55), (30, 45, 0.45)),
        reasons=((SOCIAL, 0.6), (UNEMPLOYED_NONE, 0.4)),
        assessed=0.4,
        review_months=6,
        health=((HEALTH_NONE, 0.4), (MENTAL, 0.5), (BOTH, 0.1)),
    ),
    E.FK_APPLICATION: Profile(
        women=0.56,
        ages=AGES_OLDER,
        reasons=((SICK_NONE, 0.6), (SICKNESS_COMPENSATION_LOW, 0.4)),
        implied=((SICKNESS_COMPENSATION_WAITING, 1.0),),
        explicit_share=0.4,
        assessed=0.5,
        review_months=6,
        health=((PHYSICAL, 0.4), (MENTAL, 0.3), (BOTH, 0.3)),
    ),
}

# Share of the establishment group registered in Arbetsförmedlingen's programme.
ESTABLISHMENT_AF_SHARE = 0.65

# Swedish language by sex and age band (none, moderate, large limitation): more men
# without limitation, more women with moderate or large, younger fewer limitations.
SWEDISH: dict[tuple[str, str], tuple[float, float, float]] = {
    ("M", YOUNG): (0.62, 0.26, 0.12),
    ("M", MIDDLE): (0.47, 0.33, 0.20),
    ("M", OLDER): (0.40, 0.35, 0.25),
    ("F", YOUNG): (0.50, 0.32, 0.18),
    ("F", MIDDLE): (0.34, 0.39, 0.27),
    ("F", OLDER): (0.28, 0.40, 0.32),
}

# Ill-health of the target group: about 70 %; ages 30-44 most often without; those
# with a language limitation less often ill, those without more often.
ILL_BY_AGE = {YOUNG: 0.75, MIDDLE: 0.61, OLDER: 0.81}
ILL_FACTOR_NO_LIMITATION = 1.12
ILL_FACTOR_LIMITATION = 0.90
# Kind of ill-health: women more physical and both, men more mental; younger more
# mental, older more physical.
HEALTH_SPLIT = {"F": (0.40, 0.28, 0.32), "M": (0.28, 0.50, 0.22)}  # physical, mental, both
HEALTH_AGE_SHIFT = {
    YOUNG: (-0.12, 0.15, -0.03),
    MIDDLE: (0.0, 0.0, 0.0),
    OLDER: (0.15, -0.13, -0.02),
}

# Household kinds.
SINGLE = "single"
SINGLE_PARENT = "single_parent"
COUPLE = "couple"  # sambo or married, both recipients
COUPLE_CHILDREN = "couple_children"
SHARED = "shared"  # two adults sharing the household without being a couple
COUPLES = (COUPLE, COUPLE_CHILDREN)

# Weights per person who starts a household; a couple or shared household also takes in
# a second recipient, so about twice these shares of persons live in one.
HOUSEHOLDS_WOMEN: Weighted[str] = (
    (SINGLE, 0.58), (SINGLE_PARENT, 0.24), (COUPLE, 0.05), (COUPLE_CHILDREN, 0.09), (SHARED, 0.04),
)  # fmt: skip
HOUSEHOLDS_MEN: Weighted[str] = (
    (SINGLE, 0.76), (SINGLE_PARENT, 0.04), (COUPLE, 0.05), (COUPLE_CHILDREN, 0.09), (SHARED, 0.06),
)  # fmt: skip
HOUSEHOLDS_YOUNG: Weighted[str] = (
    (SINGLE, 0.78), (SINGLE_PARENT, 0.05), (COUPLE, 0.04), (COUPLE_CHILDREN, 0.03), (SHARED, 0.10),
)  # fmt: skip
HOUSEHOLDS_BY_CATEGORY: dict[str, Weighted[str]] = {
    E.UNACCOMPANIED_STUDENT: ((SINGLE, 0.7), (SHARED, 0.3)),
    E.PENSION: ((SINGLE, 0.6), (COUPLE, 0.3), (SHARED, 0.1)),
}
PARENTAL_HOUSEHOLDS = {
    "F": ((SINGLE_PARENT, 0.55), (COUPLE_CHILDREN, 0.45)),
    "M": ((COUPLE_CHILDREN, 1.0),),
}
CHILD_COUNTS: Weighted[int] = ((1, 0.45), (2, 0.33), (3, 0.15), (4, 0.07))
PARTNER_AGE_GAP = 8
SAME_SEX_COUPLES = 0.03
SHARED_LAST_NAME = 0.4

UNIT_NORD, UNIT_SYD = "ekb-nord", "ekb-syd"
UNIT_NORD_SHARE = 0.52

# Per 4,000 recipients.
PROTECTED_HOUSEHOLDS = 10
CASELOADS = {"casemanager.nord": (UNIT_NORD, 100), "casemanager.syd": (UNIT_SYD, 60)}
EARLIER_PERIOD_SHARE = 0.12  # came back to support after an earlier period
ENDED_EXEMPTION_SHARE = 0.06  # of the target group: an exemption reviewed and ended

EXEMPTION_NOTES: dict[str, str] = {
    E.ESTABLISHMENT_PROGRAMME: "Deltar i etableringsprogrammet; planering hos Arbetsförmedlingen.",
    E.SICK_LISTED_FULL: "Läkarintyg: helt nedsatt arbetsförmåga. Ompröva när intyget löper ut.",
    E.EXTENSIVE_ILL_HEALTH: "Omfattande ohälsa. Pröva hälsofrämjande insats vid omprövningen.",
    E.PARENTAL_LEAVE: "Föräldraledig med barn under ett och ett halvt år.",
    E.PENSION: "Går i pension inom ett år; ansökan om pension planeras.",
    E.UNACCOMPANIED_STUDENT: "Studerar på gymnasiet.",
    E.ADDICTION_CARE: "Planering inom missbruksvården.",
    E.HEALTH_INVESTIGATION: "Pågående utredning inom vården.",
    E.PROBATION_SIG: "Planering med Frivården eller Sociala insatsgruppen (SIG).",
    E.FK_APPLICATION: "Planerar att ansöka om sjukersättning hos Försäkringskassan.",
}
ENDED_EXEMPTION_NOTE = "Omprövat: kan delta i aktivering på anpassad nivå."
ENDED_EXEMPTION_GROUPS = (E.SICK_LISTED_FULL, E.EXTENSIVE_ILL_HEALTH, E.HEALTH_INVESTIGATION)
INDIVIDUAL_HOURS_REASON = (
    "Anpassat efter aktivitetsförmågan i kartläggningen: både fysisk och psykisk ohälsa."
)


@dataclass(frozen=True)
class ExemptionPlan:
    group: str
    decided_on: date
    review_on: date
    note: str
    ended_on: date | None = None


@dataclass(frozen=True)
class AssessmentPlan:
    assessed_on: date
    swedish_level: str
    health: str
    work_experience_years: int
    activity_capacity_hours: Decimal


@dataclass
class PersonPlan:
    category: str
    personnummer: str
    is_coordination_number: bool
    birth_date: date
    sex: str
    age: int
    swedish_level: str
    first_name: str = ""
    last_name: str = ""
    household: int = -1
    reason_code: str | None = None
    af_programme: str = "none"
    af_programme_since: date | None = None
    part_time_hours: Decimal = Decimal(0)
    support_since: date | None = None
    earlier_period: tuple[date, date] | None = None
    exemptions: list[ExemptionPlan] = field(default_factory=list)
    assessment: AssessmentPlan | None = None
    individual_weekly_hours: Decimal | None = None
    individual_hours_reason: str = ""
    protected_identity: bool = False
    case_manager: str | None = None
    months_on_support: int = 0

    @property
    def target_group(self) -> bool:
        return self.category in TARGET_CATEGORIES


@dataclass
class HouseholdPlan:
    reference: str
    kind: str
    cohabiting: bool
    adults: list[int]
    children: list[date]
    unit: str
    street_address: str
    postal_code: str
    city: str = "Linköping"


@dataclass
class PopulationPlan:
    seed: int
    on: date
    persons: list[PersonPlan]
    households: list[HouseholdPlan]

    def unit_of(self, person: PersonPlan) -> str:
        return self.households[person.household].unit


def pick(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """One option, drawn by weight."""
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def age_band(age: int) -> str:
    if age < 30:
        return YOUNG
    return MIDDLE if age < 45 else OLDER


def allocate(total: int, counts: dict[str, int] = CATEGORY_COUNTS) -> dict[str, int]:
    """Scale ``counts`` (per 4,000) to ``total`` by largest remainder, in the given order."""
    base = sum(counts.values())
    exact = {key: count * total / base for key, count in counts.items()}
    result = {key: int(value) for key, value in exact.items()}
    missing = total - sum(result.values())
    by_remainder = sorted(counts, key=lambda key: -(exact[key] - result[key]))
    for key in by_remainder[:missing]:
        result[key] += 1
    return result


def scaled(per_4000: int, total: int, *, minimum: int = 1) -> int:
    return max(minimum, round(per_4000 * total / SEED_RECIPIENTS))


class NumberPool:
    """Skatteverket's test numbers of adults, by sex and age, drawn without replacement."""

    def __init__(self, on: date, rng: random.Random) -> None:
        self._by_key: dict[tuple[str, int], list[str]] = {}
        for number in adults_aged(on):
            born = date(int(number[:4]), int(number[4:6]), int(number[6:8]) % 60 or 1)
            sex = "M" if int(number[10]) % 2 else "F"
            self._by_key.setdefault((sex, age_on(born, on)), []).append(number)
        for key in sorted(self._by_key):
            rng.shuffle(self._by_key[key])

    def take(self, sex: str, age: int) -> str:
        """A number of this sex and age, or the nearest age (then the other sex) left."""
        for wanted_sex in (sex, "M" if sex == "F" else "F"):
            for distance in range(60):
                for candidate in (age - distance, age + distance)[: 1 if distance == 0 else 2]:
                    numbers = self._by_key.get((wanted_sex, candidate))
                    if numbers:
                        return numbers.pop()
        raise ValueError("Skatteverkets testpersonnummer räcker inte till så många mottagare.")


def plan_population(*, seed: int, on: date, recipients: int = SEED_RECIPIENTS) -> PopulationPlan:
    """The whole demo population for ``on``; the same arguments give the same plan."""
    if recipients < 1:
        raise ValueError("Antalet mottagare måste vara minst 1.")
    rng = random.Random(seed)
    pool = NumberPool(on, rng)
    persons: list[PersonPlan] = []
    counts = allocate(recipients)
    # the narrowest age ranges first: few test numbers are of people over 50
    first = (E.PENSION, E.UNACCOMPANIED_STUDENT)
    for category in (*first, *(c for c in counts if c not in first)):
        for _ in range(counts[category]):
            persons.append(_draw_person(rng, pool, category, on))
    rng.shuffle(persons)
    households = _form_households(rng, persons, on)
    for person in persons:
        _fill_support(rng, person, on)
        _fill_reason_and_programme(rng, person, on)
        _fill_exemptions(rng, person, on)
        _fill_assessment(rng, person, on)
    _mark_protected(rng, persons, households, recipients)
    _assign_caseloads(rng, persons, households, recipients)
    return PopulationPlan(seed=seed, on=on, persons=persons, households=households)


def _draw_in_bands(rng: random.Random, bands: Sequence[Band]) -> int:
    low, high, _ = pick(rng, [((lo, hi, w), w) for lo, hi, w in bands])
    return rng.randint(low, high)


def _draw_swedish(rng: random.Random, category: str, sex: str, age: int) -> str:
    if category == E.ESTABLISHMENT_PROGRAMME:
        return pick(rng, ((SWEDISH_MODERATE, 0.4), (SWEDISH_LARGE, 0.6)))
    if category == E.UNACCOMPANIED_STUDENT:
        return pick(rng, ((SWEDISH_NONE, 0.3), (SWEDISH_MODERATE, 0.6), (SWEDISH_LARGE, 0.1)))
    weights = SWEDISH[(sex, age_band(age))]
    return pick(rng, tuple(zip(SWEDISH_LEVELS, weights, strict=True)))


def _draw_person(rng: random.Random, pool: NumberPool, category: str, on: date) -> PersonPlan:
    profile = PROFILES[category]
    sex = "F" if rng.random() < profile.women else "M"
    number = pool.take(sex, _draw_in_bands(rng, profile.ages))
    identity = parse_identity(number)
    age = age_on(identity.birth_date, on)
    swedish = _draw_swedish(rng, category, identity.sex, age)
    abroad = rng.random() < (0.2 if swedish == SWEDISH_NONE else 0.85)
    if category in (E.ESTABLISHMENT_PROGRAMME, E.UNACCOMPANIED_STUDENT):
        abroad = True
    first_names = _first_names(identity.sex, abroad=abroad)
    return PersonPlan(
        category=category,
        personnummer=identity.number,
        is_coordination_number=identity.is_coordination_number,
        birth_date=identity.birth_date,
        sex=identity.sex,
        age=age,
        swedish_level=swedish,
        first_name=rng.choice(first_names),
        last_name=rng.choice(names.LAST_NAMES_ABROAD if abroad else names.LAST_NAMES),
    )


def _first_names(sex: str, *, abroad: bool) -> tuple[str, ...]:
    if sex == "F":
        return names.FEMALE_FIRST_NAMES_ABROAD if abroad else names.FEMALE_FIRST_NAMES
    return names.MALE_FIRST_NAMES_ABROAD if abroad else names.MALE_FIRST_NAMES


# --- households --------------------------------------------------------------------------


class _PartnerFinder:
    """Unplaced adults by sex and age; removal is lazy (placed people are skipped)."""

    def __init__(self, persons: list[PersonPlan], rng: random.Random) -> None:
        self._persons = persons
        self._by_key: dict[tuple[str, int], list[int]] = {}
        self._students: list[int] = []
        self._anyone: list[int] = []
        for index, person in enumerate(persons):
            if person.category == E.UNACCOMPANIED_STUDENT:
                self._students.append(index)
                continue
            self._by_key.setdefault((person.sex, person.age), []).append(index)
            self._anyone.append(index)
        rng.shuffle(self._anyone)

    def _pop(self, indices: list[int] | None) -> int | None:
        while indices:
            index = indices.pop()
            if self._persons[index].household < 0:
                return index
        return None

    def partner(self, index: int, *, sex: str) -> int | None:
        """An unplaced adult of ``sex`` close in age (the person asking is already placed)."""
        age = self._persons[index].age
        for distance in range(PARTNER_AGE_GAP + 1):
            for candidate in (age - distance, age + distance)[: 1 if distance == 0 else 2]:
                found = self._pop(self._by_key.get((sex, candidate)))
                if found is not None:
                    return found
        return None

    def anyone(self, index: int) -> int | None:
        pool = (
            self._students
            if self._persons[index].category == E.UNACCOMPANIED_STUDENT
            else self._anyone
        )
        return self._pop(pool)


def _household_kinds(person: PersonPlan) -> Weighted[str]:
    if person.category == E.PARENTAL_LEAVE:
        return PARENTAL_HOUSEHOLDS[person.sex]
    if person.category in HOUSEHOLDS_BY_CATEGORY:
        return HOUSEHOLDS_BY_CATEGORY[person.category]
    if person.age < 22:
        return HOUSEHOLDS_YOUNG
    return HOUSEHOLDS_WOMEN if person.sex == "F" else HOUSEHOLDS_MEN


def _form_households(
    rng: random.Random, persons: list[PersonPlan], on: date
) -> list[HouseholdPlan]:
    finder = _PartnerFinder(persons, rng)
    households: list[HouseholdPlan] = []
    for index, person in enumerate(persons):
        if person.household >= 0:
            continue
        number = len(households)
        person.household = number
        kind = pick(rng, _household_kinds(person))
        adults = [index]
        partner: int | None = None
        if kind in COUPLES:
            same_sex = rng.random() < SAME_SEX_COUPLES
            wanted = person.sex if same_sex else ("M" if person.sex == "F" else "F")
            partner = finder.partner(index, sex=wanted)
            if partner is None:
                kind = SINGLE_PARENT if kind == COUPLE_CHILDREN else SINGLE
        elif kind == SHARED:
            partner = finder.anyone(index)
            if partner is None:
                kind = SINGLE
        if partner is not None:
            persons[partner].household = number
            adults.append(partner)
            if kind in COUPLES and rng.random() < SHARED_LAST_NAME:
                persons[partner].last_name = person.last_name
        members = [persons[i] for i in adults]
        if kind == COUPLE and any(p.category == E.PARENTAL_LEAVE for p in members):
            kind = COUPLE_CHILDREN
        households.append(
            HouseholdPlan(
                reference=f"DEMO-{number + 1:06d}",
                kind=kind,
                cohabiting=kind in COUPLES,
                adults=adults,
                children=_children(rng, kind, members, on),
                unit=UNIT_NORD if rng.random() < UNIT_NORD_SHARE else UNIT_SYD,
                street_address=_street(rng),
                postal_code=f"58{rng.randint(1, 7)} {rng.randint(10, 99)}",
            )
        )
    return households


def _children(rng: random.Random, kind: str, adults: list[PersonPlan], on: date) -> list[date]:
    newborn = any(p.category == E.PARENTAL_LEAVE for p in adults)
    if kind not in (SINGLE_PARENT, COUPLE_CHILDREN) and not newborn:
        return []
    youngest_adult = min(p.age for p in adults)
    oldest_child = max(0, min(17, youngest_adult - 18))
    born: list[date] = []
    for number in range(pick(rng, CHILD_COUNTS)):
        if newborn and number == 0:
            born.append(on - timedelta(days=rng.randint(20, 530)))
            continue
        age = rng.randint(0, oldest_child)
        born.append(on - timedelta(days=age * 365 + rng.randint(0, 364)))
    return sorted(born)


def _street(rng: random.Random) -> str:
    address = f"{rng.choice(names.STREET_NAMES)} {rng.randint(1, 60)}"
    if rng.random() < 0.7:
        address += f", lgh {rng.randint(10, 16)}{rng.randint(1, 4):02d}"
    return address


# --- support, reason codes, programmes ----------------------------------------------------


def _fill_support(rng: random.Random, person: PersonPlan, on: date) -> None:
    months = _draw_in_bands(rng, PROFILES[person.category].months)
    since = add_months(month_start(on), -months)
    person.support_since = since
    person.months_on_support = months
    if months <= 30 and rng.random() < EARLIER_PERIOD_SHARE:
        last = add_months(since, -rng.randint(3, 9))
        first = add_months(last, -rng.randint(1, 12))
        person.earlier_period = (first, last)


def _fill_reason_and_programme(rng: random.Random, person: PersonPlan, on: date) -> None:
    category = person.category
    if category == UNEMPLOYED:
        _fill_unemployed(rng, person, on)
    else:
        person.reason_code = pick(rng, PROFILES[category].reasons)
        if category == E.ESTABLISHMENT_PROGRAMME and rng.random() < ESTABLISHMENT_AF_SHARE:
            person.af_programme = "etablering"
            person.af_programme_since = on - timedelta(days=rng.randint(30, 700))
    if person.reason_code in PART_TIME_REASONS:
        person.part_time_hours = Decimal(rng.choice((8, 10, 12, 15, 16, 20, 24, 25, 30)))
    elif person.reason_code in FULL_TIME_REASONS:
        person.part_time_hours = Decimal(40)


def _fill_unemployed(rng: random.Random, person: PersonPlan, on: date) -> None:
    """Some in JOB (25+) or UGA (under 25): half under, half over the 450 days."""
    person.reason_code = pick(rng, PROFILES[UNEMPLOYED].reasons)
    programme = "UGA" if person.age < 25 else "JOB"
    share = 0.22 if programme == "UGA" else 0.14
    draw = rng.random()
    if draw < share:
        person.af_programme = programme
        person.af_programme_since = on - timedelta(days=rng.randint(60, 900))
        person.reason_code = UNEMPLOYED_LOW
    elif draw < share + 0.04:
        person.af_programme = "other"
        person.af_programme_since = on - timedelta(days=rng.randint(20, 300))


# --- exemptions ---------------------------------------------------------------------------


def _decision_day(rng: random.Random, person: PersonPlan, on: date, review_months: int) -> date:
    """The last decision or review: within about one review period back, after support began."""
    since = person.support_since or on
    back = rng.randint(0, int(review_months * 30 * 1.3))
    return max(since, on - timedelta(days=back))


def _fill_exemptions(rng: random.Random, person: PersonPlan, on: date) -> None:
    if person.target_group:
        _maybe_ended_exemption(rng, person, on)
        return
    profile = PROFILES[person.category]
    if person.af_programme == "etablering":  # implied by the programme
        if rng.random() < 0.8:
            person.reason_code = pick(rng, profile.implied)
        explicit = rng.random() < profile.explicit_share
    elif profile.implied and rng.random() >= profile.explicit_share:
        person.reason_code = pick(rng, profile.implied)
        explicit = False
    else:
        explicit = True
    if not explicit:
        return
    decided = _decision_day(rng, person, on, profile.review_months)
    person.exemptions.append(
        ExemptionPlan(
            group=person.category,
            decided_on=decided,
            review_on=add_months(decided, profile.review_months),
            note=EXEMPTION_NOTES[person.category],
        )
    )


def _maybe_ended_exemption(rng: random.Random, person: PersonPlan, on: date) -> None:
    if person.months_on_support < 8 or rng.random() >= ENDED_EXEMPTION_SHARE:
        return
    since = person.support_since or on
    decided = since + timedelta(days=rng.randint(10, 60))
    review = add_months(decided, rng.choice((3, 6)))
    ended = min(review + timedelta(days=rng.randint(0, 20)), on - timedelta(days=1))
    group = rng.choice(ENDED_EXEMPTION_GROUPS)
    person.exemptions.append(
        ExemptionPlan(
            group=group,
            decided_on=decided,
            review_on=max(review, decided),
            note=f"{EXEMPTION_NOTES[group]} {ENDED_EXEMPTION_NOTE}",
            ended_on=max(ended, decided),
        )
    )


# --- assessments (kartläggning) -----------------------------------------------------------


def target_health(rng: random.Random, sex: str, age: int, swedish: str) -> str:
    """The target-group health model (directions from the seeds, see module constants)."""
    band = age_band(age)
    factor = ILL_FACTOR_NO_LIMITATION if swedish == SWEDISH_NONE else ILL_FACTOR_LIMITATION
    if rng.random() >= min(0.95, ILL_BY_AGE[band] * factor):
        return HEALTH_NONE
    split = HEALTH_SPLIT[sex]
    shift = HEALTH_AGE_SHIFT[band]
    weights = [max(0.01, s + d) for s, d in zip(split, shift, strict=True)]
    return rng.choices(ILL_HEALTH, weights=weights)[0]


def _work_years(rng: random.Random, sex: str, age: int, swedish: str) -> int:
    share = rng.uniform(0.15, 0.6) if sex == "M" else rng.uniform(0.05, 0.45)
    if swedish == SWEDISH_LARGE:
        share *= 0.6
    return min(45, round(max(0, age - 18) * share))


CAPACITY = {
    HEALTH_NONE: (30, 35, 40, 40, 40),
    PHYSICAL: (15, 20, 25, 30),
    MENTAL: (15, 20, 25, 30),
    BOTH: (5, 10, 15, 20),
}


def _fill_assessment(rng: random.Random, person: PersonPlan, on: date) -> None:
    profile = PROFILES[person.category]
    if not person.target_group and rng.random() >= profile.assessed:
        return
    if profile.health is None:
        health = target_health(rng, person.sex, person.age, person.swedish_level)
    else:
        health = pick(rng, profile.health)
    capacity = rng.choice(CAPACITY[health])
    if person.category in (E.SICK_LISTED_FULL, E.EXTENSIVE_ILL_HEALTH):
        capacity = rng.choice((0, 0, 5, 10))
    since = person.support_since or on
    person.assessment = AssessmentPlan(
        assessed_on=min(on, since + timedelta(days=rng.randint(3, 30))),
        swedish_level=person.swedish_level,
        health=health,
        work_experience_years=_work_years(rng, person.sex, person.age, person.swedish_level),
        activity_capacity_hours=Decimal(capacity),
    )
    if person.target_group and health == BOTH and capacity <= 20 and rng.random() < 0.5:
        person.individual_weekly_hours = Decimal(capacity)
        person.individual_hours_reason = INDIVIDUAL_HOURS_REASON


# --- protected identities and caseloads ---------------------------------------------------


def _mark_protected(
    rng: random.Random, persons: list[PersonPlan], households: list[HouseholdPlan], total: int
) -> None:
    candidates = [h for h in households if h.kind in (SINGLE, SINGLE_PARENT)]
    wanted = min(len(candidates), scaled(PROTECTED_HOUSEHOLDS, total))
    for household in rng.sample(candidates, wanted):
        for index in household.adults:
            persons[index].protected_identity = True


def _assign_caseloads(
    rng: random.Random, persons: list[PersonPlan], households: list[HouseholdPlan], total: int
) -> None:
    for username, (unit, per_4000) in CASELOADS.items():
        candidates = [
            p
            for p in persons
            if p.target_group
            and households[p.household].unit == unit
            and p.case_manager is None
            and p.months_on_support >= 3
        ]
        for person in rng.sample(candidates, min(len(candidates), scaled(per_4000, total))):
            person.case_manager = username
