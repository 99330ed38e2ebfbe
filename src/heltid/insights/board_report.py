"""The board report (nämndrapport): the dashboard's tables and charts for a period, and the
municipality's goals, as a PDF (WeasyPrint) and as an Excel workbook (openpyxl).

:func:`board_report_data` gathers everything once: the figures come from
:mod:`heltid.insights.metrics` (one population shared by every snapshot), and every count of
persons is suppressed under 5 before it reaches a table, a chart or a sentence — distributions
with a total through :func:`heltid.insights.privacy.suppress_table`, so no hidden count follows
from the published total. The two renderers only format what the data holds, so the PDF and the
workbook always show the same numbers. The report is in Swedish whatever the reader's language.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from heltid.casework.models import WORK_OR_STUDIES, ExitReason
from heltid.catalog.charts import FONT, INK, OCCUPIED_COLOUR, WAITING_COLOUR, accessible_svg
from heltid.insights import metrics, snapshots
from heltid.insights.filters import InsightFilter
from heltid.insights.privacy import suppress_distribution, suppress_subtotal, suppress_table
from heltid.insights.statistics import SMALL_CELL, suppress
from heltid.rules import exemption_label
from heltid.spreadsheets import values_only

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "sv"
# A longer period makes the monthly table long and says little more to a board.
MAX_PERIOD_DAYS = 5 * 366

# Kinds of cells: how a value is written in the PDF and stored in the workbook.
TEXT, COUNT, SHARE, DAYS, SEK, NUMBER = "text", "count", "share", "days", "sek", "number"
Cell = str | int | float | None
NA = ""  # not applicable: shown as a dash, left empty in the workbook (None means suppressed)
NBSP = "\u00a0"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = COUNT


@dataclass(frozen=True)
class Table:
    """One table of the report: a heading, a short sheet name, columns and rows of raw values
    (None: suppressed or not available), an optional chart and a note."""

    key: str
    title: str
    sheet: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    chart: SafeString = field(default_factory=lambda: mark_safe(""))

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Every cell as (text, is_number) for the PDF and the page."""
        return [
            [
                (format_cell(value, col.kind), col.kind != TEXT)
                for value, col in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    def value(self, row_label: str, column: int) -> Cell:
        """The raw value in the row whose first cell is ``row_label`` (tests, sentences)."""
        for row in self.rows:
            if row[0] == row_label:
                return row[column]
        raise KeyError(row_label)


@dataclass(frozen=True)
class Goal:
    title: str
    sentence: str


@dataclass(frozen=True)
class BoardReport:
    """Everything the report shows, already suppressed and labelled in Swedish."""

    filter: InsightFilter
    municipality: str
    goals: tuple[Goal, ...]
    tables: tuple[Table, ...]
    source: str  # which stored statistics the figures come from, with any corrections
    # the unsuppressed figures behind the tables (for checks; never rendered directly)
    figures: dict[str, Any]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --- formatting -----------------------------------------------------------------------------


def format_int(n: int) -> str:
    """Swedish digit grouping: 12 345."""
    return f"{n:,}".replace(",", NBSP)


def format_cell(value: Cell, kind: str) -> str:
    if value == NA and kind != TEXT:
        return "–"
    if value is None:
        return "<5" if kind == COUNT else "–"
    if kind == TEXT:
        return str(value)
    if kind == SHARE:
        return f"{round(float(value) * 100)}{NBSP}%"
    if kind == DAYS:
        text = f"{float(value):.1f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if kind == SEK:
        return f"{format_int(int(value))}{NBSP}kr"
    return format_int(int(value))


def _count_text(n: int | None, *, raw: int = 0) -> str:
    """A published count in words: hidden counts are "fewer than 5", unless the count itself
    is larger and hidden only because it would give a small one away."""
    if n is not None:
        return format_int(n)
    return _("not shown") if raw >= SMALL_CELL else _("fewer than 5")


def _share_of(part: int | None, whole: int | None) -> float | None:
    """A share is only shown when both its counts are."""
    if part is None or not whole:
        return None
    return round(part / whole, 3)


# --- charts ---------------------------------------------------------------------------------


def _chart(spec: dict[str, Any], *, label: str) -> SafeString:
    """SVG for a Vega-Lite specification, or "" when it cannot be drawn (the table beside it
    carries the figures)."""
    from heltid.catalog.charts import render_svg

    try:
        svg = render_svg(json.dumps(spec, sort_keys=True))
    except Exception:  # a failed drawing must not fail the report
        logger.exception("a board report chart could not be rendered")
        return mark_safe("")
    return accessible_svg(svg, label=label)


def _configured(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = (
        chart.configure(aria=False, font=FONT)
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=11, titleFontSize=11)
        .configure_legend(labelColor=INK, labelFontSize=11)
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )
    return spec


def bar_chart(values: Sequence[tuple[str, Cell]], *, x_title: str, label: str) -> SafeString:
    """Horizontal bars, one per label; suppressed values are left out (the table says <5)."""
    import altair as alt

    data = [{"label": k, "n": v} for k, v in values if isinstance(v, int | float)]
    if not data:
        return mark_safe("")
    chart = (
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar(color=OCCUPIED_COLOUR)
        .encode(
            y=alt.Y(
                "label:N", sort=[k for k, _v in values], title=None, axis=alt.Axis(labelLimit=240)
            ),
            x=alt.X("n:Q", title=x_title),
        )
        .properties(width=360, height=alt.Step(16))
    )
    return _chart(_configured(chart), label=label)


def line_chart(points: Sequence[tuple[str, Cell]], *, y_title: str, label: str) -> SafeString:
    import altair as alt

    data = [{"month": k, "n": v} for k, v in points if isinstance(v, int)]
    if len(data) < 2:
        return mark_safe("")
    chart = (
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_line(color=OCCUPIED_COLOUR, point=alt.OverlayMarkDef(color=OCCUPIED_COLOUR))
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("n:Q", title=y_title, scale=alt.Scale(zero=False)),
        )
        .properties(width=440, height=160)
    )
    return _chart(_configured(chart), label=label)


def demand_chart(rows: Sequence[tuple[str, Cell, Cell]], *, label: str) -> SafeString:
    """Per step: demand (persons) beside free places."""
    import altair as alt

    demand, free = _("Demand"), _("Free places")
    data: list[dict[str, Any]] = []
    for step, wanted, places in rows:
        if isinstance(wanted, int):
            data.append({"step": step, "bar": demand, "n": wanted})
        if isinstance(places, int):
            data.append({"step": step, "bar": free, "n": places})
    if not data:
        return mark_safe("")
    chart = (
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar(stroke=INK, strokeWidth=0.5)
        .encode(
            y=alt.Y("step:N", sort=[r[0] for r in rows], title=None, axis=alt.Axis(labelLimit=240)),
            yOffset=alt.YOffset("bar:N", sort=[demand, free]),
            x=alt.X("n:Q", title=_("Persons and places")),
            color=alt.Color(
                "bar:N",
                title=None,
                scale=alt.Scale(domain=[demand, free], range=[WAITING_COLOUR, OCCUPIED_COLOUR]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=360, height=alt.Step(12))
    )
    return _chart(_configured(chart), label=label)


# --- the tables -----------------------------------------------------------------------------


def _inventory_tables(inv: metrics.Inventory) -> list[Table]:
    target = suppress(inv.target_group)
    assessed = suppress(inv.target_assessed)
    women = suppress(inv.target_women)
    ill = suppress(inv.target_ill_health)
    rows: list[tuple[Cell, ...]] = [
        (_("Adult recipients"), suppress(inv.recipients), NA),
        (_("Target group"), target, _share_of(target, suppress(inv.recipients))),
        (_("Covered by the activity requirement"), suppress(inv.covered), NA),
        (_("Exempted"), suppress(inv.exempt), NA),
        (_("In an Arbetsförmedlingen programme"), suppress(inv.in_af_programme), NA),
        (_("Women in the target group"), women, _share_of(women, target)),
        (_("Assessed in the target group"), assessed, _share_of(assessed, target)),
        (_("– of whom with ill-health"), ill, _share_of(ill, assessed)),
    ]
    by_reason, _total = suppress_distribution(inv.exempt_by_reason)
    day = inv.on.isoformat()
    return [
        Table(
            key="inventory",
            title=_("The target group"),
            sheet=_("Target group"),
            columns=(Column(_("Group"), TEXT), Column(_("Persons")), Column(_("Share"), SHARE)),
            rows=tuple(rows),
            note=_("Recipients on support on %(day)s, the period's last day.") % {"day": day},
        ),
        Table(
            key="exemptions",
            title=_("Exemptions by group"),
            sheet=_("Exemptions"),
            columns=(Column(_("Exemption group"), TEXT), Column(_("Persons"))),
            rows=tuple((exemption_label(code), n) for code, n in by_reason.items()),
            note=_("Recipients on support on %(day)s, the period's last day.") % {"day": day},
        ),
    ]


def _coverage_table(cov: metrics.Coverage, follow: metrics.FollowUpCompliance) -> Table:
    covered = suppress(cov.covered)
    rows: list[tuple[Cell, ...]] = []
    for label, n in (
        (_("Covered by the activity requirement"), cov.covered),
        (_("– with a plan"), cov.with_plan),
        (_("– with an ongoing activity"), cov.with_ongoing_activity),
        (_("– with full weekly hours planned"), cov.with_full_hours),
    ):
        shown = suppress(n)
        rows.append((label, shown, _share_of(shown, covered)))
    on_time = suppress(follow.on_time)
    followed = suppress(follow.covered)
    rows.append(
        (
            _("– followed up within %(days)s days") % {"days": follow.interval_days},
            on_time,
            _share_of(on_time, followed),
        )
    )
    return Table(
        key="coverage",
        title=_("Coverage and follow-up"),
        sheet=_("Coverage"),
        columns=(Column(_("Group"), TEXT), Column(_("Persons")), Column(_("Share"), SHARE)),
        rows=tuple(rows),
        note=_(
            "Shares of those covered on the period's last day. Follow-up within the policy's "
            "interval, counted from the last follow-up or from coverage."
        ),
    )


def lead_time_label(code: str) -> str:
    return {
        "coverage_assessment": _("Coverage → assessment"),
        "assessment_plan": _("Assessment → plan"),
        "plan_activity": _("Plan → first activity"),
        "coverage_activity": _("Coverage → first activity"),
        "referral": _("Referral sent → start"),
    }.get(code, code)


def _bucket(label: str) -> str:
    """ "91-" (open-ended) reads "91+"; "8-14" reads "8–14"."""
    return label[:-1] + "+" if label.endswith("-") else label.replace("-", "–")


def _lead_time_table(times: metrics.LeadTimes) -> Table:
    buckets = [label for label, _n in times.items[0].buckets] if times.items else []
    published = suppress_table(
        {item.code: dict(item.buckets) for item in times.items}, cols=buckets
    )
    rows: list[tuple[Cell, ...]] = []
    medians: list[tuple[str, Cell]] = []
    for item in times.items:
        count = published.row_totals[item.code]
        median = item.median_days if count is not None and item.count >= SMALL_CELL else None
        label = lead_time_label(item.code)
        rows.append((label, count, median, *(published.cells[item.code][b] for b in buckets)))
        medians.append((label, median))
    return Table(
        key="lead_times",
        title=_("Lead times"),
        sheet=_("Lead times"),
        columns=(
            Column(_("Stage"), TEXT),
            Column(_("Persons")),
            Column(_("Median, days"), DAYS),
            *(Column(_("%(days)s days") % {"days": _bucket(b)}) for b in buckets),
        ),
        rows=tuple(rows),
        note=_(
            "Persons whose coverage began in the period; referrals sent in the period that "
            "have started. Days from one event to the next."
        ),
        chart=bar_chart(
            medians,
            x_title=_("Median, days"),
            label=_("Chart: median lead time in days per stage. The figures are in the table."),
        ),
    )


def exit_reason_label(code: str) -> str:
    return str(ExitReason(code).label) if code in ExitReason.values else code


def _exit_table(ex: metrics.Exits) -> Table:
    by_reason, total = suppress_distribution(ex.by_reason)
    rows: list[tuple[Cell, ...]] = [
        (exit_reason_label(code), n, _share_of(n, total)) for code, n in by_reason.items()
    ]
    rows.append((_("All exits"), total, NA))
    return Table(
        key="exits",
        title=_("Exits by reason"),
        sheet=_("Exits"),
        columns=(Column(_("Reason"), TEXT), Column(_("Persons")), Column(_("Share"), SHARE)),
        rows=tuple(rows),
        note=_("Exits recorded in the period."),
        chart=bar_chart(
            [(r[0], r[1]) for r in rows[:-1]],  # type: ignore[misc]
            x_title=_("Persons"),
            label=_("Chart: exits in the period by reason. The figures are in the table."),
        ),
    )


def _household_table(months: Sequence[metrics.MonthCount]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (f"{m.month:%Y-%m}", suppress(m.households), suppress(m.persons)) for m in months
    ]
    return Table(
        key="households",
        title=_("Households on support per month"),
        sheet=_("Households"),
        columns=(Column(_("Month"), TEXT), Column(_("Households")), Column(_("Adults"))),
        rows=tuple(rows),
        chart=line_chart(
            [(r[0], r[1]) for r in rows],  # type: ignore[misc]
            y_title=_("Households"),
            label=_("Chart: households on support per month. The figures are in the table."),
        ),
    )


def _capacity_tables(cap: metrics.CapacityVsDemand) -> list[Table]:
    published = suppress_table(
        {s.step_code: {"requested": s.requested, "waiting": s.waiting} for s in cap.steps},
        cols=("requested", "waiting"),
    )
    rows: list[tuple[Cell, ...]] = []
    for s in cap.steps:
        demand = published.row_totals[s.step_code]
        gap = max(demand - s.free, 0) if demand is not None else None
        rows.append(
            (
                s.step_name,
                published.cells[s.step_code]["requested"],
                published.cells[s.step_code]["waiting"],
                demand,
                s.places,
                s.free,
                gap,
                s.cost_per_place_month,
                gap * s.cost_per_place_month if gap is not None else None,
            )
        )
    missing: list[tuple[Cell, ...]] = [
        (m.name, m.step, m.places, m.cost_per_place_month) for m in cap.missing
    ]
    return [
        Table(
            key="capacity",
            title=_("Capacity versus demand per step"),
            sheet=_("Capacity per step"),
            columns=(
                Column(_("Step"), TEXT),
                Column(_("Requested next step")),
                Column(_("Waiting")),
                Column(_("Demand")),
                Column(_("Places"), NUMBER),
                Column(_("Free places"), NUMBER),
                Column(_("Places missing")),
                Column(_("Cost per place-month"), SEK),
                Column(_("Gap per month"), SEK),
            ),
            rows=tuple(rows),
            note=_(
                "On %(day)s. Demand: covered persons whose latest assessment asks for the step, "
                "plus the waiting lists. Places missing: demand the free places cannot take."
            )
            % {"day": cap.on.isoformat()},
            chart=demand_chart(
                [(r[0], r[3], r[5]) for r in rows],  # type: ignore[misc]
                label=_("Chart: demand and free places per step. The figures are in the table."),
            ),
        ),
        Table(
            key="missing",
            title=_("Missing interventions"),
            sheet=_("Missing interventions"),
            columns=(
                Column(_("Intervention"), TEXT),
                Column(_("Step"), TEXT),
                Column(_("Places"), NUMBER),
                Column(_("Cost per place-month"), SEK),
            ),
            rows=tuple(missing),
            note=_("Needs recorded in the catalogue: interventions the municipality lacks."),
        ),
    ]


# --- the goals ------------------------------------------------------------------------------


def previous_period(f: InsightFilter) -> InsightFilter:
    """The period of the same length just before ``f``'s."""
    days = (f.end - f.start).days + 1
    return InsightFilter(
        start=f.start - timedelta(days=days),
        end=f.start - timedelta(days=1),
        unit=f.unit,
        sex=f.sex,
        age_group=f.age_group,
        step=f.step,
        known_at=f.known_at,
    )


def _compare(now: int | None, before: int | None, *, more_is_better: bool) -> str:
    if now is None or before is None:
        return _("Too few to compare.")
    if now == before:
        return _("Unchanged.")
    better = (now > before) == more_is_better
    return _("In line with the goal.") if better else _("Not in line with the goal.")


def _goals(
    f: InsightFilter,
    ex: metrics.Exits,
    before: metrics.Exits,
    steps: metrics.StepProgression,
    months: Sequence[metrics.MonthCount],
) -> tuple[tuple[Goal, ...], Table]:
    work = [r.value for r in WORK_OR_STUDIES]
    to_work = suppress_subtotal(ex.by_reason, work)
    to_work_before = suppress_subtotal(before.by_reason, work)
    _by_reason, exits_total = suppress_distribution(ex.by_reason)
    share = _share_of(to_work, exits_total)
    risers = suppress(steps.persons_up)
    first = months[0] if months else None
    last = months[-1] if months else None
    start_n = suppress(first.households) if first else None
    end_n = suppress(last.households) if last else None
    before_text = _count_text(to_work_before, raw=before.to_work_or_studies)
    if to_work is None:
        exits_sentence = _(
            "How many participants left for work or studies during the period is not shown, "
            "to protect small groups; in the previous period of the same length: %(m)s."
        ) % {"m": before_text}
    else:
        exits_sentence = _(
            "%(n)s participants left for work or studies during the period (%(share)s of "
            "all exits), against %(m)s in the previous period of the same length."
        ) % {"n": _count_text(to_work), "share": format_cell(share, SHARE), "m": before_text}
    sentence_1 = " ".join(
        (
            exits_sentence,
            _("%(n)s moved up at least one step on the staircase.") % {"n": _count_text(risers)},
            _compare(to_work, to_work_before, more_is_better=True),
        )
    )
    if first is not None and last is not None:
        sentence_2 = " ".join(
            (
                _("%(a)s households were on support in %(first)s and %(b)s in %(last)s.")
                % {
                    "a": _count_text(start_n),
                    "first": f"{first.month:%Y-%m}",
                    "b": _count_text(end_n),
                    "last": f"{last.month:%Y-%m}",
                },
                _compare(end_n, start_n, more_is_better=False),
            )
        )
    else:
        sentence_2 = _("No months in the period.")
    goals = (
        Goal(_("More participants move from occupation to self-sufficiency"), sentence_1),
        Goal(_("Fewer households on support"), sentence_2),
    )
    earlier = previous_period(f)
    rows: tuple[tuple[Cell, ...], ...] = (
        (_("Exits to work or studies"), to_work, to_work_before),
        (_("Persons who moved up a step"), risers, NA),
        (
            _("Households on support (first and last month)"),
            start_n,
            end_n,
        ),
    )
    table = Table(
        key="goals",
        title=_("The goals in figures"),
        sheet=_("Goals"),
        columns=(Column(_("Measure"), TEXT), Column(_("Figure")), Column(_("Compared with"))),
        rows=rows,
        note=_(
            "Exits: this period against %(start)s–%(end)s. Households: the period's first "
            "month against its last."
        )
        % {"start": earlier.start.isoformat(), "end": earlier.end.isoformat()},
    )
    return goals, table


# --- the report -----------------------------------------------------------------------------


def board_report_data(f: InsightFilter, *, today: date | None = None) -> BoardReport:
    """Every figure of the board report for ``f``, suppressed and labelled in Swedish, from the
    stored snapshot of the period's last day (the same numbers every time the report is run)."""
    today = today or timezone.localdate()
    with translation.override(REPORT_LANGUAGE):
        basis = snapshots.basis(f, today=today)
        f, base = basis.filter, basis.base
        inv = metrics.inventory(f, base=base)
        cov = metrics.coverage(f, base=base)
        follow = metrics.follow_up_compliance(f, base=base)
        times = metrics.lead_times(f, base=base)
        ex = metrics.exits(f)
        before = metrics.exits(previous_period(f))
        steps = metrics.step_progression(f)
        months = metrics.households_over_time(f)
        cap = basis.capacity(today=today)
        goals, goal_table = _goals(f, ex, before, steps, months)
        source = snapshots.describe(basis.snapshot)
        tables = (
            goal_table,
            *_inventory_tables(inv),
            _coverage_table(cov, follow),
            _lead_time_table(times),
            _exit_table(ex),
            _household_table(months),
            *_capacity_tables(cap),
        )
    return BoardReport(
        filter=f,
        municipality=settings.HELTID_MUNICIPALITY,
        goals=goals,
        tables=tables,
        source=source,
        figures={
            "inventory": inv,
            "coverage": cov,
            "follow_up": follow,
            "lead_times": times,
            "exits": ex,
            "exits_before": before,
            "steps": steps,
            "households": months,
            "capacity": cap,
        },
    )


def board_report_pdf(data: BoardReport, *, today: date | None = None) -> bytes:
    """The report as an A4 PDF in Swedish, each chart with its table."""
    from heltid.pdf import render_pdf

    with translation.override(REPORT_LANGUAGE):
        html = render_to_string(
            "insights/board_report_pdf.html",
            {"report": data, "printed_on": today or timezone.localdate()},
        )
    return render_pdf(html)


_FORMATS: dict[str, str] = {SHARE: "0%", DAYS: "0.0", SEK: "#,##0", COUNT: "#,##0", NUMBER: "#,##0"}
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, none of []:*?/\\)."""
    name = title.translate(_SHEET_FORBIDDEN).strip()[:31] or "Blad"
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" {n}"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def board_report_xlsx(data: BoardReport, *, today: date | None = None) -> bytes:
    """The report as a workbook: a sheet about the report, then one sheet per table with
    Swedish headers in the first row and numbers stored as numbers (suppressed: "<5")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    about = workbook.active
    assert about is not None
    taken: set[str] = set()
    with translation.override(REPORT_LANGUAGE):
        about.title = sheet_name(_("About the report"), taken)
        f = data.filter
        about_rows: list[tuple[str, str]] = [
            (_("Board report"), data.municipality),
            (_("Period"), f"{f.start.isoformat()} – {f.end.isoformat()}"),
            (_("Made"), (today or timezone.localdate()).isoformat()),
            (_("Figures"), data.source),
            (_("Small counts"), _("Counts under 5 persons are shown as <5.")),
        ]
        about_rows += [(goal.title, goal.sentence) for goal in data.goals]
        about_rows += [(t.title, t.note) for t in data.tables if t.note]
        for row in about_rows:
            about.append(row)
        for cell in about["A"]:
            cell.font = bold
        about.column_dimensions["A"].width = 48
        about.column_dimensions["B"].width = 100
        for table in data.tables:
            _write_sheet(workbook.create_sheet(sheet_name(table.sheet, taken)), table, bold)
    out = io.BytesIO()
    values_only(workbook)
    workbook.save(out)
    return out.getvalue()


def _write_sheet(sheet: Any, table: Table, bold: Any) -> None:
    sheet.append([c.label for c in table.columns])
    for cell in sheet[1]:
        cell.font = bold
    for row in table.rows:
        sheet.append(
            [
                "<5" if value is None and col.kind == COUNT else (None if value == NA else value)
                for value, col in zip(row, table.columns, strict=True)
            ]
        )
    for index, col in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 40 if col.kind == TEXT else 16
        number_format = _FORMATS.get(col.kind)
        if number_format is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, int | float):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"


Renderer = Callable[[BoardReport], bytes]
RENDERERS: dict[str, Renderer] = {"pdf": board_report_pdf, "xlsx": board_report_xlsx}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
