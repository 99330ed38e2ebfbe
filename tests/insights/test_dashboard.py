"""The dashboard page: who may see it, its filters, bad input, and the demo's seed facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heltid.background.models import StoredResult
from heltid.demo.generator import build_demo
from heltid.insights import metrics
from heltid.insights.filters import InsightFilter
from heltid.insights.models import Snapshot, SnapshotRow
from heltid.rules.dates import add_months, month_start
from tests.background.worker import run_worker
from tests.clock import suite_today
from tests.conftest import Staff
from tests.factories import PersonFactory
from tests.insights.made import made

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
    response = made(_client(getattr(staff, who)), URL)
    assert response.status_code == 200
    body = response.content.decode()
    for section in ("inventory-h", "coverage-h", "lead-h", "follow-h", "exits-h", "capacity-h"):
        assert f'id="{section}"' in body
    assert "<svg" in body and 'role="img"' in body
    assert "<table>" in body


def test_dashboard__small_counts__suppressed(staff: Staff) -> None:
    for _ in range(3):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    response = made(_client(staff.analyst), URL)
    inventory_rows = response.context["inventory_rows"]
    assert inventory_rows[0].count is None  # three recipients
    assert "&lt;5" in response.content.decode()


def test_dashboard__filters__passed_on(staff: Staff) -> None:
    response = made(
        _client(staff.analyst),
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
    snapshot = Snapshot.objects.get(on=date(2026, 6, 30))
    assert response.context["filter"].known_at == snapshot.taken_at
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
    assert "inventory_rows" not in response.context
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

    response = made(
        _client(staff.analyst), URL, {"fran": f.start.isoformat(), "till": day.isoformat()}
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
    response = made(_client(staff.analyst), URL, {"fran": "2026-01-01", "till": "2026-06-30"})
    rows = response.context["inventory_rows"]
    assert rows[4].count is None  # exempted: 1
    assert rows[0].count is None or rows[1].count is None  # recipients or the target group
    assert all(r.pct is None for r in rows[:6] if r.count is None)


# --- figures made in the background (decision 0022) ------------------------------------------


def test_dashboard__first_request__being_made_and_no_population_computed(staff: Staff) -> None:
    """The request asks for the figures and answers at once: a handful of queries, no snapshot
    taken, no figures shown — the page says they are being made."""
    for _ in range(8):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    client = _client(staff.analyst)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"kon": "F"})
    assert response.status_code == 200
    assert response.context["status"]["being_made"]
    assert not response.context["status"]["shown"]
    assert "inventory_rows" not in response.context
    assert 'class="result-status"' in response.content.decode()
    assert len(queries) <= 20
    assert not Snapshot.objects.exists() and not SnapshotRow.objects.exists()
    assert DBTaskResult.objects.count() == 1


def test_dashboard__four_requests_at_once__one_computation(staff: Staff) -> None:
    clients = [_client(staff.analyst) for _ in range(4)]
    for client in clients:
        assert client.get(URL, {"alder": "30-44"}).status_code == 200
    assert DBTaskResult.objects.count() == 1
    assert StoredResult.objects.filter(kind="dashboard").count() == 1
    run_worker()
    assert Snapshot.objects.filter(on=suite_today()).count() == 1
    for client in clients:
        assert client.get(URL, {"alder": "30-44"}).context["status"]["fresh"]
    assert DBTaskResult.objects.count() == 1


def test_dashboard__stored__read_in_the_same_few_queries_however_many_persons(
    staff: Staff,
) -> None:
    def queries_for_stored_page() -> int:
        client = _client(staff.analyst)
        made(client, URL, {"enhet": "ekb-nord"})
        rows_before = SnapshotRow.objects.count()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"enhet": "ekb-nord"})
        assert response.context["status"]["fresh"]
        assert SnapshotRow.objects.count() == rows_before  # nothing computed by the request
        return len(queries)

    for _ in range(6):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    few = queries_for_stored_page()
    for _ in range(24):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    StoredResult.objects.all().delete()
    Snapshot.objects.all().delete()
    many = queries_for_stored_page()
    assert few == many <= 15


def test_dashboard__stale__old_figures_with_their_age_while_new_ones_are_made(
    staff: Staff,
) -> None:
    for _ in range(6):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    client = _client(staff.analyst)
    first = made(client, URL)
    assert first.context["status"]["fresh"]
    computed = StoredResult.objects.get(kind="dashboard").computed_at
    assert computed is not None
    StoredResult.objects.filter(kind="dashboard").update(computed_at=computed - timedelta(hours=2))
    tasks = DBTaskResult.objects.count()

    stale = client.get(URL)
    status = stale.context["status"]
    assert status["shown"] and not status["fresh"] and status["being_made"]
    assert status["computed_at"] == timezone.localtime(computed - timedelta(hours=2))
    assert stale.context["inventory_rows"] == first.context["inventory_rows"]
    assert client.get(URL).context["status"]["being_made"]
    assert DBTaskResult.objects.count() == tasks + 1  # asked for once, not per request

    run_worker()
    assert client.get(URL).context["status"]["fresh"]


def test_dashboard__new_day__the_day_befores_figures_until_todays_are_made(
    staff: Staff,
) -> None:
    """The first request after midnight: yesterday's default dashboard, said to be
    yesterday's, while today's is made."""
    for _ in range(6):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    client = _client(staff.analyst)
    made(client, URL)
    today = suite_today()
    yesterday = today - timedelta(days=1)
    StoredResult.objects.filter(kind="dashboard").update(day=yesterday)
    response = client.get(URL)
    status = response.context["status"]
    assert status["other_day"] and status["shown_day"] == yesterday and status["being_made"]
    assert response.context["inventory_rows"]
    assert StoredResult.objects.filter(kind="dashboard", day=today).count() == 1


def test_dashboard__english__figures_stored_in_english(staff: Staff) -> None:
    for _ in range(6):
        PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1))
    client = _client(staff.analyst)
    client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    run_worker()
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["inventory_rows"][0].label == "Adult recipients on support"
    assert "The figures are for" in response.content.decode()
