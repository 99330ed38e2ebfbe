"""The log never holds a search's text, and its page never shows an old entry's text to a
reader who may not see the protected person the search showed."""

from __future__ import annotations

from typing import Any

from django.test import Client

from heltid.audit.models import AccessLog, Action
from heltid.audit.services import log_access, search_detail, search_key
from tests.factories import PersonFactory, UserFactory


def _protected(staff: Any) -> Any:
    return PersonFactory(
        unit=staff.unit, first_name="Hedvig", last_name="Hemligsson", protected_identity=True
    )


def test_person_search__logs_length_key_and_shown__never_the_text(staff: Any) -> None:
    hidden = _protected(staff)
    staff.officer.protected_identity_access = True
    staff.officer.save()
    client = Client()
    client.force_login(staff.officer)
    response = client.post("/personer/", {"q": "  HEMLIGSSON "}, follow=True)
    assert response.status_code == 200 and "Hemligsson" in response.content.decode()
    entry = AccessLog.objects.filter(action=Action.SEARCH).latest("pk")
    assert "hemligsson" not in str(entry.detail).lower()
    assert entry.detail["shown"] == [hidden.pk]
    assert entry.detail["query_length"] == len("HEMLIGSSON")
    # the same words in any case and spacing: who searched for a name can be checked
    assert entry.detail["query_key"] == search_key("hemligsson")
    assert search_key("19850101-1234") == search_key("198501011234")
    assert search_key("Hemligsson") != search_key("Andersson")


def test_log_page__search_entries__no_protected_name_for_an_administrator(staff: Any) -> None:
    hidden = _protected(staff)
    log_access(
        user=staff.officer,
        action=Action.SEARCH,
        page="/personer/",
        detail=search_detail("Hemligsson", shown=[hidden.pk]),
    )
    # written before search texts were left out of the log
    log_access(
        user=staff.officer,
        action=Action.SEARCH,
        page="/personer/",
        detail={"query": "Hedvig Hemligsson", "shown": [hidden.pk]},
    )
    log_access(
        user=staff.colleague,
        action=Action.SEARCH,
        page="/personer/",
        detail={"query": "Öppensson", "shown": []},
    )
    client = Client()
    client.force_login(staff.admin)
    body = client.get("/logg/").content.decode()
    assert "Hemligsson" not in body and "Hedvig" not in body
    assert "Öppensson" in body  # a search that showed no protected person keeps its old text

    trusted = UserFactory(
        username="admin-skyddad", role=staff.admin.role, unit=None, protected_identity_access=True
    )
    client.force_login(trusted)
    assert "Hedvig Hemligsson" in client.get("/logg/").content.decode()
