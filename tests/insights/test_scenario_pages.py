"""Planning scenario pages: the ready scenario from the data, change, copy, compare, Excel, and
`heltid scenario cost-of-activation`."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from heltid.casework.models import Exit, ExitReason, StepChange
from heltid.catalog.models import Step
from heltid.insights.models import SavedScenario
from heltid.insights.scenarios import create_ready_scenario, scenario_of
from heltid.rules.dates import add_months, month_start
from tests.clock import suite_today
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = "/planering/"
TODAY = suite_today()
THIS_MONTH = month_start(TODAY)


def _budget_years(months: int) -> list[int]:
    """The budget years a scenario of ``months`` months from this month touches."""
    return list(range(THIS_MONTH.year, add_months(THIS_MONTH, months - 1).year + 1))


@pytest.fixture
def history(db: None) -> None:
    steps = list(Step.objects.filter(active=True).order_by("position", "pk"))
    entered = add_months(THIS_MONTH, -14)  # before the twelve months the estimate reads
    for i in range(40):
        p = PersonFactory(support_since=add_months(THIS_MONTH, -22))
        StepChange.objects.create(
            person=p,
            step=steps[i % 3],
            changed_on=entered + timedelta(days=i % 25),
            reason="demo",
        )
        if i % 4 == 0:
            StepChange.objects.create(
                person=p,
                step=steps[i % 3 + 1],
                changed_on=add_months(THIS_MONTH, -7) + timedelta(days=9),
                reason="upp",
            )
        if i % 6 == 0:
            Exit.objects.create(
                person=p,
                exit_on=add_months(THIS_MONTH, -4) + timedelta(days=1),
                reason=ExitReason.WORK_REGULAR,
            )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ready(staff: Any) -> SavedScenario:
    return create_ready_scenario(user=staff.analyst, today=TODAY, months=24, runs=200)


def test_list__permissions(staff: Any, client: Client) -> None:
    assert client.get(LIST).status_code == 302
    for user, status in (
        (staff.officer, 403),
        (staff.case_manager, 403),
        (staff.provider, 403),
        (staff.analyst, 200),
        (staff.admin, 200),
    ):
        client.force_login(user)
        assert client.get(LIST).status_code == status, user.username


def test_ready_scenario__made_from_the_data_and_shown_with_charts_and_tables(
    staff: Any, history: None
) -> None:
    client = _client(staff.analyst)
    response = client.post("/planering/ny/")
    saved = SavedScenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/planering/{saved.pk}/"
    assert saved.ready_made and saved.created_by == staff.analyst
    scenario = scenario_of(saved)
    assert sum(s.people for s in scenario.steps) == 40 - 7  # seven exited
    assert all(s.places is None for s in scenario.steps)  # a place for everyone

    page = client.get(f"/planering/{saved.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg role="img"') >= 2 or html.count("<svg") >= 2
    assert [y.year for y in page.context["years"]] == _budget_years(36)
    assert len(page.context["rows"]) == scenario.months


def test_edit__valid_changes_saved__bad_input_field_errors_and_nothing_saved(
    staff: Any, history: None
) -> None:
    saved = _ready(staff)
    client = _client(staff.analyst)
    form = client.get(f"/planering/{saved.pk}/").context["form"]
    steps = client.get(f"/planering/{saved.pk}/").context["steps"]
    data = {k: "" if v is None else str(v) for k, v in form.initial.items()}
    data.update(
        {
            "steg-TOTAL_FORMS": str(len(steps.forms)),
            "steg-INITIAL_FORMS": str(len(steps.forms)),
        }
    )
    for i, f in enumerate(steps.forms):
        for key, value in f.initial.items():
            data[f"steg-{i}-{key}"] = "" if value is None else str(value)
    data["inflow"] = "25"
    data["name"] = "Dubbelt inflöde"
    response = client.post(f"/planering/{saved.pk}/", data)
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Dubbelt inflöde" and scenario_of(saved).inflow == 25.0

    before = dict(saved.params)
    for bad, field in (
        ({"inflow": "många"}, "inflow"),
        ({"months": "61"}, "months"),
        ({"steg-1-up": "60", "steg-1-down": "30", "steg-1-exit": "20"}, "exit"),
        ({"shock_factor": "1.5"}, "shock_factor"),
    ):
        response = client.post(f"/planering/{saved.pk}/", {**data, **bad})
        assert response.status_code == 200, bad
        html = response.content.decode()
        assert "error" in html and (
            f'id="id_{field}_error"' in html or f'id="id_steg-1-{field}_error"' in html
        ), bad
        saved.refresh_from_db()
        assert saved.params == before
    shares = {f"steg-{i}-entry_share": "10" for i in range(len(steps.forms))}
    response = client.post(f"/planering/{saved.pk}/", {**data, **shares})
    assert response.status_code == 200
    assert "100" in " ".join(str(e) for e in response.context["steps"].non_form_errors())


def test_copy_and_compare(staff: Any, history: None) -> None:
    saved = _ready(staff)
    client = _client(staff.analyst)
    response = client.post(f"/planering/{saved.pk}/kopiera/")
    copy = SavedScenario.objects.exclude(pk=saved.pk).get()
    saved.refresh_from_db()
    assert response["Location"] == f"/planering/{copy.pk}/"
    assert copy.copied_from == saved and copy.params == saved.params and not copy.ready_made

    page = client.get("/planering/jamfor/", {"a": saved.pk, "b": copy.pk})
    assert page.status_code == 200
    rows = page.context["year_rows"]
    assert rows and all(row["difference"] == 0 for row in rows)  # same parameters, same seed
    same = client.get("/planering/jamfor/", {"a": saved.pk, "b": saved.pk})
    assert "b" in same.context["form"].errors
    assert client.get("/planering/jamfor/", {"a": "x", "b": "9" * 30}).status_code == 200


def test_excel__sheets_and_figures_read_back(staff: Any, history: None) -> None:
    saved = _ready(staff)
    response = _client(staff.analyst).get(f"/planering/{saved.pk}/excel/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Parametrar", "Per månad", "Per budgetår"]
    monthly = list(book["Per månad"].iter_rows(values_only=True))
    assert len(monthly) == 1 + 24 and monthly[1][0] == f"{THIS_MONTH:%Y-%m}"
    yearly = list(book["Per budgetår"].iter_rows(values_only=True))
    assert [row[0] for row in yearly[1:]] == _budget_years(24)
    for row in yearly[1:]:
        assert row[2] <= row[3] <= row[4]  # gross p10 ≤ p50 ≤ p90


def test_unknown_scenario__404(staff: Any) -> None:
    client = _client(staff.analyst)
    assert client.get("/planering/999999/").status_code == 404
    assert client.get(f"/planering/{2**70}/").status_code == 404
    assert client.post("/planering/999999/kopiera/").status_code == 404


def test_command__cost_of_activation_json(
    history: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("scenario", "cost-of-activation", "--months", "14", "--runs", "100", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["months"] == 14 and out["runs"] == 100
    years = out["years"]
    assert [y["year"] for y in years] == _budget_years(14)
    assert sum(y["months"] for y in years) == 14
    for y in years:
        for key in ("gross_cost", "savings", "net_cost"):
            assert y[key]["p10"] <= y[key]["p50"] <= y[key]["p90"]
    with pytest.raises(CommandError) as error:
        call_command("scenario", "cost-of-activation", "--months", "0")
    assert error.value.returncode == 2


def test_edit__tampered_form_count__field_error_not_500_and_step_names_from_the_saved(
    staff: Any, history: None
) -> None:
    saved = _ready(staff)
    client = _client(staff.analyst)
    page = client.get(f"/planering/{saved.pk}/")
    form, steps = page.context["form"], page.context["steps"]
    data = {k: "" if v is None else str(v) for k, v in form.initial.items()}
    n = len(steps.forms)
    for i, f in enumerate(steps.forms):
        for key, value in f.initial.items():
            data[f"steg-{i}-{key}"] = "" if value is None else str(value)
    data["steg-0-name"] = "Annat namn"  # posted names are ignored: the step is the saved one
    for total in (n + 1, n - 1, 2000):
        bad = {**data, "steg-TOTAL_FORMS": str(total), "steg-INITIAL_FORMS": str(n)}
        response = client.post(f"/planering/{saved.pk}/", bad)
        assert response.status_code == 200, total
        assert response.context["steps"].non_form_errors(), total
    ok = {**data, "steg-TOTAL_FORMS": str(n), "steg-INITIAL_FORMS": str(n)}
    assert client.post(f"/planering/{saved.pk}/", ok).status_code == 302
    saved.refresh_from_db()
    assert [s.name for s in scenario_of(saved).steps] == [f.initial["name"] for f in steps.forms]


def test_excel__a_name_like_a_formula_stays_text(staff: Any, history: None) -> None:
    saved = _ready(staff)
    SavedScenario.objects.filter(pk=saved.pk).update(name='=HYPERLINK("http://x","y")')
    response = _client(staff.analyst).get(f"/planering/{saved.pk}/excel/")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet["B1"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
