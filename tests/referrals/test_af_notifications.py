"""Notifications to Arbetsförmedlingen: recorded, listed, exported as CSV or JSON and marked
sent in the same transaction."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from heltid.audit.models import AccessLog
from heltid.referrals.models import AfNotification
from heltid.referrals.services.notifications import COLUMNS, export_pending, notify
from tests.clock import suite_today
from tests.factories import PersonFactory

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
