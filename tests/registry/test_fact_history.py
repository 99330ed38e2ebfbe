"""Dated facts with history (decision record 0015): an import records a change from a day and
never rewrites the past; `explain --on` an earlier day answers from the facts of that day."""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from heltid.demo.recipient_files import recipient_rows
from heltid.demo.testpersonnummer import adults_aged
from heltid.registry.imports import import_recipients
from heltid.registry.imports.rows import COLUMNS, OPTIONAL_COLUMNS
from heltid.registry.models import FactKind, Person, PersonFact
from tests.clock import suite_today

TODAY = suite_today()
FIRST_IMPORT = TODAY - timedelta(days=60)
LATER_IMPORT = TODAY - timedelta(days=20)
NUMBERS = adults_aged(TODAY, low=30, high=50)


def row(number: str = NUMBERS[0], **changes: str) -> dict[str, str]:
    base = recipient_rows([number], seed=3, units=("ekb-nord",), on=FIRST_IMPORT)[0]
    base.update(bistand_sedan=f"{FIRST_IMPORT.year - 2}-01", af_program="ingen")
    base["af_program_sedan"] = ""
    return {**base, **changes}


def csv_of(rows: Sequence[dict[str, str]]) -> bytes:
    names = list(COLUMNS) + [c for c in OPTIONAL_COLUMNS if any(c in r for r in rows)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, delimiter=";", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def run(rows: Sequence[dict[str, str]], *, today: date) -> Any:
    report = import_recipients(data=csv_of(rows), filename="m.csv", acting_user=None, today=today)
    assert report.imported, report.as_json()
    return report


def explained(capsys: Any, number: str, on: date) -> Any:
    call_command("explain", number, "--on", on.isoformat(), "--json")
    return json.loads(capsys.readouterr().out)


def exclusions(result: Any) -> list[str]:
    return [r["rule"] for r in result["reasons"] if ".exclusion." in r["rule"]]


@pytest.mark.django_db
def test_explain_on_a_past_day__unchanged_by_a_later_import_that_ends_the_programme(
    staff: Any, capsys: Any
) -> None:
    started = FIRST_IMPORT - timedelta(days=100)
    run([row(af_program="JOB", af_program_sedan=started.isoformat())], today=FIRST_IMPORT)
    asked = FIRST_IMPORT + timedelta(days=10)
    before = explained(capsys, NUMBERS[0], asked)
    assert exclusions(before) == ["activity_requirement.exclusion.full_time_programme"]

    # the benefit system later says the programme ended five days after the first import
    ended = FIRST_IMPORT + timedelta(days=5)
    run(
        [
            row(
                af_program="JOB",
                af_program_sedan=started.isoformat(),
                af_program_till=ended.isoformat(),
            )
        ],
        today=LATER_IMPORT,
    )
    assert explained(capsys, NUMBERS[0], asked) == before  # the past is not rewritten
    now = explained(capsys, NUMBERS[0], LATER_IMPORT)
    assert exclusions(now) == []  # from what is known now, the programme has ended
    facts = PersonFact.objects.filter(kind=FactKind.PROGRAMME).order_by("pk")
    assert [(f.ends_on, f.recorded_on, f.superseded_on) for f in facts] == [
        (None, FIRST_IMPORT, LATER_IMPORT),
        (ended, LATER_IMPORT, None),
    ]


@pytest.mark.django_db
def test_import__benefit_from_a_day__excludes_from_that_day_and_an_old_file_keeps_it(
    staff: Any, capsys: Any
) -> None:
    run([row()], today=FIRST_IMPORT)
    since = FIRST_IMPORT + timedelta(days=3)
    run([row(ersattning="sjukpenning", ersattning_sedan=since.isoformat())], today=LATER_IMPORT)
    after = explained(capsys, NUMBERS[0], LATER_IMPORT)
    assert exclusions(after) == ["activity_requirement.exclusion.benefit"]
    # an old file, without the benefit columns, leaves the benefit as it was
    report = run([row()], today=LATER_IMPORT)
    assert report.updated == 0
    assert PersonFact.objects.filter(kind=FactKind.BENEFIT, superseded_on=None).count() == 1
    # ending it: "ingen" from a day closes it the day before and keeps the past
    stop = LATER_IMPORT + timedelta(days=1)
    run([row(ersattning="ingen", galler_fran=LATER_IMPORT.isoformat())], today=stop)
    benefit = PersonFact.objects.get(kind=FactKind.BENEFIT, superseded_on=None)
    assert (benefit.starts_on, benefit.ends_on) == (since, LATER_IMPORT - timedelta(days=1))
    assert exclusions(explained(capsys, NUMBERS[0], stop)) == []
    assert exclusions(explained(capsys, NUMBERS[0], LATER_IMPORT)) == [
        "activity_requirement.exclusion.benefit"
    ]


@pytest.mark.django_db
def test_import__part_time_and_studies_are_dated_occupations(staff: Any) -> None:
    run([row(deltid_timmar="20", studier_timmar="10")], today=FIRST_IMPORT)
    run([row(deltid_timmar="25", studier_timmar="10")], today=LATER_IMPORT)
    work = PersonFact.objects.filter(kind=FactKind.OCCUPATION, value="work").order_by("pk")
    assert [(f.hours, f.ends_on, f.superseded_on) for f in work] == [
        (20, None, LATER_IMPORT),
        (20, LATER_IMPORT - timedelta(days=1), None),
        (25, None, None),
    ]
    studies = PersonFact.objects.get(kind=FactKind.OCCUPATION, value="studies")
    assert studies.superseded_on is None  # unchanged, not rewritten


@pytest.mark.django_db
def test_import__a_person_under_18_is_refused_in_swedish(staff: Any) -> None:
    young = adults_aged(TODAY, low=17, high=17)[0]
    report = import_recipients(
        data=csv_of([row(), row(young, hushall="H-UNG")]),
        filename="m.csv",
        acting_user=None,
        today=TODAY,
    )
    assert not report.imported
    assert [(e.row, e.column) for e in report.errors] == [(3, "personnummer")]
    assert "under 18 år" in report.errors[0].message
    assert Person.objects.count() == 0  # all or nothing


@pytest.mark.django_db
def test_import__bad_optional_values__field_errors_and_nothing_written(staff: Any) -> None:
    bad = row(ersattning="semesterlön", skolform="högskola", af_program_till="2020-13-01")
    report = import_recipients(data=csv_of([bad]), filename="m.csv", acting_user=None, today=TODAY)
    assert not report.imported
    assert {e.column for e in report.errors} == {"ersattning", "skolform", "af_program_till"}
    assert PersonFact.objects.count() == 0


@pytest.mark.django_db
def test_person_page__shows_the_fact_history(staff: Any, client: Client) -> None:
    run([row(deltid_timmar="10")], today=FIRST_IMPORT)
    run([row(deltid_timmar="15", ersattning="sjukersättning")], today=LATER_IMPORT)
    person = Person.objects.get()
    person.unit = staff.officer.unit
    person.save()
    client.force_login(staff.officer)
    body = client.get(f"/personer/{person.pk}/").content.decode()
    assert 'id="facts-h"' in body
    assert "sjukersättning" in body
    assert LATER_IMPORT.isoformat() in body  # the day the old part-time figure was replaced
    assert body.count("anställning") >= 3  # the first figure, its closed copy, the new one


@pytest.mark.django_db
def test_fact_form__benefit_by_hand__excludes_and_is_logged(
    staff: Any, person: Any, client: Client
) -> None:
    from heltid.audit.models import AccessLog
    from heltid.registry.facts import coverage_facts
    from heltid.rules import explain

    client.force_login(staff.officer)
    since = TODAY - timedelta(days=10)
    response = client.post(
        f"/personer/{person.pk}/uppgifter/ny/",
        {"fact": "benefit:sjukersattning", "starts_on": since.isoformat(), "ends_on": ""},
    )
    assert response.status_code == 302
    fact = PersonFact.objects.get(person=person, kind=FactKind.BENEFIT)
    assert (fact.value, fact.starts_on, fact.recorded_on) == ("sjukersattning", since, TODAY)
    assert AccessLog.objects.filter(person=person, action="change", detail__fact="benefit").exists()
    person = Person.objects.get(pk=person.pk)
    result = explain(coverage_facts(person, on=TODAY), on=TODAY)
    assert "activity_requirement.exclusion.benefit" in [r.rule for r in result.reasons]

    # ending it keeps the past: a new version with the last day, the old row superseded
    response = client.post(
        f"/personer/{person.pk}/uppgifter/{fact.pk}/avsluta/", {"ends_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    rows = PersonFact.objects.filter(person=person, kind=FactKind.BENEFIT).order_by("pk")
    assert [(f.ends_on, f.superseded_on) for f in rows] == [(None, TODAY), (TODAY, None)]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param(
            {"fact": "occupation:work", "starts_on": "2026-01-05"}, "hours", id="no_hours"
        ),
        pytest.param(
            {"fact": "benefit:sjukpenning", "hours": "10", "starts_on": "2026-01-05"},
            "hours",
            id="hours_for_a_benefit",
        ),
        pytest.param(
            {"fact": "benefit:sjukpenning", "starts_on": "2026-03-05", "ends_on": "2026-03-01"},
            "ends_on",
            id="ends_before_it_starts",
        ),
        pytest.param({"fact": "benefit:semester", "starts_on": "2026-01-05"}, "fact", id="unknown"),
        pytest.param({"fact": "benefit:sjukpenning", "starts_on": "igår"}, "starts_on", id="date"),
    ],
)
@pytest.mark.django_db
def test_fact_form__bad_input__field_error_and_nothing_recorded(
    staff: Any, person: Any, client: Client, data: dict[str, str], field: str
) -> None:
    client.force_login(staff.officer)
    response = client.post(f"/personer/{person.pk}/uppgifter/ny/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not PersonFact.objects.filter(person=person, source="form").exists()


@pytest.mark.django_db
def test_fact_form__another_units_person__not_found_and_nothing_recorded(
    staff: Any, person: Any, client: Client
) -> None:
    client.force_login(staff.outsider)
    response = client.post(
        f"/personer/{person.pk}/uppgifter/ny/",
        {"fact": "benefit:sjukpenning", "starts_on": TODAY.isoformat()},
    )
    assert response.status_code in (403, 404)
    fact = PersonFact.objects.filter(person=person).first()
    assert fact is not None  # the factory's facts
    ended = client.post(
        f"/personer/{person.pk}/uppgifter/{fact.pk}/avsluta/", {"ends_on": TODAY.isoformat()}
    )
    assert ended.status_code in (403, 404)
    assert not PersonFact.objects.filter(person=person, superseded_on__isnull=False).exists()
    assert not PersonFact.objects.filter(person=person, kind=FactKind.BENEFIT).exists()


@pytest.mark.django_db
def test_explain_text__law_reading_and_policy_under_their_own_headings(
    staff: Any, person: Any, capsys: Any
) -> None:
    call_command("explain", person.personnummer, "--on", TODAY.isoformat())
    out = capsys.readouterr().out
    for heading in (
        "Lagen: aktivitetskravet:",
        "Heltids tolkning av lagen:",
        "Uppgifter i registret:",
    ):
        assert heading in out
    assert "Kommunens riktlinjer (inte lag):" in out
    assert out.index("Lagen: aktivitetskravet:") < out.index("Kommunens riktlinjer (inte lag):")
    assert "verifiera" not in out.lower()


@pytest.mark.django_db
def test_import__a_child_moving_out_or_in__changes_the_household_from_that_day_only(
    staff: Any,
) -> None:
    from heltid.registry.facts import coverage_facts

    child = date(TODAY.year - 3, 5, 1)
    run([row(hushall="H-1", sambo="nej", barn_fodda=child.isoformat())], today=FIRST_IMPORT)
    asked = FIRST_IMPORT + timedelta(days=5)

    def children(on: date) -> tuple[date, ...]:
        person = Person.objects.get()
        return coverage_facts(person, on=on).children_birth_dates

    assert children(asked) == (child,)
    # the benefit system says the child moved out on LATER_IMPORT, and a baby was born then
    baby = LATER_IMPORT - timedelta(days=2)
    run(
        [
            row(
                hushall="H-1",
                sambo="nej",
                barn_fodda=baby.isoformat(),
                galler_fran=LATER_IMPORT.isoformat(),
            )
        ],
        today=LATER_IMPORT,
    )
    assert children(asked) == (child,)  # the earlier day is not rewritten
    assert children(LATER_IMPORT) == (baby,)
    rows = PersonFact.objects.filter(kind=FactKind.CHILD).order_by("pk")
    assert [(f.value, f.ends_on, f.superseded_on) for f in rows] == [
        (child.isoformat(), None, LATER_IMPORT),
        (child.isoformat(), LATER_IMPORT - timedelta(days=1), None),
        (baby.isoformat(), None, None),
    ]
    # an unchanged file records nothing new
    before = PersonFact.objects.count()
    run([row(hushall="H-1", sambo="nej", barn_fodda=baby.isoformat())], today=TODAY)
    assert PersonFact.objects.count() == before


@pytest.mark.django_db
def test_import__household_with_one_adult_covered_and_the_other_excluded(
    staff: Any, capsys: Any
) -> None:
    child = date(TODAY.year - 4, 2, 10).isoformat()
    shared = {"hushall": "H-PAR", "sambo": "ja", "barn_fodda": child}
    run(
        [
            row(NUMBERS[0], **shared),
            row(NUMBERS[1], **shared, ersattning="sjukersättning"),
        ],
        today=TODAY,
    )
    first, second = explained(capsys, NUMBERS[0], TODAY), explained(capsys, NUMBERS[1], TODAY)
    assert (first["covered"], exclusions(first)) == (True, [])
    assert (second["covered"], exclusions(second)) == (
        False,
        ["activity_requirement.exclusion.benefit"],
    )
    # both adults' records know the same household and child
    for number in NUMBERS[:2]:
        facts = PersonFact.objects.filter(person__personnummer=number, superseded_on=None)
        assert {(f.kind, f.value) for f in facts if f.kind in ("household", "child")} == {
            ("household", "H-PAR"),
            ("child", child),
        }


@pytest.mark.django_db
def test_fact_end__the_household_is_not_ended_by_hand(
    staff: Any, person: Any, client: Client
) -> None:
    client.force_login(staff.officer)
    household = PersonFact.objects.get(person=person, kind=FactKind.HOUSEHOLD)
    page = client.get(f"/personer/{person.pk}/").content.decode()
    assert f"/uppgifter/{household.pk}/avsluta/" not in page
    response = client.post(
        f"/personer/{person.pk}/uppgifter/{household.pk}/avsluta/", {"ends_on": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not PersonFact.objects.filter(person=person, superseded_on__isnull=False).exists()


@pytest.mark.django_db
def test_migration__household_facts_from_the_households_recorded_now(person: Any) -> None:
    from django.apps import apps as django_apps

    from heltid.registry.models import Child

    household_facts = importlib.import_module(
        "heltid.registry.migrations.0004_household_facts"
    ).household_facts_from_households
    PersonFact.objects.filter(kind__in=[FactKind.HOUSEHOLD, FactKind.CHILD]).delete()
    born = TODAY - timedelta(days=900)
    Child.objects.create(household=person.household, birth_date=born)
    household_facts(django_apps, None)
    household_facts(django_apps, None)  # a second run adds nothing
    facts = PersonFact.objects.filter(person=person, kind__in=["household", "child"])
    assert sorted((f.kind, f.value, f.source) for f in facts) == [
        ("child", born.isoformat(), "migration"),
        ("household", person.household.reference, "migration"),
    ]
