"""Administrators configure the staircase and the actor register; steps can be renamed,
added and reordered without touching history."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import ProtectedError
from django.test import Client

from heltid.catalog.models import Step
from heltid.catalog.selectors import staircase
from tests.catalog.factories import InterventionFactory, default_step, since

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/admin/catalog/step/", "/admin/catalog/actor/", "/admin/registry/reasoncode/"]
)
def test_admin_pages__admin_only(staff: Any, client: Client, path: str) -> None:
    client.force_login(staff.admin)
    assert client.get(path).status_code == 200
    client.force_login(staff.provider)
    assert client.get(path).status_code == 302  # to the admin login, not the page


def test_steps__renamed_reordered_and_added__history_keeps_its_step(staff: Any) -> None:
    item = InterventionFactory(step=default_step("arbete-med-samhallsstod"), places=3)
    step = item.step
    step.name = "Stödd anställning"
    step.position = 1
    step.save()
    Step.objects.filter(code="sysselsattning").update(position=2)
    Step.objects.create(code="ny-niva", name="Nytt steg", position=9)
    item.refresh_from_db()
    assert item.step.code == "arbete-med-samhallsstod"
    summary = staircase(on=since().replace(month=2))
    assert [s.step.name for s in summary][:2] == ["Stödd anställning", "Sysselsättning"]
    assert summary[0].places == 3 and summary[-1].step.code == "ny-niva"


def test_steps__in_use__cannot_be_deleted(db: None) -> None:
    InterventionFactory(step=default_step("sysselsattning"))
    with pytest.raises(ProtectedError):
        default_step("sysselsattning").delete()


def test_admin__step_rename_through_the_admin_form(staff: Any, client: Client) -> None:
    client.force_login(staff.admin)
    step = default_step("sysselsattning")
    response = client.post(
        f"/admin/catalog/step/{step.pk}/change/",
        {
            "code": step.code,
            "name": "Daglig sysselsättning",
            "description": "",
            "position": step.position,
            "active": "on",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.name == "Daglig sysselsättning"
