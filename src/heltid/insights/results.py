"""The statistics pages' figures as stored results of background work (decision 0022).

Each page asks :func:`heltid.background.services.request` for its kind, key and day and shows
what is stored — with its age, or that fresh figures are being made — and never computes a
population itself. The builders below are what the worker runs: the same functions the
commands use (``snapshots``, ``metrics``, the board report, the analysts' export), so a
published figure still has one builder, suppressed once, and the page, the PDF, the workbook
and the CSV show the same rows.

Kinds:

- ``snapshot``: the day's statistics snapshot (decision 0009) — yesterday's final one and
  today's preliminary one are kept made by ``heltid schedule``;
- ``dashboard``: the dashboard's tables and charts for a period and filters, per language;
- ``statistics``: the analysts' start page (today's target group), per language;
- ``board_report``: the board report for a period, as PDF and as Excel;
- ``analyst_export``: the pseudonymised data of a day, as CSV and as Excel (kept one day: the
  rows are personal data);
- ``equality``: the gender-equality tables for a period and unit, per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from heltid.background.services import Built, Due, FileOut, Reading, builder, request, scheduled
from heltid.insights.filters import InsightFilter
from heltid.rules.dates import add_months, month_start

SNAPSHOT = "snapshot"
DASHBOARD = "dashboard"
STATISTICS = "statistics"
BOARD_REPORT = "board_report"
ANALYST_EXPORT = "analyst_export"
EQUALITY = "equality"
# The dashboard's period when none is chosen: this month and the eleven before it. Its key
# names the rule, not the dates, so a new day's page can show the day before's figures
# while its own are made.
DEFAULT_PERIOD = "12m"


def language() -> str:
    """The request's language, one of the site's (figures are stored per language)."""
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def default_start(end: date) -> date:
    return add_months(month_start(end), -11)


# --- what a page shows ----------------------------------------------------------------------


def status(reading: Reading) -> dict[str, Any]:
    """What the page says about its figures: their day and when they were computed, whether
    newer ones are being made, or that they could not be made."""
    shown = reading.shown
    return {
        "shown": shown is not None,
        "day": reading.day,
        "shown_day": shown.day if shown is not None else None,
        "computed_at": timezone.localtime(shown.computed_at)
        if shown is not None and shown.computed_at
        else None,
        "fresh": reading.fresh,
        "being_made": reading.being_made,
        "failed": reading.failed,
        "other_day": reading.of_another_day,
    }


def dashboard_key(f: InsightFilter, *, default_period: bool, lang: str) -> str:
    period = DEFAULT_PERIOD if default_period else f"{f.start.isoformat()}:{f.end.isoformat()}"
    return "|".join((lang, period, f.unit, f.sex, f.age_group, f.step))


def _filter_params(f: InsightFilter) -> dict[str, str]:
    return {
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "unit": f.unit,
        "sex": f.sex,
        "age_group": f.age_group,
        "step": f.step,
    }


def _filter_of(params: dict[str, Any]) -> InsightFilter:
    return InsightFilter(
        start=date.fromisoformat(params["start"]),
        end=date.fromisoformat(params["end"]),
        unit=params.get("unit", ""),
        sex=params.get("sex", ""),
        age_group=params.get("age_group", ""),
        step=params.get("step", ""),
    )


def dashboard(f: InsightFilter, *, default_period: bool) -> Reading:
    """The dashboard's stored figures for ``f`` (the period's last day is the day), asked for
    when missing or stale; with the default period, the latest earlier day's meanwhile."""
    lang = language()
    return request(
        DASHBOARD,
        dashboard_key(f, default_period=default_period, lang=lang),
        f.end,
        params={**_filter_params(f), "language": lang},
        fallback=default_period,
    )


def dashboard_context(payload: dict[str, Any]) -> dict[str, Any]:
    """The stored payload as the dashboard template reads it."""
    from heltid.insights.dashboard import Row

    def rows(name: str) -> list[Row]:
        return [Row(**row) for row in payload[name]]

    known_at = payload.get("known_at")
    return {
        "period_start": date.fromisoformat(payload["start"]),
        "period_end": date.fromisoformat(payload["end"]),
        "known_at": datetime.fromisoformat(known_at) if known_at else None,
        "source": payload["source"],
        "inventory_rows": rows("inventory_rows"),
        "exempt_rows": rows("exempt_rows"),
        "coverage_rows": rows("coverage_rows"),
        "lead_rows": payload["lead_rows"],
        "lead_buckets": payload["lead_buckets"],
        "follow_interval_days": payload["follow_interval_days"],
        "follow_attendance_rows": rows("follow_attendance_rows"),
        "step_rows": rows("step_rows"),
        "exit_rows": rows("exit_rows"),
        "exits_work_rows": rows("exits_work_rows"),
        "month_rows": [
            {**m, "month": date.fromisoformat(m["month"])} for m in payload["month_rows"]
        ],
        "capacity_on": date.fromisoformat(payload["capacity_on"]),
        "capacity_missing": payload["capacity_missing"],
        "capacity_rows": payload["capacity_rows"],
        "charts": {name: mark_safe(svg) for name, svg in payload["charts"].items()},
    }


