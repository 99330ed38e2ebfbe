"""The dashboard page: who may see it, its filters, bad input, and the demo's seed facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from heltid.demo.generator import build_demo
from heltid.insights import metrics
from heltid.insights.filters import InsightFilter
from heltid.rules.dates import add_months, month_start
from tests.clock import suite_today
from tests.conftest import Staff
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/statistik/oversikt/"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_dashboard__url__named() -> None:
    assert reverse("dashboard") == URL


@pytest.mark.parametrize("who", ["officer", "case_manager", "provider"])
def test_dashboard__without_statistics_permission__forbidden(staff: Staff, who: str) -> None:
    response = _client(getattr(staff, who)).get(URL)
    assert response.status_code in (403, 404)


def test_dashboard__anonymous__sent_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_dashboard__statistics_users__sections_charts_and_tables(staff: Staff, who: str) -> None:
    for _ in range(6):
        PersonFactory(unit=staff.unit, sex="F", support_since=date(2025, 1, 1))
    response = _client(getattr(staff, who)).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for section in ("inventory-h", "coverage-h", "lead-h", "follow-h", "exits-h", "capacity-h"):
        assert f'id="{section}"' in body
    assert "<svg" in body and 'role="img"' in body
    assert "<table>" in body


def test_dashboard__small_counts__suppressed(staff: Staff) -> None:
    for _ in range(3):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    response = _client(staff.analyst).get(URL)
    inventory_rows = response.context["inventory_rows"]
    assert inventory_rows[0].count is None  # three recipients
    assert "&lt;5" in response.content.decode()


def test_dashboard__filters__passed_on(staff: Staff) -> None:
    response = _client(staff.analyst).get(
        URL,
        {
            "fran": "2026-01-01",
            "till": "2026-06-30",
            "enhet": "ekb-nord",
            "kon": "F",
            "alder": "30-44",
            "steg": "sysselsattning",
        },
    )
    assert response.status_code == 200
    # a past period: flows as recorded when its figures were first stored
    assert response.context["filter"].known_at == response.context["snapshot"].taken_at
    assert replace(response.context["filter"], known_at=None) == InsightFilter(
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        unit="ekb-nord",
        sex="F",
        age_group="30-44",
        step="sysselsattning",
    )
    assert len(response.context["month_rows"]) == 6


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"fran": "igår"}, "fran"),
        ({"till": "2026-13-45"}, "till"),
        ({"fran": "2026-06-01", "till": "2026-01-01"}, "till"),
        ({"fran": "1900-01-01"}, "fran"),
        ({"fran": "2000-01-01", "till": "2026-01-01"}, "till"),
        ({"kon": "X"}, "kon"),
        ({"alder": "99-100"}, "alder"),
        ({"steg": "trappan"}, "steg"),
        ({"enhet": "\x00"}, "enhet"),
    ],
)
def test_dashboard__bad_input__field_error_not_500(
    staff: Staff, query: dict[str, str], field: str
) -> None:
    response = _client(staff.analyst).get(URL, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "inventory" not in response.context
    assert f'id="id_{field}_error"' in response.content.decode()


def test_dashboard__repeated_and_huge_parameters__not_500(staff: Staff) -> None:
    client = _client(staff.analyst)
    assert client.get(URL + "?fran=2026-01-01&fran=x&kon=F&kon=M").status_code == 200
    assert client.get(URL, {"fran": "9" * 5000}).status_code == 200


@pytest.mark.slow
def test_dashboard__demo__shows_the_seed_facts(staff: Staff) -> None:
    day = suite_today()
    build_demo(seed=1, on=day)
    f = InsightFilter(start=add_months(month_start(day), -11), end=day)  # this month and 11
    base = metrics.population(f)

    inv = metrics.inventory(f, base=base)
    assert inv.recipients == pytest.approx(4000, rel=0.02)
    assert inv.target_group == pytest.approx(1800, rel=0.05)
    assert inv.target_women_share > 0.5
    assert inv.target_ill_health_share == pytest.approx(0.70, abs=0.05)

    capacity = metrics.capacity_vs_demand(day, base=base)
    supported_work = capacity.step("arbete-med-samhallsstod")
    assert supported_work.demand > supported_work.places
    assert supported_work.gap_places > 0 and supported_work.gap_sek_per_month > 0
    assert capacity.missing

    response = _client(staff.analyst).get(
        URL, {"fran": f.start.isoformat(), "till": day.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["inventory_rows"][1].count == inv.target_group
    shown = {r["step"]: r for r in response.context["capacity_rows"]}
    assert shown[supported_work.step_name]["demand"] > shown[supported_work.step_name]["places"]


def test_dashboard__one_exempted__the_recipients_are_hidden_too(staff: Staff) -> None:
    """Recipients = target group + exempted + the rest: with one exempted hidden, showing the
    recipients and the target group would give the one back by subtraction."""
    from heltid.registry.models import Exemption

    people = [PersonFactory(unit=staff.unit, support_since=date(2026, 1, 1)) for _ in range(12)]
    Exemption.objects.create(
        person=people[0],
        group="parental_leave",
        decided_on=date(2026, 1, 5),
        review_on=date(2027, 1, 5),
    )
    response = _client(staff.analyst).get(URL, {"fran": "2026-01-01", "till": "2026-06-30"})
    rows = response.context["inventory_rows"]
    assert rows[4].count is None  # exempted: 1
    assert rows[0].count is None or rows[1].count is None  # recipients or the target group
    assert all(r.pct is None for r in rows[:6] if r.count is None)
