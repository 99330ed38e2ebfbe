"""The city's fixed data: names, reason codes, steps, shares (see the package docstring), its
sizes, and small date helpers."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SEED = 13
# Bump when the generator changes, so a database built by an older one is rebuilt.
CITY_VERSION = 2
DEFAULT_RECIPIENTS = 35_000
PASSWORD = "heltid-stad-lasttest"  # every login of a benchmark city, never production
USER_PREFIX = "stad."
MARKER_TABLE = "benchmark_city"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
HISTORY_DAYS = 1095  # Heltid went live three years before the day
COPY_BATCH = 20_000

UNITS = (
    ("sthlm-city", "Ekonomiskt bistånd City"),
    ("sthlm-soder", "Ekonomiskt bistånd Söder"),
    ("sthlm-vast", "Ekonomiskt bistånd Väst"),
    ("sthlm-norr", "Ekonomiskt bistånd Norr"),
    ("sthlm-ost", "Ekonomiskt bistånd Öst"),
    ("sthlm-syd", "Ekonomiskt bistånd Syd"),
)
UNIT_WEIGHTS = (0.9, 1.2, 1.3, 1.0, 0.7, 0.9)
STEP_SHARES = (
    ("sysselsattning", 0.30),
    ("arbetsinriktad-rehabilitering", 0.35),
    ("arbete-med-samhallsstod", 0.20),
    ("arbete-studier", 0.15),
)
QUEUE_STEP = "arbete-med-samhallsstod"
FIRST_NAMES = (
    "Anna",
    "Maria",
    "Fatima",
    "Sara",
    "Amina",
    "Leila",
    "Eva",
    "Hodan",
    "Zeynep",
    "Karin",
    "Elin",
    "Nour",
    "Erik",
    "Mohammed",
    "Johan",
    "Ali",
    "Ahmed",
    "Lars",
    "Dawit",
    "Omar",
    "Mehmet",
    "Anders",
    "Yusuf",
    "Mikael",
    "Abdi",
    "Per",
    "Hassan",
    "Jonas",
    "Ibrahim",
    "Peter",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Hassan",
    "Mohamed",
    "Ahmed",
    "Ali",
    "Yilmaz",
    "Abdullahi",
    "Nguyen",
    "Kaya",
    "Lindberg",
    "Berg",
    "Lind",
    "Axelsson",
    "Öberg",
    "Hussein",
    "Omar",
    "Jama",
    "Nyström",
    "Holm",
    "Sandberg",
    "Warsame",
    "Bergström",
    "Lundqvist",
    "Mattsson",
    "Farah",
    "Said",
    "Demir",
    "Ekström",
    "Sjöberg",
)
STREETS = ("Hornsgatan", "Rinkebysvängen", "Västberga allé", "Tenstavägen", "Götgatan")
# Reason codes (labels of the default list) with a weight and whether the person can be
# activated (work-related reasons); see the module docstring.
REASONS = (
    ("Arbetslös, ingen ersättning/stöd", 22, True),
    ("Arbetslös, otillräcklig ersättning/stöd", 10, True),
    ("Arbetslös, väntar på ersättning/stöd", 4, True),
    ("Arbetar deltid ofrivilligt, otillräcklig inkomst", 5, True),
    ("Arbetshinder, sociala skäl", 12, True),
    ("Saknar barnomsorg", 3, True),
    ("Sjukskriven med läkarintyg, ingen sjukpenning", 8, False),
    ("Sjukskriven med läkarintyg, otillräcklig sjukpenning", 4, False),
    ("Sjuk-/Aktivitetsersättning otillräcklig", 5, False),
    ("Föräldrapenning otillräcklig", 5, False),
    ("Pension/Äldreförsörjningsstöd otillräcklig", 3, False),
    ("Etableringsersättning otillräcklig", 5, False),
    ("Arbetar heltid, otillräcklig inkomst", 3, False),
    ("Utan försörjningshinder", 2, False),
    ("Ensamkommande ungdom 18-20 år, gymnasiestuderande", 1, False),
)
EXPLICIT_EXEMPTIONS = (
    "parental_leave",
    "health_investigation",
    "fk_application",
    "addiction_care",
    "probation_sig",
)
EXIT_REASONS = (
    ("work_regular", 35),
    ("work_subsidised", 10),
    ("studies", 15),
    ("sickness_compensation", 10),
    ("unemployment_insurance", 10),
    ("other_support", 5),
    ("moved", 10),
    ("other", 5),
)
INTERVENTION_WORDS = {
    "sysselsattning": ("Mötesplats", "Friskvård och rutiner", "Språkcafé", "Kreativ verkstad"),
    "arbetsinriktad-rehabilitering": ("Arbetsträning", "Arbetsprövning", "Språkpraktik"),
    "arbete-med-samhallsstod": ("Supported employment", "Lönestödsjobb", "Extratjänst"),
    "arbete-studier": ("Jobbsökarstöd", "Yrkessvenska", "Studiestart", "Matchning mot arbete"),
}
ACTIVITY_TYPES = {
    "sysselsattning": ("health", "work_ability", "language"),
    "arbetsinriktad-rehabilitering": ("work_ability", "workplace"),
    "arbete-med-samhallsstod": ("workplace",),
    "arbete-studier": ("job_search", "workplace", "language"),
}
HOURS = {
    "sysselsattning": (10, 20),
    "arbetsinriktad-rehabilitering": (20, 30),
    "arbete-med-samhallsstod": (30, 40),
    "arbete-studier": (20, 40),
}
AREAS = (
    "Rinkeby",
    "Tensta",
    "Skärholmen",
    "Farsta",
    "Hässelby",
    "Husby",
    "Bagarmossen",
    "Älvsjö",
    "Liljeholmen",
    "Kista",
    "Vällingby",
    "Hökarängen",
)
ACTOR_KINDS = ("municipal", "civil_society", "business", "samordningsforbund", "region")
TRACKS = ("employer", "municipal", "care", "adult_education", "business", "civil_society")
LAW_APPLIES_FROM = date(2026, 7, 1)  # SoL (2025:400) 12 kap., the activity requirement


# --- the plan's records ---------------------------------------------------------------------


@dataclass(slots=True)
class Resident:
    id: int
    index: int
    unit: int
    household: int
    birth: date
    sex: str
    reason: str
    activatable: bool
    programme: str
    programme_since: date | None
    support_from: date
    left_on: date | None  # the last day on support, None = still on it
    earlier: tuple[date, date] | None
    exemption: str | None
    children: tuple[date, ...]
    household_ref: str
    part_time: Decimal
    protected: bool
    activation: date | None = None
    case_manager: int | None = None
    first_name: str = ""
    last_name: str = ""


@dataclass(slots=True)
class Item:
    """An intervention as the simulation sees it."""

    id: int
    index: int
    step: int  # index into the steps, lowest first
    step_code: str
    name: str
    hours: Decimal
    provider_user: int
    weight: float
    places: int = 0


@dataclass(slots=True)
class Placement:
    id: int
    person: Resident
    item: Item
    activity_id: int
    plan_id: int
    created: date
    response: date
    declined: bool = False
    waiting_since: date | None = None
    offered: date | None = None
    accepted: date | None = None
    started: date | None = None
    ended: date | None = None
    status: str = "sent"
    withdrawn: bool = False
    priority: int = 0
    slot: int | None = None
    refused: bool = False


@dataclass
class Staff:
    units: list[Any]
    case_managers: dict[int, list[int]]  # unit index → user ids
    leads: dict[int, list[int]]
    officers: dict[int, list[int]]
    providers: list[int]
    analysts: list[int]
    admin: int


@dataclass
class CitySummary:
    recipients: int
    day: date
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        total = sum(self.rows.values())
        out = [
            f"Benchmark city: {self.recipients:,} recipients on {self.day.isoformat()}, "
            f"{total:,} rows in {self.seconds:.1f} s"
        ]
        out += [f"  {name:<16} {count:>10,}" for name, count in sorted(self.rows.items())]
        return out


# --- sizes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """The city's staff and catalogue for a number of recipients (see the module docstring)."""

    recipients: int
    units: int
    interventions: int
    providers: int
    officers: int
    analysts: int

    @classmethod
    def of(cls, recipients: int) -> Sizes:
        interventions = max(12, round(recipients / 233))
        return cls(
            recipients=recipients,
            units=min(len(UNITS), max(2, math.ceil(recipients / 6000))),
            interventions=interventions,
            providers=max(4, round(interventions / 3.5)),
            officers=max(2, round(recipients / 115)),
            analysts=max(2, round(recipients / 5000)),
        )


def cols(names: str) -> list[str]:
    """A table's columns, written as one string."""
    return names.split()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of a business day in Stockholm."""
    return datetime.combine(day, clock(hour, minute), tzinfo=STOCKHOLM)


def month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def totp_key(username: str, seed: int = SEED) -> str:
    """The hex key of a city login's authenticator (derived, so the load test can type codes)."""
    return hashlib.sha1(f"heltid-city:{seed}:{username}".encode()).hexdigest()
