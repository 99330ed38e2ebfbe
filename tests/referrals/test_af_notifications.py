"""Notifications to Arbetsförmedlingen: recorded, listed, exported as CSV or JSON and marked
sent in the same transaction. "Socialnämnden ska meddela Arbetsförmedlingen när en
arbetssökande kan vara aktuell för aktivitetskravet": recorded once per person and coverage
start (started and ended: tests/referrals/test_referral_flow.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heltid.audit.models import AccessLog
from heltid.referrals.models import AfNotification
from heltid.referrals.services.notifications import (
    COLUMNS,
    export_pending,
    notify,
    notify_many,
    notify_may_be_covered,
)
from heltid.referrals.views.decision import PAGE_SIZE
from tests.clock import suite_today
from tests.factories import PersonFactory

TODAY = suite_today()
ABSENCE = f"Frånvaro {suite_today() - timedelta(days=1)}; utan skäl."  # yesterday's


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _export(client: Client, fmt: str) -> Any:
    return client.post(f"{reverse('af_export')}?format={fmt}")


@pytest.mark.django_db
def test_notify__one_row__who_what_when(staff: Any, person: Any) -> None:
    note = notify(
        person=person, kind="started", text="Började Lagerträning.", acting_user=staff.officer
    )
    assert AfNotification.objects.get() == note
    assert (note.person, note.kind, note.created_by, note.sent_at, note.batch) == (
        person,
        "started",
        staff.officer,
        None,
        "",
    )
    assert note.created_at is not None


@pytest.mark.django_db
def test_notify__unknown_kind__refused(person: Any) -> None:
    with pytest.raises(ValueError):
        notify(person=person, kind="gossip", text="x", acting_user=None)
    assert not AfNotification.objects.exists()


@pytest.mark.django_db
def test_list__pending_and_sent__own_unit_only(staff: Any, person: Any) -> None:
    notify(person=person, kind="absence", text="Väntar på export.", acting_user=None)
    sent = notify(person=person, kind="decision", text="Redan skickad.", acting_user=None)
    AfNotification.objects.filter(pk=sent.pk).update(sent_at=sent.created_at, batch="AF-1")
    other = PersonFactory(unit=staff.other_unit)
    notify(person=other, kind="absence", text="Annan enhets.", acting_user=None)
    page = _client(staff.officer).get(reverse("af_notifications")).content.decode()
    assert "Väntar på export." in page and "Redan skickad." in page and "AF-1" in page
    assert "Annan enhets." not in page
    assert f"{reverse('af_export')}?format=csv" in page
    assert AccessLog.objects.filter(user=staff.officer, action="view", person_id=person.pk).exists()


@pytest.mark.django_db
def test_list__pending_a_page_at_a_time__the_export_takes_them_all(staff: Any, person: Any) -> None:
    for n in range(PAGE_SIZE + 3):
        notify(person=person, kind="absence", text=f"Frånvaro nummer {n}.", acting_user=None)
    client = _client(staff.officer)
    first = client.get(reverse("af_notifications")).content.decode()
    second = client.get(reverse("af_notifications") + "?sida=2").content.decode()
    rows = re.compile(r'<tr data-notification="\d+">')
    assert len(rows.findall(first)) == PAGE_SIZE and len(rows.findall(second)) == 3
    assert f"{PAGE_SIZE + 3} underrättelser är inte skickade" in first
    assert "Frånvaro nummer 0." in first and "Frånvaro nummer 0." not in second
    assert f"Frånvaro nummer {PAGE_SIZE + 2}." in second
    assert "sida=2" in first
    body = _export(client, "csv").content.decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 1 + PAGE_SIZE + 3
    assert not AfNotification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_export_csv__bom_semicolons_columns__marked_sent(staff: Any, person: Any) -> None:
    notify(
        person=person,
        kind="absence",
        text=ABSENCE,
        acting_user=staff.provider,
    )
    notify(person=person, kind="decision", text="Beslut.", acting_user=staff.officer)
    response = _export(_client(staff.officer), "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="af-underrattelser-AF-')
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 3
    record = dict(zip(COLUMNS, rows[1], strict=True))
    batch = response["X-Heltid-Batch"]
    assert record["batch"] == batch
    assert record["personal_identity_number"] == person.personnummer
    assert record["name"] == "Anna Andersson"
    assert record["kind"] == "absence"
    assert record["text"] == ABSENCE
    assert record["unit"] == person.unit.name
    assert set(AfNotification.objects.values_list("batch", flat=True)) == {batch}
    assert AfNotification.objects.filter(sent_at__isnull=True).count() == 0
    exported = AccessLog.objects.filter(user=staff.officer, action="export")
    assert list(exported.values_list("person_id", flat=True)) == [person.pk]
    assert exported.get().detail["notifications"] == 2


@pytest.mark.django_db
def test_export_json__records__then_nothing_left(staff: Any, person: Any) -> None:
    notify(
        person=person, kind="participating", text="Deltar i kommunal aktivering.", acting_user=None
    )
    client = _client(staff.officer)
    response = _export(client, "json")
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["count"] == 1 and body["batch"] == response["X-Heltid-Batch"]
    [record] = body["notifications"]
    assert set(record) == set(COLUMNS)
    assert record["kind"] == "participating" and record["text"] == "Deltar i kommunal aktivering."
    again = _export(client, "json")
    assert again.status_code == 302  # nothing pending: back to the list with a message
    assert AfNotification.objects.get().batch == body["batch"]


@pytest.mark.django_db
def test_export__other_units_notifications__left_pending(staff: Any, person: Any) -> None:
    notify(person=person, kind="absence", text="Egen.", acting_user=None)
    other = notify(
        person=PersonFactory(unit=staff.other_unit), kind="absence", text="Annan.", acting_user=None
    )
    content = _export(_client(staff.officer), "csv").content.decode("utf-8-sig")
    assert "Egen." in content and "Annan." not in content
    other.refresh_from_db()
    assert other.sent_at is None and other.batch == ""


@pytest.mark.django_db
def test_export__formula_cells__neutralised(staff: Any, person: Any) -> None:
    notify(person=person, kind="absence", text='=HYPERLINK("http://x")', acting_user=None)
    content = _export(_client(staff.officer), "csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert rows[0]["text"] == '\'=HYPERLINK("http://x")'


@pytest.mark.django_db
def test_export__protected_identity__name_hidden(staff: Any) -> None:
    hidden = PersonFactory(
        unit=staff.unit, first_name="Dold", last_name="Dolda", protected_identity=True
    )
    notify(person=hidden, kind="absence", text="Frånvaro.", acting_user=None)
    content = _export(_client(staff.officer), "csv").content.decode("utf-8-sig")
    assert "Skyddad identitet" in content and "Dold" not in content


@pytest.mark.parametrize("fmt", ["xml", "", "csv;rm"])
@pytest.mark.django_db
def test_export__bad_format__nothing_changes(staff: Any, person: Any, fmt: str) -> None:
    notify(person=person, kind="absence", text="x", acting_user=None)
    response = _export(_client(staff.officer), fmt)
    assert response.status_code == 302
    assert AfNotification.objects.get().sent_at is None
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_export__get__not_allowed__nothing_changes(staff: Any, person: Any) -> None:
    notify(person=person, kind="absence", text="x", acting_user=None)
    response = _client(staff.officer).get(f"{reverse('af_export')}?format=csv")
    assert response.status_code == 405
    assert AfNotification.objects.get().sent_at is None


@pytest.mark.parametrize("role", ["provider", "case_manager", "analyst", "admin"])
@pytest.mark.django_db
def test_af_pages__other_roles__refused(staff: Any, person: Any, role: str) -> None:
    notify(person=person, kind="absence", text="x", acting_user=None)
    client = _client(getattr(staff, role))
    assert client.get(reverse("af_notifications")).status_code == 403
    assert _export(client, "csv").status_code == 403
    assert AfNotification.objects.get().sent_at is None


@pytest.mark.django_db
def test_export_pending__service__nothing_pending__none(staff: Any) -> None:
    assert export_pending(user=staff.officer, fmt="csv") is None


# --- May be covered by the activity requirement ------------------------------------------------


@pytest.mark.django_db
def test_may_be_covered__recorded_once_per_coverage_start(staff: Any, person: Any) -> None:
    start = TODAY - timedelta(days=3)
    note = notify_may_be_covered(person, covered_from=start, user=staff.officer, today=TODAY)
    assert note is not None
    assert (note.kind, note.covered_from, note.created_by, note.sent_at) == (
        "may_be_covered",
        start,
        staff.officer,
        None,
    )
    assert note.text == f"Kan vara aktuell för aktivitetskravet från och med {start}."
    assert timezone.localdate(note.created_at) == TODAY
    assert notify_may_be_covered(person, covered_from=start, user=None, today=TODAY) is None
    assert AfNotification.objects.count() == 1
    AfNotification.objects.filter(pk=note.pk).update(sent_at=note.created_at, batch="AF-1")
    later = TODAY + timedelta(days=1)
    assert notify_may_be_covered(person, covered_from=start, user=None, today=later) is None
    assert AfNotification.objects.count() == 1  # sent already: not again
    again = notify_may_be_covered(person, covered_from=TODAY, user=None, today=TODAY)
    assert again is not None and again.created_by is None  # coverage that begins again
    assert AfNotification.objects.filter(kind="may_be_covered").count() == 2


@pytest.mark.django_db
def test_may_be_covered__in_the_pending_csv_export_with_its_date(staff: Any, person: Any) -> None:
    start = TODAY - timedelta(days=10)
    notify_may_be_covered(person, covered_from=start, user=None, today=TODAY)
    page = _client(staff.officer).get(reverse("af_notifications")).content.decode()
    assert "Kan vara aktuell för aktivitetskravet" in page and start.isoformat() in page
    response = _export(_client(staff.officer), "csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    [record] = rows
    assert record["personal_identity_number"] == person.personnummer
    assert (record["kind"], record["kind_text"]) == (
        "may_be_covered",
        "Kan vara aktuell för aktivitetskravet",
    )
    assert start.isoformat() in record["text"]
    assert record["recorded_at"].startswith(TODAY.isoformat())
    assert record["recorded_by"] == ""
    assert AfNotification.objects.get().batch == response["X-Heltid-Batch"]


@pytest.mark.django_db
def test_may_be_covered__in_the_pending_json_export_with_its_date(staff: Any, person: Any) -> None:
    start = TODAY - timedelta(days=1)
    notify_may_be_covered(person, covered_from=start, user=staff.officer, today=TODAY)
    body = json.loads(_export(_client(staff.officer), "json").content)
    [record] = body["notifications"]
    assert record["kind"] == "may_be_covered"
    assert record["text"] == f"Kan vara aktuell för aktivitetskravet från och med {start}."
    assert record["recorded_by"] == "Hanna Handläggarsson"


@pytest.mark.django_db
def test_may_be_covered__scoped_to_the_officers_unit(staff: Any, person: Any) -> None:
    other = PersonFactory(unit=staff.other_unit, first_name="Annan", last_name="Enhetsson")
    notify_may_be_covered(person, covered_from=TODAY, user=None, today=TODAY)
    elsewhere = notify_may_be_covered(other, covered_from=TODAY, user=None, today=TODAY)
    assert elsewhere is not None
    page = _client(staff.officer).get(reverse("af_notifications")).content.decode()
    assert "Anna Andersson" in page and "Annan Enhetsson" not in page
    content = _export(_client(staff.officer), "csv").content.decode("utf-8-sig")
    assert person.personnummer in content and other.personnummer not in content
    elsewhere.refresh_from_db()
    assert elsewhere.sent_at is None and elsewhere.batch == ""
    assert (
        "Annan Enhetsson"
        in _client(staff.outsider).get(reverse("af_notifications")).content.decode()
    )


@pytest.mark.django_db
def test_may_be_covered__only_through_its_own_function(person: Any) -> None:
    """Without a coverage start it could not be recorded once: notify refuses the kind."""
    with pytest.raises(ValueError):
        notify(person=person, kind="may_be_covered", text="x", acting_user=None)
    with pytest.raises(ValueError):
        notify_many(notes=[(person.pk, "may_be_covered", "x")], acting_user=None)
    assert not AfNotification.objects.exists()


@pytest.mark.django_db
def test_af_coverage_command__the_covered_once__the_excluded_never(staff: Any) -> None:
    from django.core.management import call_command

    from heltid.referrals.models import AfNotification, NotificationKind
    from heltid.registry.models import FactKind, FactSource, PersonFact
    from tests.factories import PersonFactory, covered_from, deadlines_passed_day

    day = deadlines_passed_day()
    covered = PersonFactory(unit=staff.unit)
    excluded = PersonFactory(unit=staff.unit)
    PersonFact.objects.create(
        person=excluded,
        kind=FactKind.BENEFIT,
        value="sjukersattning",
        starts_on=day - timedelta(days=400),
        recorded_on=day - timedelta(days=400),
        source=FactSource.IMPORT,
    )
    call_command("af_coverage", "--on", day.isoformat())
    call_command("af_coverage", "--on", day.isoformat())  # a second run records nothing
    notes = AfNotification.objects.filter(kind=NotificationKind.MAY_BE_COVERED)
    assert [(n.person_id, n.covered_from) for n in notes] == [(covered.pk, covered_from())]
