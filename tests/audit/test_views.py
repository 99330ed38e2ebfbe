from __future__ import annotations

from typing import Any

from django.test import Client

from heltid.audit.models import Action
from heltid.audit.services import log_access


def test_audit_search__by_person_and_by_user(staff: Any, person: Any, client: Client) -> None:
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/p/")
    log_access(user=staff.colleague, action=Action.SEARCH, page="/s/")
    client.force_login(staff.admin)
    by_person = client.post("/logg/", {"personnummer": person.personnummer}, follow=True)
    by_person = by_person.content.decode()
    assert "handlaggare" in by_person and "kollega" not in by_person
    by_user = client.post("/logg/", {"username": "kollega"}, follow=True).content.decode()
    assert "kollega" in by_user and person.personnummer_display not in by_user


def test_audit_search__bad_personnummer__field_error(staff: Any, client: Client) -> None:
    client.force_login(staff.admin)
    response = client.post("/logg/", {"personnummer": "12345"}, follow=True)
    assert response.status_code == 200
    assert "personnummer_error" in response.content.decode()
