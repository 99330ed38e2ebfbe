"""Scope every write (issue 12, decision record 0020): a table of probes over every form that
takes a person. A user of another unit posts plausible input to each person page's address (the
walk of tests/audit/test_log_coverage.py, derived from the resolver): every probe is refused and
changes nothing in the registry, the casework or the referrals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from tests.audit.test_log_coverage import PATTERNS, PERSON_PAGES, World, _url, _users, world

__all__ = ["world"]  # the fixture, shared with the log walk

WRITE_APPS = ("registry", "casework", "referrals", "catalog", "accounts")


def _fingerprint() -> dict[str, tuple[int, str]]:
    """Rows and the latest change of every model the forms write (the access log left out:
    a refusal adds to it)."""
    result: dict[str, tuple[int, str]] = {}
    for label in WRITE_APPS:
        for model in apps.get_app_config(label).get_models():
            rows = list(model._default_manager.order_by("pk").values())
            result[model._meta.label] = (len(rows), repr(rows)[-20_000:])
    return result


def _payload() -> dict[str, str]:
    """Input a form of any of these pages would accept: dates, hours, texts and choices."""
    today = timezone.localdate()
    day = today.isoformat()
    return {
        "starts_on": day,
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "decided_on": day,
        "review_on": (today + timedelta(days=90)).isoformat(),
        "ended_on": day,
        "fact": "benefit:sjukpenning",
        "individual_weekly_hours": "10",
        "individual_hours_reason": "Anpassat efter förmåga.",
        "group": "extensive_ill_health",
        "note": "Prov.",
        "goal": "Arbete",
        "exit_target": "work",
        "kind": "job_search",
        "title": "Söka arbete",
        "hours_per_week": "10",
        "status": "done",
        "reason": "work_regular",
        "exit_on": day,
        "held_on": day,
        "mode": "meeting",
        "summary": "Prov.",
        "step": "1",
        "case_manager": "1",
        "persons": "1",
        "intervention": "1",
        "outcome": "refuse",
        "finding": "no_acceptable_reason",
        "child_impact": "Prov.",
        "text": "Prov.",
    }


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_probe__user_of_another_unit_posts__refused_and_nothing_changes(
    name: str, world: World, deadlines_passed: Any
) -> None:
    pattern = PATTERNS[name]
    _allowed, outsider = _users(pattern, world)
    client = Client()
    client.force_login(outsider)
    before = _fingerprint()
    response = client.post(_url(pattern, world), _payload())
    assert response.status_code in (403, 404, 405) or (
        response.status_code == 200 and world.person.last_name not in response.content.decode()
    ), (name, response.status_code)
    assert _fingerprint() == before, name


@pytest.mark.parametrize("name", ["fact_add", "weekly_hours_edit", "exemption_add"])
def test_probe__the_allowed_user_with_the_same_input__changes_something(
    name: str, world: World, deadlines_passed: Any
) -> None:
    """Control: the payload is one these forms accept, so an unscoped form would fail above."""
    pattern = PATTERNS[name]
    allowed, _outsider = _users(pattern, world)
    client = Client()
    client.force_login(allowed)
    before = _fingerprint()
    response = client.post(_url(pattern, world), _payload())
    assert response.status_code == 302, (name, response.status_code)
    assert _fingerprint() != before
