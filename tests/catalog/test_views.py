"""Catalogue pages: roles, provider edits only its own, forms change nothing on bad input, the
participant match is scoped and logged, the public page holds no personal data, constant query
counts, and no 500 for any query string."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heltid.audit.models import AccessLog
from heltid.audit.selectors import entries_naming
from heltid.casework.models import Assessment, Health, SwedishLevel
from heltid.catalog.charts import staircase_chart
from heltid.catalog.models import CapacityChange, Intervention, InterventionStatus
from heltid.catalog.models.intervention import SwedishRequirement
from heltid.catalog.selectors import staircase
from heltid.catalog.services import capacity_set
from heltid.catalog.views import criteria_sentences
from heltid.registry.models import Person
from heltid.rules.dates import age_on
from tests.catalog.factories import (
    ActorFactory,
    AgreementFactory,
    InterventionFactory,
    default_step,
    since,
)
from tests.examples import rolled_back
from tests.factories import PersonFactory, UserFactory, next_test_personnummer

ROLES = ("officer", "case_manager", "provider", "analyst", "admin")
EDITORS = ("provider", "admin")


@pytest.fixture
def catalogue(staff: Any) -> dict[str, Any]:
    """An actor of the provider's unit (AMC) with an intervention, and another organisation's."""
    own_actor = ActorFactory(code="amc", name="Arbetsmarknadscenter", unit=staff.provider.unit)
    other_actor = ActorFactory(code="region", name="Region Östergötland")
    own = InterventionFactory(
        code="amc-traning", name="Arbetsträning AMC", provider=own_actor, places=6, occupied=2
    )
    other = InterventionFactory(
        code="region-halsa", name="Hälsoskola", provider=other_actor, places=4, occupied=4
    )
    return {"own_actor": own_actor, "other_actor": other_actor, "own": own, "other": other}


def pages(catalogue: dict[str, Any]) -> list[str]:
    return [
        "/insatser/",
        f"/insatser/{catalogue['own'].pk}/",
        "/insatser/trappan/",
        "/insatser/aktorer/",
        f"/insatser/aktorer/{catalogue['own_actor'].pk}/",
    ]


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_pages__every_role__may_read(
    staff: Any, catalogue: dict[str, Any], client: Client, role: str
) -> None:
    client.force_login(getattr(staff, role))
    for url in pages(catalogue):
        assert client.get(url).status_code == 200, url
    menu = client.get("/").content.decode()
    assert 'href="/insatser/"' in menu


def test_catalogue_pages__anonymous__sent_to_login(
    catalogue: dict[str, Any], client: Client
) -> None:
    for url in [*pages(catalogue), "/insatser/ny/", f"/insatser/{catalogue['own'].pk}/andra/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/logga-in/" in response["Location"], url


@pytest.mark.parametrize("role", sorted(set(ROLES) - set(EDITORS)))
def test_create_and_edit__role_without_catalogue_edit__403(
    staff: Any, catalogue: dict[str, Any], client: Client, role: str
) -> None:
    client.force_login(getattr(staff, role))
    assert client.get("/insatser/ny/").status_code == 403
    assert client.get(f"/insatser/{catalogue['own'].pk}/andra/").status_code == 403
    body = client.get(f"/insatser/{catalogue['own'].pk}/").content.decode()
    assert "/andra/" not in body and "/insatser/ny/" not in body


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_list__links__by_role(
    staff: Any, catalogue: dict[str, Any], client: Client, role: str
) -> None:
    client.force_login(getattr(staff, role))
    body = client.get("/insatser/").content.decode()
    assert 'href="/insatser/export/"' in body
    assert ('href="/insatser/import/"' in body) == (role == "admin")
    assert ('href="/insatser/ny/"' in body) == (role in EDITORS)


def test_detail__edit_link__only_for_those_who_may_edit_it(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    own, other = catalogue["own"], catalogue["other"]
    client.force_login(staff.provider)
    assert f"/insatser/{own.pk}/andra/" in client.get(f"/insatser/{own.pk}/").content.decode()
    assert (
        f"/insatser/{other.pk}/andra/" not in client.get(f"/insatser/{other.pk}/").content.decode()
    )
    client.force_login(staff.admin)
    assert f"/insatser/{other.pk}/andra/" in client.get(f"/insatser/{other.pk}/").content.decode()


# --- The form -------------------------------------------------------------------------------


def form_data(item: Intervention, **changes: Any) -> dict[str, Any]:
    """What the edit form posts for an intervention unchanged, with ``changes`` on top."""
    data: dict[str, Any] = {
        "name": item.name,
        "description": item.description,
        "provider": item.provider_id,
        "agreement": item.agreement_id or "",
        "step": item.step_id,
        "activity_type": item.activity_type,
        "track": item.track,
        "target_groups": item.target_group_list,
        "min_activity_hours": item.min_activity_hours or "",
        "swedish_requirement": item.swedish_requirement,
        "age_min": item.age_min or "",
        "age_max": item.age_max or "",
        "criteria_text": item.criteria_text,
        "hours_per_week": item.hours_per_week,
        "cost_per_place_month": item.cost_per_place_month,
        "location": item.location,
        "start_date": item.start_date or "",
        "end_date": item.end_date or "",
        "status": item.status,
        "places": Intervention.objects.with_capacity(on=timezone.localdate())
        .values_list("places", flat=True)
        .get(pk=item.pk),
        "reason": "",
    }
    if item.language_support:
        data["language_support"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(item: Intervention) -> tuple[dict[str, Any], list[tuple[date, int]]]:
    fresh = Intervention.objects.get(pk=item.pk)
    history = list(
        CapacityChange.objects.filter(intervention=item).values_list("valid_from", "places")
    )
    return model_to_dict(fresh), history


def test_edit__provider_own_intervention__saves_with_a_dated_capacity_change(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    own = catalogue["own"]
    client.force_login(staff.provider)
    response = client.post(
        f"/insatser/{own.pk}/andra/",
        form_data(
            own,
            name="Arbetsträning i köket",
            target_groups=["social", "unemployment"],
            age_min=18,
            age_max=29,
            places=9,
            reason="Nytt avtal",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/insatser/{own.pk}/"
    own.refresh_from_db()
    assert (own.name, own.target_groups, own.age_min, own.age_max) == (
        "Arbetsträning i köket",
        "unemployment,social",
        18,
        29,
    )
    change = CapacityChange.objects.get(intervention=own, valid_from=timezone.localdate())
    assert (change.places, change.reason, change.changed_by) == (9, "Nytt avtal", staff.provider)
    assert CapacityChange.objects.filter(intervention=own).count() == 2  # the old one kept


def test_edit__provider_other_organisations_intervention__404_and_unchanged(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    other = catalogue["other"]
    before = snapshot(other)
    client.force_login(staff.provider)
    assert client.get(f"/insatser/{other.pk}/andra/").status_code == 404
    response = client.post(f"/insatser/{other.pk}/andra/", form_data(other, name="Kapad"))
    assert response.status_code == 404
    assert snapshot(other) == before


def test_edit__provider_moves_own_intervention_to_another_organisation__field_error(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    own = catalogue["own"]
    before = snapshot(own)
    client.force_login(staff.provider)
    response = client.post(
        f"/insatser/{own.pk}/andra/", form_data(own, provider=catalogue["other_actor"].pk)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["provider"]
    assert snapshot(own) == before


def test_create__provider__only_own_actors_offered_and_created_for_own(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    client.force_login(staff.provider)
    form = client.get("/insatser/ny/").context["form"]
    assert list(form.fields["provider"].queryset) == [catalogue["own_actor"]]
    template = catalogue["own"]
    data = form_data(template, code="amc-nytt", name="Ny verkstad", places=3)
    foreign = dict(data, provider=catalogue["other_actor"].pk, code="amc-kapat")
    refused = client.post("/insatser/ny/", foreign)
    assert refused.status_code == 200 and "provider" in refused.context["form"].errors
    assert not Intervention.objects.filter(code="amc-kapat").exists()
    response = client.post("/insatser/ny/", data)
    assert response.status_code == 302
    created = Intervention.objects.with_capacity(on=timezone.localdate()).get(code="amc-nytt")
    assert (created.name, created.provider, created.places) == (  # type: ignore[attr-defined]
        "Ny verkstad",
        catalogue["own_actor"],
        3,
    )


def test_edit__admin__edits_any_organisations_intervention(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    other = catalogue["other"]
    client.force_login(staff.admin)
    response = client.post(
        f"/insatser/{other.pk}/andra/",
        form_data(other, provider=catalogue["own_actor"].pk, hours_per_week="12.5"),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.provider == catalogue["own_actor"]
    assert other.hours_per_week == Decimal("12.5")


BAD_INPUT = [
    ({"name": ""}, "name"),
    ({"age_min": 40, "age_max": 30}, "age_max"),
    ({"start_date": "2026-05-01", "end_date": "2026-04-01"}, "end_date"),
    ({"start_date": "2026-02-30"}, "start_date"),
    ({"places": -1}, "places"),
    ({"places": "många"}, "places"),
    ({"hours_per_week": "41"}, "hours_per_week"),
    ({"hours_per_week": "NaN"}, "hours_per_week"),
    ({"min_activity_hours": "-2"}, "min_activity_hours"),
    ({"target_groups": ["unemployment", "aliens"]}, "target_groups"),
    ({"status": "deleted"}, "status"),
    ({"step": 999999}, "step"),
    ({"provider": "x"}, "provider"),
    ({"status": InterventionStatus.NEEDED, "places": 3}, "places"),
    ({"reason": "x" * 201}, "reason"),
    ({"name": "nul\x00byte"}, "name"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT)
def test_edit__bad_input__error_beside_the_field_and_nothing_changes(
    staff: Any, catalogue: dict[str, Any], client: Client, changes: dict[str, Any], field: str
) -> None:
    own = catalogue["own"]
    before = snapshot(own)
    client.force_login(staff.admin)
    response = client.post(f"/insatser/{own.pk}/andra/", form_data(own, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body  # shown beside the field
    assert before[0]["name"] in body  # the heading keeps the saved name
    assert snapshot(own) == before


def test_edit__agreement_with_another_actor__field_error(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    own = catalogue["own"]
    foreign = AgreementFactory(actor=catalogue["other_actor"])
    before = snapshot(own)
    client.force_login(staff.admin)
    response = client.post(f"/insatser/{own.pk}/andra/", form_data(own, agreement=foreign.pk))
    assert list(response.context["form"].errors) == ["agreement"]
    assert snapshot(own) == before


def test_create__code_taken__field_error_and_nothing_created(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    client.force_login(staff.admin)
    count = Intervention.objects.count()
    data = form_data(catalogue["own"], code=catalogue["other"].code, name="Dubblett")
    response = client.post("/insatser/ny/", data)
    assert "code" in response.context["form"].errors
    assert Intervention.objects.count() == count


# --- Detail, staircase and actor pages --------------------------------------------------


def test_detail__criteria_capacity_history_and_agreement(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    own = catalogue["own"]
    own.agreement = AgreementFactory(actor=catalogue["own_actor"], title="Uppdrag AMC 2026")
    own.age_min, own.age_max = 20, 29
    own.save()
    capacity_set(
        intervention=own,
        places=8,
        valid_from=since().replace(month=3),
        reason="Utökning",
        acting_user=None,
    )
    client.force_login(staff.case_manager)
    response = client.get(f"/insatser/{own.pk}/")
    body = response.content.decode()
    for sentence in criteria_sentences(own):
        assert sentence in body
    more_from, agreed_from = since().replace(month=3), since()
    assert "Utökning" in body and more_from.isoformat() in body and agreed_from.isoformat() in body
    assert "Uppdrag AMC 2026" in body
    assert f'href="/insatser/aktorer/{catalogue["own_actor"].pk}/"' in body
    item = response.context["item"]
    assert (item.places, item.occupied, item.free) == (8, 2, 6)


def test_criteria_sentences__say_each_limit_in_words() -> None:
    item = Intervention(
        target_groups="ill_health",
        min_activity_hours=Decimal("12.5"),
        swedish_requirement=SwedishRequirement.MODERATE,
        age_min=25,
    )
    with translation.override("en"):
        assert criteria_sentences(item) == [
            "For these target groups: ill-health.",
            "The participant can take part at least 12.5 hours a week.",
            "Swedish language: at most moderate limitation.",
            "Age 25 years or older.",
        ]
        assert criteria_sentences(Intervention())[0] == "For every target group."
        assert criteria_sentences(Intervention())[-1] == "Any age."


def test_staircase_page__figures_per_step_and_the_missing_interventions(
    staff: Any, client: Client
) -> None:
    step = default_step("arbete-med-samhallsstod")
    InterventionFactory(step=step, places=4, occupied=4, waiting=6, cost_per_place_month=1000)
    InterventionFactory(
        step=step, name="Sociala företag", status=InterventionStatus.NEEDED, places=0
    )
    client.force_login(staff.analyst)
    response = client.get("/insatser/trappan/")
    body = response.content.decode()
    assert "Sociala företag" in body
    assert 'role="img"' in body and "<svg" in body
    row = next(r for r in response.context["staircase_rows"] if r.step == step)
    assert (row.places, row.occupied, row.free, row.waiting, row.needs) == (4, 4, 0, 6, 1)
    assert row.cost_per_month == 4000


def test_actor_pages__register_with_agreements_and_interventions(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    actor = catalogue["own_actor"]
    actor.conflicts = "Konkurrerar om samma praktikplatser"
    actor.contact_name = "Karin Kontakt"
    actor.save()
    AgreementFactory(actor=actor, title="Internt uppdrag", valid_from=since())
    client.force_login(staff.officer)
    listing = client.get("/insatser/aktorer/").content.decode()
    assert "Arbetsmarknadscenter" in listing and "Region Östergötland" in listing
    body = client.get(f"/insatser/aktorer/{actor.pk}/").content.decode()
    for text in ("Konkurrerar om samma", "Karin Kontakt", "Internt uppdrag", since().isoformat()):
        assert text in body
    assert "Arbetsträning AMC" in body and "Hälsoskola" not in body
    assert client.get("/insatser/aktorer/999999/").status_code == 404


# --- The list: filters and the participant match -----------------------------------------


def names_on(response: Any) -> set[str]:
    page = response.context["page"]
    return {item.name for item in page.object_list} if page is not None else set()


def test_list__filters__step_type_provider_free_language_status_text(
    staff: Any, catalogue: dict[str, Any], client: Client
) -> None:
    InterventionFactory(
        name="Språkcafé",
        step=default_step("sysselsattning"),
        activity_type="language",
        language_support=True,
        description="samtal på svenska",
    )
    InterventionFactory(name="Gammal kurs", status=InterventionStatus.ENDED)
    client.force_login(staff.case_manager)
    step = default_step("sysselsattning")
    assert names_on(client.get("/insatser/", {"steg": step.pk})) == {"Språkcafé"}
    assert names_on(client.get("/insatser/", {"insatstyp": "language"})) == {"Språkcafé"}
    assert names_on(client.get("/insatser/", {"sprakstod": "on"})) == {"Språkcafé"}
    assert names_on(client.get("/insatser/", {"q": "SVENSKA"})) == {"Språkcafé"}
    assert names_on(client.get("/insatser/", {"utforare": catalogue["other_actor"].pk})) == {
        "Hälsoskola"
    }
    assert "Hälsoskola" not in names_on(client.get("/insatser/", {"lediga": "on"}))
    assert names_on(client.get("/insatser/", {"status": "ended"})) == {"Gammal kurs"}


def test_list__personnummer_in_the_query_string__ignored(
    staff: Any, participant: Person, client: Client
) -> None:
    """A personal identity number is never taken from a URL (decision 0019)."""
    client.force_login(staff.case_manager)
    response = client.get("/insatser/", {"personnummer": participant.personnummer})
    assert response.status_code == 200 and response.context["match"] is None
    assert not entries_naming(participant).exists()


def test_list__paginated_by_25(staff: Any, client: Client) -> None:
    for n in range(30):
        InterventionFactory(name=f"Insats {n:02d}")
    client.force_login(staff.analyst)
    first = client.get("/insatser/")
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 30
    second = client.get("/insatser/", {"sida": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.fixture
def participant(staff: Any, person: Any) -> Person:
    """Anna, in the case manager's caseload, assessed: 20 hours a week, large Swedish
    limitation; reason code in the unemployment group."""
    Person.objects.filter(pk=person.pk).update(case_manager=staff.case_manager)
    Assessment.objects.create(
        person=person,
        assessed_on=date(2026, 1, 15),
        swedish_level=SwedishLevel.LARGE,
        health=Health.NONE,
        activity_capacity_hours=Decimal(20),
    )
    assert person.reason_code.group == "unemployment"
    return person


def criteria_catalogue(person: Person) -> None:
    """Interventions of which exactly "Öppen verkstad", "Jobbspår" and (without free places)
    "Full verkstad" fit the participant."""
    age = age_on(person.birth_date, timezone.localdate())
    InterventionFactory(name="Öppen verkstad", places=5, occupied=1)
    InterventionFactory(
        name="Jobbspår", target_groups="unemployment,social", min_activity_hours=Decimal(10)
    )
    InterventionFactory(name="Full verkstad", places=2, occupied=2)
    InterventionFactory(name="Hälsospår", target_groups="ill_health")
    InterventionFactory(name="Heltidsjobb", min_activity_hours=Decimal(30))
    InterventionFactory(name="Kontorspraktik", swedish_requirement=SwedishRequirement.FLUENT)
    InterventionFactory(name="Ungdomsspår", age_max=age - 1)
    InterventionFactory(name="Saknas", status=InterventionStatus.NEEDED, places=0)


def test_list__participant_by_personnummer__only_matching_and_logged(
    staff: Any, participant: Person, client: Client
) -> None:
    criteria_catalogue(participant)
    client.force_login(staff.case_manager)
    short = participant.personnummer[2:8] + "-" + participant.personnummer[8:]  # YYMMDD-NNNN
    response = client.post("/insatser/", {"personnummer": short}, follow=True)
    # the number went by POST; the list's address names the participant by id (decision 0019)
    assert response.redirect_chain == [(f"/insatser/?deltagare={participant.pk}", 302)]
    assert names_on(response) == {"Öppen verkstad", "Jobbspår", "Full verkstad"}
    with_free = client.post("/insatser/", {"personnummer": short, "lediga": "on"}, follow=True)
    assert names_on(with_free) == {"Öppen verkstad", "Jobbspår"}
    body = with_free.content.decode()
    assert "Anna Andersson" in body
    assert response.context["match"].missing == []
    logged = AccessLog.objects.filter(action="view", person_id=participant.pk)
    assert logged.count() == 2
    assert {(e.user_id, e.page) for e in logged} == {(staff.case_manager.pk, "/insatser/")}


def test_list__participant_by_id_from_the_person_page(
    staff: Any, participant: Person, client: Client
) -> None:
    criteria_catalogue(participant)
    client.force_login(staff.case_manager)
    person_page = client.get(f"/personer/{participant.pk}/").content.decode()
    assert f'href="/insatser/?deltagare={participant.pk}"' in person_page
    response = client.get("/insatser/", {"deltagare": participant.pk, "lediga": "on"})
    assert names_on(response) == {"Öppen verkstad", "Jobbspår"}
    assert AccessLog.objects.filter(
        action="view", person_id=participant.pk, page="/insatser/"
    ).exists()


def test_list__participant_without_assessment__says_which_facts_are_missing(
    staff: Any, person: Any, client: Client
) -> None:
    InterventionFactory(name="Heltidsjobb", min_activity_hours=Decimal(30))
    client.force_login(staff.officer)
    response = client.get("/insatser/", {"deltagare": person.pk})
    match = response.context["match"]
    assert len(match.missing) == 2 == len(match.facts.missing)
    assert "Heltidsjobb" in names_on(response)  # an unknown fact excludes nothing
    for label in match.missing:
        assert label in response.content.decode()


def test_list__participant_with_protected_identity__shown_as_skyddad_identitet(
    staff: Any, client: Client
) -> None:
    hidden = PersonFactory(
        unit=staff.unit, first_name="Ylvali", last_name="Qvarnhjelm", protected_identity=True
    )
    client.force_login(staff.officer)
    body = client.get("/insatser/", {"deltagare": hidden.pk}).content.decode()
    assert "Skyddad identitet" in body
    assert "Ylvali" not in body and "Qvarnhjelm" not in body


def not_found_error(response: Any) -> list[str]:
    assert response.status_code == 200
    assert response.context["page"] is None  # no list on bad input
    return list(response.context["form"].errors["personnummer"])


def test_list__participant_outside_the_users_persons__same_error_as_nobody_and_not_logged(
    staff: Any, participant: Person, client: Client
) -> None:
    client.force_login(staff.outsider)
    by_number = not_found_error(client.post("/insatser/", {"personnummer": participant.pk}))
    nobody = next_test_personnummer()
    while Person.objects.filter(personnummer=nobody).exists():
        nobody = next_test_personnummer()
    errors = {
        "visible elsewhere": not_found_error(
            client.post("/insatser/", {"personnummer": participant.personnummer})
        )[0],
        "nobody": not_found_error(client.post("/insatser/", {"personnummer": nobody}))[0],
        "id elsewhere": not_found_error(client.get("/insatser/", {"deltagare": participant.pk}))[0],
        "no such id": not_found_error(client.get("/insatser/", {"deltagare": 987654}))[0],
        "garbage id": not_found_error(client.get("/insatser/", {"deltagare": "1; drop"}))[0],
    }
    assert len(set(errors.values())) == 1, errors
    assert by_number  # a number that is no personnummer gets its own error
    body = client.get("/insatser/", {"deltagare": participant.pk}).content.decode()
    assert "Anna Andersson" not in body
    # refused, never viewed: each attempt on the participant is a "denied" entry (issue 12)
    actions = set(
        AccessLog.objects.filter(person_id=participant.pk).values_list("action", flat=True)
    )
    assert actions == {"denied"}


def test_list__role_that_sees_no_persons__has_no_participant_field(
    staff: Any, participant: Person, client: Client
) -> None:
    client.force_login(staff.provider)
    response = client.get("/insatser/", {"deltagare": participant.pk})
    assert "personnummer" not in response.context["form"].fields
    assert response.context["match"] is None
    assert not entries_naming(participant).exists()


def test_list__bad_filter__field_error_and_no_list(staff: Any, client: Client) -> None:
    InterventionFactory(name="Öppen verkstad")
    client.force_login(staff.officer)
    response = client.get("/insatser/", {"steg": "999999", "status": "bogus"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"steg", "status"}
    assert response.context["page"] is None
    assert 'id="id_steg_error"' in response.content.decode()


# --- The public page ----------------------------------------------------------------------


def test_public__criteria_and_free_capacity_without_login(client: Client, db: None) -> None:
    shown = InterventionFactory(
        name="Öppen verkstad", places=7, occupied=3, age_min=18, age_max=29, target_groups="social"
    )
    InterventionFactory(name="Planerad insats", status=InterventionStatus.PLANNED)
    InterventionFactory(name="Saknad insats", status=InterventionStatus.NEEDED, places=0)
    response = client.get("/offentlig/insatser/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Öppen verkstad" in body
    assert "Planerad insats" not in body and "Saknad insats" not in body
    with translation.override("sv"):
        for sentence in criteria_sentences(shown):
            assert sentence in body
        assert translation.gettext("%(free)s of %(places)s") % {"free": 4, "places": 7} in body
    assert "<svg" in body  # the staircase chart, with its table
    assert [r.places for r in response.context["staircase_rows"]] == [0, 7, 0, 0]


def test_public__contains_no_personal_data(staff: Any, client: Client) -> None:
    person = PersonFactory(unit=staff.unit, first_name="Zelmira", last_name="Östlundh")
    editor = UserFactory(
        username="redaktor-xq", first_name="Torbjörn", last_name="Xanthopoulos", unit=None
    )
    actor = ActorFactory(
        name="Arbetsmarknadscenter",
        contact_name="Kerstin Kontaktperson",
        contact_email="kerstin.k@example.se",
        contact_phone="013-20 77 11",
        unit=staff.provider.unit,
    )
    item = InterventionFactory(provider=actor, name="Öppen verkstad", places=3)
    capacity_set(
        intervention=item,
        places=5,
        valid_from=since().replace(month=2),
        reason="Beslut av Torbjörn",
        acting_user=editor,
    )
    forbidden = [
        person.first_name,
        person.last_name,
        person.personnummer,
        person.personnummer_display,
        editor.username,
        editor.first_name,
        editor.last_name,
        actor.contact_name,
        "Kerstin",
        actor.contact_email,
        actor.contact_phone,
    ]
    for user in (None, staff.officer):  # also when someone logged in looks at it
        if user is not None:
            client.force_login(user)
            forbidden += [user.username, user.first_name, user.last_name]
        body = client.get("/offentlig/insatser/").content.decode()
        assert "Öppen verkstad" in body and "Arbetsmarknadscenter" in body
        assert [s for s in forbidden if s and s in body] == []
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body), "an e-mail address"
        assert not re.search(r"\b\d{6}(\d{2})?[-+]\d{4}\b", body), "a personal identity number"


# --- Query counts -------------------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", ["/insatser/", "/insatser/?lediga=on&sprakstod=", "/offentlig/insatser/", "actor"]
)
def test_pages__query_count__does_not_grow_with_the_catalogue(
    staff: Any, client: Client, url: str
) -> None:
    actor = ActorFactory(name="Stor aktör")
    target = f"/insatser/aktorer/{actor.pk}/" if url == "actor" else url
    client.force_login(staff.case_manager)
    counts = []
    for total in (10, 60):
        while Intervention.objects.count() < total:
            n = Intervention.objects.count()
            InterventionFactory(
                provider=actor,
                places=n % 4,
                occupied=n % 3,
                status=InterventionStatus.NEEDED if n % 7 == 0 else InterventionStatus.ACTIVE,
            )
        counts.append(queries_for(client, target))
    assert counts[0] == counts[1], counts


def test_staircase_page__query_count__does_not_grow(staff: Any, client: Client) -> None:
    client.force_login(staff.analyst)
    counts = []
    for total in (10, 60):
        while Intervention.objects.count() < total:
            InterventionFactory(status=InterventionStatus.NEEDED, places=0)
        counts.append(queries_for(client, "/insatser/trappan/"))
    assert counts[0] == counts[1], counts


# --- Garbage in, no 500 --------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e9",
    "99999999999999999999999999",
    "١٢",  # Arabic-Indic digits
    "１",  # full-width digit
    "\x00",
    "'; DROP TABLE catalog_intervention; --",
    "<script>alert(1)</script>",
    "%",
    "_",
    "ÅÄÖ" * 60,
    "19121212-1212",
    "\u202e",
    "NaN",
]
PARAMS = [
    "steg",
    "insatstyp",
    "utforare",
    "status",
    "q",
    "personnummer",
    "deltagare",
    "lediga",
    "sprakstod",
    "sida",
]


@pytest.mark.parametrize("value", NASTY)
def test_list_and_public__nasty_value_in_every_parameter__never_500(
    staff: Any, participant: Person, value: str
) -> None:
    InterventionFactory()
    params = dict.fromkeys(PARAMS, value)
    for user in (staff.case_manager, staff.provider, None):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for url in ("/insatser/", "/offentlig/insatser/", "/insatser/trappan/"):
            response = client.get(url, params)
            if user is None and url != "/offentlig/insatser/":
                assert response.status_code in (302, 400)  # to the login page, if not too long
                continue
            assert response.status_code == 200, (url, value)


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=30), max_size=6),
    post=st.booleans(),
)
def test_catalogue_pages__any_input__never_500(
    staff: Any, catalogue: dict[str, Any], params: dict[str, str], post: bool
) -> None:
    with rolled_back():
        urls = [
            "/insatser/",
            "/offentlig/insatser/",
            "/insatser/ny/",
            f"/insatser/{catalogue['own'].pk}/andra/",
        ]
        form_keys = dict.fromkeys(["name", "code", "places", "age_min", "end_date", "provider"], "")
        for user in (staff.officer, staff.provider, staff.admin):
            client = Client(raise_request_exception=False)
            client.force_login(user)
            for url in urls:
                data = {**form_keys, **params} if post else params
                response = client.post(url, data) if post else client.get(url, data)
                assert response.status_code < 500, (url, params)


# --- The chart, the menu and the start page ----------------------------------------------


def test_chart__svg_image_with_a_name_and_escaped_step_names(db: None) -> None:
    step = default_step("sysselsattning")
    step.name = 'Steg <b>"ett"</b> & co'
    step.save()
    InterventionFactory(step=step, places=3, occupied=1, waiting=2)
    svg = str(staircase_chart(staircase(on=timezone.localdate())))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening and "aria-label=" in opening
    assert "<title>" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_chart__changes_with_the_figures(db: None) -> None:
    """Nothing stale: a new figure draws a new chart."""
    item = InterventionFactory(places=3, occupied=1)
    today = timezone.localdate()
    before = str(staircase_chart(staircase(on=today)))
    capacity_set(intervention=item, places=30, valid_from=today - timedelta(days=1))
    after = str(staircase_chart(staircase(on=today)))
    assert before != after


def test_chart__in_the_language_of_the_page__also_when_drawn_before(db: None) -> None:
    """The drawing is kept per figures and language: the same figures in English after Swedish
    are drawn with English labels, and Swedish again with Swedish ones."""
    InterventionFactory(places=3, occupied=1, waiting=2)
    rows = staircase(on=timezone.localdate())
    with translation.override("sv"):
        swedish = str(staircase_chart(rows))
    with translation.override("en"):
        english = str(staircase_chart(rows))
    with translation.override("sv"):
        again = str(staircase_chart(rows))
    assert ">Belagda<" in swedish and ">Occupied<" not in swedish
    assert ">Occupied<" in english and ">Belagda<" not in english
    assert again == swedish


@pytest.mark.parametrize("role", ROLES)
def test_start_page__staircase_chart__for_analysts_and_administrators(
    staff: Any, client: Client, role: str
) -> None:
    InterventionFactory(places=3)
    client.force_login(getattr(staff, role))
    body = client.get("/").content.decode()
    assert ("<svg" in body) == (role in ("analyst", "admin"))
    if role in ("analyst", "admin"):
        assert 'href="/insatser/trappan/"' in body


def test_statistics_page__links_to_the_staircase(staff: Any, client: Client) -> None:
    client.force_login(staff.analyst)
    assert 'href="/insatser/trappan/"' in client.get("/statistik/").content.decode()