def statistics_page(today: date) -> Reading:
    lang = language()
    return request(STATISTICS, lang, today, params={"language": lang}, fallback=True)


def board_report(start: date, end: date) -> Reading:
    """The board report for a period (always in Swedish): figures of ``end``."""
    params = {"start": start.isoformat(), "end": end.isoformat()}
    return request(BOARD_REPORT, f"{start.isoformat()}:{end.isoformat()}", end, params=params)


def analyst_export(day: date) -> Reading:
    return request(ANALYST_EXPORT, "", day, params={})


def equality(f: InsightFilter, *, default_period: bool) -> Reading:
    """The gender-equality tables; the default period (the year so far) is keyed by its rule,
    so a new day shows the day before's tables while its own are made."""
    lang = language()
    period = "year" if default_period else f"{f.start.isoformat()}:{f.end.isoformat()}"
    return request(
        EQUALITY,
        "|".join((lang, period, f.unit)),
        f.end,
        params={**_filter_params(f), "language": lang},
        fallback=default_period,
    )


# --- the builders (run by the worker) ---------------------------------------------------------


@builder(SNAPSHOT)
def build_snapshot(day: date, params: dict[str, Any]) -> Built:
    """The statistics snapshot of ``day``: stored if missing, today's refreshed when stale."""
    from heltid.insights import snapshots

    snapshot = snapshots.for_day(day, today=timezone.localdate())
    if snapshot is None:  # a day after today is never stored
        return Built(payload={"on": day.isoformat(), "stored": False})
    return Built(
        payload={
            "on": day.isoformat(),
            "stored": True,
            "edition": snapshot.edition,
            "provisional": snapshot.provisional,
            "persons": snapshot.persons,
            "taken_at": snapshot.taken_at.isoformat(),
        }
    )


@builder(DASHBOARD)
def build_dashboard(day: date, params: dict[str, Any]) -> Built:
    from heltid.insights.dashboard import dashboard_figures

    f = _filter_of(params)
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        return Built(payload=dashboard_figures(f, today=timezone.localdate()))


@builder(STATISTICS)
def build_statistics(day: date, params: dict[str, Any]) -> Built:
    from heltid.insights.statistics import start_page_figures

    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        return Built(payload=start_page_figures(on=day, today=timezone.localdate()))


@builder(BOARD_REPORT, keep=timedelta(days=30))
def build_board_report(day: date, params: dict[str, Any]) -> Built:
    from heltid.insights.board_report import CONTENT_TYPES, RENDERERS, board_report_data

    start, end = date.fromisoformat(params["start"]), date.fromisoformat(params["end"])
    today = timezone.localdate()
    data = board_report_data(InsightFilter(start=start, end=end), today=today)
    files = tuple(
        FileOut(
            name=kind,
            filename=f"nämndrapport-{start}-{end}.{kind}",
            content_type=CONTENT_TYPES[kind],
            content=render(data),
        )
        for kind, render in RENDERERS.items()
    )
    return Built(
        payload={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "source": data.source,
            # the builder's tables, suppressed once: what the PDF and the workbook show
            "tables": [
                {"key": t.key, "title": t.title, "rows": [list(r) for r in t.rows]}
                for t in data.tables
            ],
        },
        files=files,
    )


@builder(ANALYST_EXPORT, keep=timedelta(days=1))
def build_analyst_export(day: date, params: dict[str, Any]) -> Built:
    from heltid.insights.analyst_export import CONTENT_TYPES, export_files

    detail, files = export_files(day, today=timezone.localdate())
    return Built(
        payload=detail,
        files=tuple(
            FileOut(
                name=kind,
                filename=f"analysunderlag-{day.isoformat()}.{kind}",
                content_type=CONTENT_TYPES[kind],
                content=content,
            )
            for kind, content in files.items()
        ),
    )


@builder(EQUALITY)
def build_equality(day: date, params: dict[str, Any]) -> Built:
    from heltid.insights.equality import equality_figures

    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        return Built(payload=equality_figures(_filter_of(params)))


# --- the schedule -----------------------------------------------------------------------------


@scheduled
def nightly_and_hourly(today: date) -> Iterator[Due]:
    """Yesterday's final snapshot, today's preliminary one (refreshed when older than
    ``HELTID_STATISTICS_MAX_AGE_MINUTES``), and what an analyst opens first: the start page
    and the dashboard with the default period, in the site's language."""
    lang = settings.LANGUAGE_CODE
    yield Due(SNAPSHOT, "", today - timedelta(days=1), {})
    yield Due(SNAPSHOT, "", today, {})
    f = InsightFilter(start=default_start(today), end=today)
    yield Due(
        DASHBOARD,
        dashboard_key(f, default_period=True, lang=lang),
        today,
        {**_filter_params(f), "language": lang},
    )
    yield Due(STATISTICS, lang, today, {"language": lang})


def with_known_at(f: InsightFilter, payload: dict[str, Any]) -> InsightFilter:
    """``f`` as the figures were computed: flows counted as recorded up to ``known_at``."""
    known_at = payload.get("known_at")
    return replace(f, known_at=datetime.fromisoformat(known_at) if known_at else None)
