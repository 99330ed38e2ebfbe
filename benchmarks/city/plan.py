"""The city planned in Python: staff, catalogue, recipients (see the package docstring)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchmarks.city.casework import Casework
from benchmarks.city.data import (
    ACTIVITY_TYPES,
    ACTOR_KINDS,
    AREAS,
    EXPLICIT_EXEMPTIONS,
    FIRST_NAMES,
    HISTORY_DAYS,
    HOURS,
    INTERVENTION_WORDS,
    LAST_NAMES,
    PASSWORD,
    REASONS,
    SEED,
    STEP_SHARES,
    STREETS,
    TRACKS,
    UNIT_WEIGHTS,
    UNITS,
    USER_PREFIX,
    Item,
    Placement,
    Resident,
    Sizes,
    Staff,
    at,
    cols,
    monday,
    month_start,
    totp_key,
)
from benchmarks.city.rows import Rows
from benchmarks.city.writer import Writer

# --- the plan of the city, in pure Python ---------------------------------------------------


class City(Casework, Rows):
    """Builds the city; one instance per build (holds the random generator and the plan)."""

    def __init__(self, recipients: int, *, day: date, seed: int = SEED) -> None:
        self.sizes = Sizes.of(recipients)
        self.day = day
        self.go_live = day - timedelta(days=HISTORY_DAYS)
        self.last_reported = monday(day) - timedelta(days=1)  # attendance up to last Sunday
        self.rng = random.Random(f"{seed}:{recipients}:{day.isoformat()}")
        self.seed = seed
        self.writer = Writer()
        self.residents: list[Resident] = []
        self.items: list[Item] = []
        self.placements: list[Placement] = []

    # -- staff and catalogue -----------------------------------------------------------------

    def staff(self) -> Staff:
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from heltid.accounts.models import Role, Unit, UnitKind, User

        s = self.sizes
        units = [
            Unit.objects.get_or_create(code=c, defaults={"name": n, "kind": UnitKind.BENEFIT})[0]
            for c, n in UNITS[: s.units]
        ]
        management = Unit.objects.get_or_create(
            code="sthlm-ledning", defaults={"name": "Ledning och analys", "kind": "management"}
        )[0]
        self.provider_units = Unit.objects.bulk_create(
            [
                Unit(code=f"stad-utforare-{n:03d}", name=f"Utförare {n:03d}", kind="provider")
                for n in range(s.providers)
            ]
        )
        password = make_password(PASSWORD)  # hashing is slow: once, then the hash is reused
        current = s.recipients * 0.7 * 0.88
        managers = max(2 * s.units, round(current / 45))
        specs: list[tuple[str, str, Any, bool]] = []  # username, role, unit, unit read access
        for u, unit in enumerate(units):
            short = unit.code.split("-", 1)[1]
            share = managers // s.units + (1 if u < managers % s.units else 0)
            specs += [(f"cm.{short}.{n:03d}", Role.CASE_MANAGER, unit, False) for n in range(share)]
            leads = max(1, round(share / 10))
            specs += [(f"tl.{short}.{n:02d}", Role.CASE_MANAGER, unit, True) for n in range(leads)]
            count = s.officers // s.units + (1 if u < s.officers % s.units else 0)
            specs += [
                (f"bo.{short}.{n:03d}", Role.BENEFIT_OFFICER, unit, False) for n in range(count)
            ]
        specs += [
            (f"pv.{n:03d}", Role.PROVIDER, pu, False) for n, pu in enumerate(self.provider_units)
        ]
        specs += [(f"an.{n:02d}", Role.ANALYST, management, False) for n in range(s.analysts)]
        specs.append(("admin", Role.ADMIN, None, False))
        users = User.objects.bulk_create(
            [
                User(
                    username=USER_PREFIX + name,
                    password=password,
                    first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)],
                    email=f"{name}@stad.heltid.invalid",
                    role=role,
                    unit=unit,
                    unit_read_access=lead,
                    is_staff=role == Role.ADMIN,
                    date_joined=at(self.go_live, 8),
                )
                for i, (name, role, unit, lead) in enumerate(specs)
            ],
            batch_size=2000,
        )
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(
                    user=u, name="Heltid", confirmed=True, key=totp_key(u.username, self.seed)
                )
                for u in users
                if u.role != Role.ANALYST
            ],
            batch_size=2000,
        )
        self.writer.counts["User"] += len(users)
        unit_index = {unit.pk: i for i, unit in enumerate(units)}
        staff = Staff(units, defaultdict(list), defaultdict(list), defaultdict(list), [], [], 0)
        for user in users:
            u = unit_index.get(user.unit_id or 0, -1)
            if user.role == Role.CASE_MANAGER:
                (staff.leads if user.unit_read_access else staff.case_managers)[u].append(user.pk)
            elif user.role == Role.BENEFIT_OFFICER:
                staff.officers[u].append(user.pk)
            elif user.role == Role.PROVIDER:
                staff.providers.append(user.pk)
            elif user.role == Role.ANALYST:
                staff.analysts.append(user.pk)
            else:
                staff.admin = user.pk
        return staff

    def catalogue(self, staff: Staff) -> None:
        """Actors (one per provider unit), their agreements and the interventions; places are
        set by :meth:`capacity` once the demand on the day is known."""
        from heltid.catalog.models import Actor, Agreement, Intervention, Step

        steps = {s.code: s for s in Step.objects.filter(code__in=[c for c, _ in STEP_SHARES])}
        codes = [c for c, _ in STEP_SHARES if c in steps]
        actors = Actor.objects.bulk_create(
            [
                Actor(
                    code=f"stad-aktor-{n:03d}",
                    name=f"{('Stadens', 'Föreningen', 'Bolaget', 'Förbundet', 'Regionens')[n % 5]}"
                    f" arbetslag {n:03d}",
                    kind=ACTOR_KINDS[n % len(ACTOR_KINDS)],
                    rank=1 + n % 2,
                    unit=unit,
                    contact_email=f"aktor{n}@stad.heltid.invalid",
                )
                for n, unit in enumerate(self.provider_units)
            ]
        )
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    code=f"stad-avtal-{n:03d}",
                    actor=actor,
                    kind=("internal", "iop", "procurement", "hangavtal")[n % 4],
                    title=f"Avtal om platser {n:03d}",
                    valid_from=self.go_live - timedelta(days=365),
                )
                for n, actor in enumerate(actors)
            ]
        )
        specs = []
        step_of = []
        for n in range(self.sizes.interventions):
            code = self._step_code(n, codes)
            low, high = HOURS[code]
            words = INTERVENTION_WORDS[code]
            specs.append(
                Intervention(
                    code=f"stad-insats-{n:03d}",
                    name=f"{words[n % len(words)]} {AREAS[n % len(AREAS)]} {n:03d}",
                    description="Insats i benchmarkstaden.",
                    provider=actors[n % len(actors)],
                    agreement=agreements[n % len(agreements)],
                    step=steps[code],
                    activity_type=ACTIVITY_TYPES[code][n % len(ACTIVITY_TYPES[code])],
                    track=TRACKS[n % len(TRACKS)],
                    hours_per_week=Decimal(low + (n * 5) % (high - low + 1)),
                    cost_per_place_month=3000 + (n * 911) % 12_000,
                    language_support=n % 4 == 0,
                    language_support_note="arabiska, somaliska, tigrinja" if n % 4 == 0 else "",
                    location=f"{AREAS[n % len(AREAS)]}, Stockholm",
                    start_date=self.go_live - timedelta(days=200),
                    status="active",
                )
            )
            step_of.append(codes.index(code))
        created = Intervention.objects.bulk_create(specs)
        provider_of_actor = dict(zip([a.pk for a in actors], staff.providers, strict=True))
        self.items = [
            Item(
                id=item.pk,
                index=n,
                step=step_of[n],
                step_code=codes[step_of[n]],
                name=item.name,
                hours=item.hours_per_week,
                provider_user=provider_of_actor[item.provider_id],
                weight=0.4 + self.rng.random() * 1.6,
            )
            for n, item in enumerate(created)
        ]
        self.step_ids = [steps[c].pk for c in codes]
        self.step_codes = codes
        self.by_step: dict[int, list[Item]] = defaultdict(list)
        for item in self.items:
            self.by_step[item.step].append(item)
        self.writer.counts["Intervention"] += len(created)

    def _step_code(self, n: int, codes: list[str]) -> str:
        """Interventions spread over the steps by STEP_SHARES, interleaved."""
        position = (n * 0.618034) % 1.0
        total = 0.0
        for code, share in STEP_SHARES:
            total += share
            if position < total and code in codes:
                return code
        return codes[-1]

    # -- recipients --------------------------------------------------------------------------

    def population(self, staff: Staff) -> None:
        from benchmarks.caseload import free_numbers
        from heltid.registry.models import Household, Person

        n = self.sizes.recipients
        rng = self.rng
        numbers = free_numbers(n)
        first_person = self.writer.reserve(Person, n)
        first_household = self.writer.reserve(Household, n)
        weights = UNIT_WEIGHTS[: self.sizes.units]
        households: list[tuple[int, str, int, bool, tuple[date, ...]]] = []
        shared: dict[int, int] = {}  # unit → an open two-adult household index
        for i in range(n):
            unit = rng.choices(range(len(weights)), weights)[0]
            if unit in shared and rng.random() < 0.5:
                h = shared.pop(unit)
            else:
                kids = self._children(rng)
                h = len(households)
                ref = f"STAD-{h:06d}"
                households.append((first_household + h, ref, unit, False, kids))
                if rng.random() < 0.15:
                    shared[unit] = h
            self.residents.append(self._resident(rng, first_person + i, i, unit, households[h]))
        cohabiting = Counter(r.household for r in self.residents)
        self.writer.write(
            Household,
            ["id", "reference", "unit_id", "cohabiting", "updated_at"],
            (
                (hid, ref, staff.units[u].pk, cohabiting[hid] > 1, at(self.go_live, 8))
                for hid, ref, u, _c, _k in households
            ),
        )
        self._children_rows(households)
        self._activation()
        self._assign(staff)
        self._persons(numbers, staff)
        self._support_and_facts(staff)

    def _children(self, rng: random.Random) -> tuple[date, ...]:
        if rng.random() >= 0.3:
            return ()
        return tuple(
            self.day - timedelta(days=rng.randint(100, 17 * 365)) for _ in range(rng.randint(1, 3))
        )

    def _resident(
        self,
        rng: random.Random,
        pk: int,
        i: int,
        unit: int,
        household: tuple[int, str, int, bool, tuple[date, ...]],
    ) -> Resident:
        label, _w, activatable = rng.choices(REASONS, [w for _l, w, _a in REASONS])[0]
        current = rng.random() < 0.7
        months = rng.randint(3, 60) if current else rng.randint(4, 40)
        support_from = month_start(self.day, months)
        left_on = None
        if not current:
            last = month_start(self.day, rng.randint(1, min(months - 1, 36)))
            left_on = last + timedelta(days=rng.randint(0, 27))
        age = rng.randint(19, 64)
        programme, since = "none", None
        roll = rng.random()
        if activatable and roll < 0.09:
            programme = "UGA" if age < 25 else "JOB"
            since = self.day - timedelta(days=rng.randint(60, 900))
        elif label.startswith("Etablering"):
            programme, since = "etablering", self.day - timedelta(days=rng.randint(30, 700))
        exemption = None
        if current and activatable and rng.random() < 0.12:
            exemption = rng.choice(EXPLICIT_EXEMPTIONS)
        earlier = None
        if current and rng.random() < 0.33 and months < 40:
            first = month_start(self.day, min(months + rng.randint(6, 20), 60))
            earlier = (first, month_start(first, -rng.randint(2, 5)))
        return Resident(
            id=pk,
            index=i,
            unit=unit,
            household=household[0],
            birth=self.day - timedelta(days=365 * age + rng.randint(0, 364)),
            sex="F" if rng.random() < 0.52 else "M",
            reason=label,
            activatable=activatable,
            programme=programme,
            programme_since=since,
            support_from=support_from,
            left_on=left_on,
            earlier=earlier if earlier and earlier[1] < support_from else None,
            exemption=exemption,
            children=household[4],
            household_ref=household[1],
            part_time=Decimal(rng.choice((10, 12, 16, 20))) if rng.random() < 0.08 else Decimal(0),
            protected=rng.random() < 0.01,
            first_name=FIRST_NAMES[rng.randrange(len(FIRST_NAMES))],
            last_name=LAST_NAMES[rng.randrange(len(LAST_NAMES))],
        )

    def _children_rows(
        self, households: list[tuple[int, str, int, bool, tuple[date, ...]]]
    ) -> None:
        from heltid.registry.models import Child

        rows = [(hid, born) for hid, _r, _u, _c, kids in households for born in kids]
        self.writer.write(Child, ["household_id", "birth_date"], rows)

    def _activation(self) -> None:
        """When each person's activation began (None: never activated), by the assumptions."""
        for r in self.residents:
            if not r.activatable or r.exemption or r.programme == "etablering":
                continue
            begins = max(month_start(r.support_from, -3), self.go_live)
            if r.programme in ("JOB", "UGA") and r.programme_since:
                begins = max(begins, r.programme_since + timedelta(days=450))
            begins += timedelta(days=self.rng.randint(0, 20))
            end = r.left_on or self.day
            if begins < end - timedelta(days=(0 if r.left_on is None else 21)):
                r.activation = begins

    def _assign(self, staff: Staff) -> None:
        """A case manager for every current recipient without an exemption, weighted so that
        caseloads differ."""
        weights = {
            u: [0.6 + self.rng.random() * 0.8 for _ in ids]
            for u, ids in staff.case_managers.items()
        }
        for r in self.residents:
            if r.left_on is None and r.exemption is None:
                ids = staff.case_managers[r.unit]
                r.case_manager = self.rng.choices(ids, weights[r.unit])[0]
            elif r.left_on is not None and r.activation and r.left_on > self.day - timedelta(90):
                r.case_manager = self.rng.choice(staff.case_managers[r.unit])  # recent exit

    def _persons(self, numbers: list[str], staff: Staff) -> None:
        from heltid.registry.models import Person

        created = at(self.go_live, 8)
        self.writer.write(
            Person,
            cols(
                "id personnummer id_kind birth_date sex first_name last_name street_address "
                "postal_code city protected_identity household_id part_time_hours reason_code_id "
                "af_programme af_programme_since unit_id case_manager_id individual_weekly_hours "
                "individual_hours_reason created_at updated_at"
            ),
            (
                (
                    r.id,
                    number,
                    "personnummer",
                    r.birth,
                    r.sex,
                    r.first_name,
                    r.last_name,
                    f"{STREETS[r.index % len(STREETS)]} {1 + r.index % 120}",
                    f"1{r.index % 9}{r.index % 10}{r.index % 7}{r.index % 10}",
                    "Stockholm",
                    r.protected,
                    r.household,
                    r.part_time,
                    self.reason_ids[r.reason],
                    r.programme,
                    r.programme_since,
                    staff.units[r.unit].pk,
                    r.case_manager,
                    Decimal(20) if r.index % 37 == 0 else None,
                    "Nedsatt förmåga enligt läkarintyg." if r.index % 37 == 0 else "",
                    created,
                    created,
                )
                for r, number in zip(self.residents, numbers, strict=True)
            ),
        )

    def _support_and_facts(self, staff: Staff) -> None:
        from heltid.registry.fact_history import first_rows, snapshot_values
        from heltid.registry.models import Exemption, PersonFact, SupportPeriod

        periods = []
        facts = []
        exemptions = []
        for r in self.residents:
            last_month = month_start(r.left_on) if r.left_on else None
            periods.append((r.id, r.support_from, last_month))
            if r.earlier:
                periods.append((r.id, *r.earlier))
            values = snapshot_values(
                af_programme=r.programme,
                af_programme_since=r.programme_since,
                part_time_hours=r.part_time,
                reason_label=r.reason,
                household=r.household_ref,
                children=r.children,
            )
            began = min(r.programme_since or r.support_from, r.support_from)
            facts += [
                (
                    f.person_id,
                    f.kind,
                    f.value,
                    f.hours,
                    f.starts_on,
                    f.ends_on,
                    began,
                    None,
                    "import",
                )
                for f in first_rows(r.id, values, recorded_on=began, source="import")
            ]
            if r.exemption:
                decided = max(r.support_from, self.day - timedelta(days=self.rng.randint(10, 300)))
                officer = self.rng.choice(staff.officers[r.unit])
                review = decided + timedelta(days=self.rng.randint(90, 180))
                review = max(review, self.day + timedelta(days=self.rng.randint(1, 60)))
                exemptions.append((r.id, r.exemption, decided, review, "", officer, None))
        self.writer.write(SupportPeriod, ["person_id", "first_month", "last_month"], periods)
        self.writer.write(
            PersonFact,
            cols("person_id kind value hours starts_on ends_on recorded_on superseded_on source"),
            facts,
        )
        self.writer.write(
            Exemption,
            ["person_id", "group", "decided_on", "review_on", "note", "decided_by_id", "ended_on"],
            exemptions,
        )
