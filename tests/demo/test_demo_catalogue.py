"""The demo catalogue reproduces the seeds' capacity insight (issue 3, item 8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction

from heltid.accounts.models import User
from heltid.accounts.permissions import may_edit_intervention
from heltid.catalog.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    CapacityChange,
    Intervention,
    InterventionStatus,
    OccupancyCount,
    Track,
)
from heltid.catalog.selectors import StepSummary, editable_interventions, staircase
from heltid.demo.catalogue import build_catalogue
from heltid.demo.generator import build_demo
from tests.clock import suite_today

DAY = suite_today()

# The seeds' actor table: rank 1 = more affected, 2 = less (Arbetsförmedlingen "1 eller 2").
SEED_RANKS = {
    "forsorjningsinsatser": 1,
    "amc": 1,
    "arbetsformedlingen": 1,
    "regionen": 2,
    "forsakringskassan": 2,
    "hr-arbetsgivare": 1,
    "vuxenutbildningen": 2,
    "aldre-funktionsnedsatta": 2,
    "idrott-och-service": 1,
    "rad-och-stod": 1,
    "iop": 1,
    "civilsamhallet": 2,
    "naringslivet": 1,
    "barnomsorg": 2,
    "csn": 2,
    "samordningsforbundet": 2,
    "fritidsverksamhet": 2,
}


@pytest.fixture
def catalogue(db: None) -> None:
    build_catalogue(today=DAY)


def _steps(on: date = DAY) -> dict[str, StepSummary]:
    return {s.step.code: s for s in staircase(on=on)}


def _snapshot() -> list[tuple[object, ...]]:
    actors = list(
        Actor.objects.order_by("code").values_list(
            *[f.name for f in Actor._meta.concrete_fields if f.name not in ("id", "unit")],
            "unit__code",
        )
    )
    agreements = list(
        Agreement.objects.order_by("code").values_list(
            "code", "actor__code", "kind", "title", "valid_from", "valid_to", "note"
        )
    )
    fields = [
        f.name
        for f in Intervention._meta.concrete_fields
        if f.name not in ("id", "updated_at", "provider", "agreement", "step")
    ]
    interventions = list(
        Intervention.objects.order_by("code").values_list(
            *fields, "provider__code", "agreement__code", "step__code"
        )
    )
    changes = list(
        CapacityChange.objects.order_by("intervention__code", "valid_from").values_list(
            "intervention__code", "valid_from", "places", "reason"
        )
    )
    counts = list(
        OccupancyCount.objects.order_by("intervention__code", "valid_from").values_list(
            "intervention__code", "valid_from", "occupied", "waiting", "source"
        )
    )
    return [*actors, *agreements, *interventions, *changes, *counts]


def test_actors__seeds_table__seventeen_with_their_ranks(catalogue: None) -> None:
    actors = {a.code: a for a in Actor.objects.all()}
    assert {code: a.rank for code, a in actors.items()} == SEED_RANKS
    assert "1 eller 2" in actors["arbetsformedlingen"].rank_note
    for actor in actors.values():
        assert actor.affects and actor.affected and actor.conflicts, actor.code
        assert actor.contact_email.endswith(".example"), actor.code
        actor.full_clean()
    assert "Kö till insatserna" in actors["amc"].conflicts
    assert "obekväm arbetstid" in actors["barnomsorg"].conflicts


def test_agreements__every_kind_the_seeds_name__with_dates_in_order(catalogue: None) -> None:
    kinds = set(Agreement.objects.values_list("kind", flat=True))
    assert {
        AgreementKind.ATTACHED,
        AgreementKind.IOP,
        AgreementKind.INTERNAL,
        AgreementKind.PROCUREMENT,
    } <= kinds
    titles = " ".join(Agreement.objects.values_list("title", flat=True))
    assert "daglig verksamhet" in titles and "KOF" in titles and "MOS" in titles
    for agreement in Agreement.objects.all():
        assert agreement.valid_from <= DAY
        assert agreement.valid_to is None or agreement.valid_to >= agreement.valid_from
        agreement.full_clean()


def test_interventions__demo__cover_steps_tracks_and_stay_valid(catalogue: None) -> None:
    interventions = list(Intervention.objects.select_related("step"))
    assert 30 <= len(interventions) <= 45
    assert {i.step.code for i in interventions} == set(_steps())
    assert {i.track for i in interventions} == set(Track.values)
    assert any(i.language_support and i.language_support_note for i in interventions)
    assert any(i.min_activity_hours is not None for i in interventions)
    assert any(i.age_min is not None for i in interventions)
    for intervention in interventions:
        intervention.full_clean()


def test_needs__nine_missing_interventions__recorded_without_places(catalogue: None) -> None:
    needs = Intervention.objects.with_capacity(on=DAY).filter(status=InterventionStatus.NEEDED)
    assert needs.count() == 9
    assert {n.places for n in needs} == {0}  # type: ignore[attr-defined]
    names = " ".join(needs.values_list("name", flat=True)).lower()
    for word in ("samhällsinformation", "datakunskap", "studievägledning", "vuxenutbildning"):
        assert word in names
    for word in ("ute", "sfi", "intervju", "cv", "hälsofrämjande"):
        assert word in names
    assert sum(s.needs for s in staircase(on=DAY)) == 9


def test_staircase__demo_day__enough_work_training_too_few_supported_jobs(
    catalogue: None,
) -> None:
    steps = _steps()
    rehab = steps["arbetsinriktad-rehabilitering"]
    supported = steps["arbete-med-samhallsstod"]
    assert rehab.free > rehab.waiting > 0
    assert supported.free == 0
    assert supported.waiting > 2 * supported.places // 3
    assert supported.occupied == supported.places
    assert rehab.places > 3 * supported.places
    assert all(s.cost_per_month > 0 for s in steps.values())


def test_support_team__demo_day__full_with_a_queue(catalogue: None) -> None:
    team = Intervention.objects.with_capacity(on=DAY).get(code="support-och-arbetsteamet")
    assert team.status == InterventionStatus.ACTIVE
    assert team.places > 0 and team.free == 0  # type: ignore[attr-defined]
    assert team.occupied == team.places  # type: ignore[attr-defined]
    assert team.waiting > 10  # type: ignore[attr-defined]
    assert team.provider.name.startswith("Råd och stöd")


def test_capacity__a_date_in_the_past_year__answers_with_the_places_then(
    catalogue: None,
) -> None:
    def places(on: date) -> dict[str, int]:
        return dict(
            Intervention.objects.with_capacity(on=on).values_list("code", "places")  # type: ignore[misc]
        )

    now, year_ago = places(DAY), places(DAY - timedelta(days=365))
    changed = {code for code in now if now[code] != year_ago[code]}
    assert len(changed) >= 4
    assert year_ago["kof-stodd-anstallning"] < now["kof-stodd-anstallning"]
    assert year_ago["vaxthus-arbetstraning"] > 0 == now["vaxthus-arbetstraning"]
    # the planned broader Support- och arbetsteamet has its places only from its start
    assert now["support-och-arbetsteamet-utokat"] == 0
    assert places(DAY + timedelta(days=100))["support-och-arbetsteamet-utokat"] > 0


@pytest.mark.django_db
def test_build_demo__provider_login__edits_its_own_actors_interventions() -> None:
    build_demo(seed=3, on=DAY, recipients=40)
    assert Actor.objects.count() == 17
    amc = Actor.objects.get(code="amc")
    assert amc.name == "Arbetsmarknadscentrum/AMC"
    assert amc.unit is not None and amc.unit.code == "amc"
    provider = User.objects.get(username="utforare.amc")
    editable = editable_interventions(user=provider)
    assert editable.count() == amc.interventions.count() > 5
    assert set(editable.values_list("provider__code", flat=True)) == {"amc"}
    team = Intervention.objects.get(code="support-och-arbetsteamet")
    assert not may_edit_intervention(provider, team)
    assert may_edit_intervention(User.objects.get(username="utforare.leanlink"), team)


@pytest.mark.django_db
def test_build__twice_in_separate_transactions__identical_rows() -> None:
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            build_catalogue(today=DAY)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)
    assert Intervention.objects.count() == 0
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) > 100


@pytest.mark.django_db
def test_build__catalogue_already_there__left_alone() -> None:
    Actor.objects.create(code="egen-aktor", name="Egen aktör", kind=ActorKind.BUSINESS, rank=2)
    build_catalogue(today=DAY)
    assert list(Actor.objects.values_list("code", flat=True)) == ["egen-aktor"]
    assert not Intervention.objects.exists()
