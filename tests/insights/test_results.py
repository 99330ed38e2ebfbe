"""The statistics pages read stored results (decision 0022): the start page, the board report
and the analysts' export are asked for once, made by the worker, then shown or downloaded; a
correction of a day makes its results anew."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from heltid.audit.models import AccessLog, Action
from heltid.background.models import Status, StoredFile, StoredResult
from heltid.insights import results
from heltid.insights.models import Snapshot, SnapshotRow
from tests.background.worker import run_worker
from tests.clock import suite_today
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = suite_today()


@pytest.fixture
def analyst(staff: Any) -> Client:
    for i in range(12):
        PersonFactory(unit=staff.unit, sex="FM"[i % 2], support_since=date(2025, 1, 1))
    client = Client()
    client.force_login(staff.analyst)
    return client


def test_start_page__asked__being_made__then_todays_figures(analyst: Client) -> None:
    first = analyst.get("/statistik/")
    assert first.status_code == 200
    assert first.context["figures"] is None and first.context["status"]["being_made"]
    assert not Snapshot.objects.exists()  # nothing computed in the request
    run_worker()
    shown = analyst.get("/statistik/")
    figures = shown.context["figures"]
    assert figures["on"] == TODAY and figures["counts"]["recipients"] == 12
    assert shown.context["status"]["fresh"]
    assert DBTaskResult.objects.count() == 1


def test_start_page__new_day__yesterdays_figures_said_to_be_yesterdays(analyst: Client) -> None:
    analyst.get("/statistik/")
    run_worker()
    StoredResult.objects.filter(kind=results.STATISTICS).update(day=TODAY - timedelta(days=1))
    response = analyst.get("/statistik/")
    assert response.context["figures"]["counts"]["recipients"] == 12
    status = response.context["status"]
    assert status["other_day"] and status["being_made"]


def test_board_report__both_files_from_one_task__logged_at_download_only(
    analyst: Client,
) -> None:
    params = {"start": "2026-01-01", "end": "2026-06-30"}
    for kind in ("pdf", "xlsx"):  # the second format finds the first's claim
        assert analyst.get("/statistik/namndrapport/", {**params, "format": kind}).context[
            "status"
        ]["being_made"]
    assert DBTaskResult.objects.count() == 1
    run_worker()
    row = StoredResult.objects.get(kind=results.BOARD_REPORT)
    assert set(StoredFile.objects.filter(result=row).values_list("name", flat=True)) == {
        "pdf",
        "xlsx",
    }
    assert [t["key"] for t in row.payload["tables"]][:2] == ["goals", "inventory"]
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
    pdf = analyst.get("/statistik/namndrapport/", {**params, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action=Action.EXPORT).count() == 1


def test_analyst_export__made_once__downloaded_in_either_format(analyst: Client) -> None:
    day = TODAY - timedelta(days=1)
    for kind in ("csv", "xlsx", "csv"):
        response = analyst.get("/statistik/analysunderlag/", {"day": day, "format": kind})
        assert response.status_code == 200 and response.context["status"]["being_made"]
    assert DBTaskResult.objects.count() == 1
    assert not SnapshotRow.objects.exists()
    run_worker()
    csv = analyst.get("/statistik/analysunderlag/", {"day": day, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode("utf-8-sig").splitlines()) == 13
    logged = AccessLog.objects.get(action=Action.EXPORT)
    assert logged.detail["format"] == "csv" and logged.detail["rows"] == 12


def test_correction__the_days_results_are_made_anew(analyst: Client) -> None:
    day = date(2026, 6, 30)
    params = {"fran": "2026-01-01", "till": day.isoformat()}
    analyst.get("/statistik/oversikt/", params)
    run_worker()
    assert StoredResult.objects.get(kind=results.DASHBOARD).status == Status.DONE
    call_command("snapshot", "--on", day.isoformat(), "--correction", "Sen registrering")
    assert not StoredResult.objects.filter(day=day).exists()
    assert analyst.get("/statistik/oversikt/", params).context["status"]["being_made"]
