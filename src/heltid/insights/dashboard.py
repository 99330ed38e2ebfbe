"""The dashboard's figures (översikt) for a period and filters, as stored by a background task
(decision 0022): every table row already suppressed and labelled, every chart drawn, in a
JSON-able payload. The page only reads it; :func:`dashboard_figures` is its one builder.
Counts under 5 persons are suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heltid.casework.models import WORK_OR_STUDIES, ExitReason
from heltid.insights import charts, metrics, snapshots
from heltid.insights.filters import InsightFilter
from heltid.insights.privacy import suppress_distribution, suppress_subtotal
from heltid.insights.statistics import suppress
from heltid.rules import exemption_label


@dataclass(frozen=True)
class Row:
    """One table row: a label, a count (None: suppressed) and an optional share in per cent."""

    label: str
    count: int | None
    pct: int | None = None


def _row(label: str, count: int, whole: int | None = None) -> Row:
    """A count on its own, or a part of ``whole``: suppressed when small — and a part also when
    the rest of the whole is small, since the whole minus the part would give the rest away
    (2 men = 30 in the target group − 28 women). Its share only when both counts are shown."""
    shown = suppress(count)
    if whole is not None and suppress(whole - count) is None:
        shown = None
    pct = None
    if whole and shown is not None and suppress(whole) is not None:
        pct = round(100 * count / whole)
    return Row(label, shown, pct)


def _distribution_rows(
    labelled: Sequence[tuple[str, int]],
) -> tuple[list[Row], int | None]:
    """Counts that add up to a published total (exemptions by reason, exits by reason, step
    changes): suppressed together with the total, so no hidden count follows by subtraction —
    and shares only when the total is shown, since shares would give the total away."""
    shown, total = suppress_distribution({i: n for i, (_label, n) in enumerate(labelled)})
    whole = sum(n for _label, n in labelled)
    rows = [
        Row(
            label,
            shown[i],
            round(100 * n / whole)
            if whole and total is not None and shown[i] is not None
            else None,
        )
        for i, (label, n) in enumerate(labelled)
    ]
    return rows, total


LEAD_TIME_LABELS = {
    "coverage_assessment": gettext_lazy("Coverage to assessment"),
    "assessment_plan": gettext_lazy("Assessment to plan"),
    "plan_activity": gettext_lazy("Plan to first activity"),
    "coverage_activity": gettext_lazy("Coverage to first activity"),
    "referral": gettext_lazy("Referral sent to start"),
}


def dashboard_figures(f: InsightFilter, *, today: date) -> dict[str, Any]:
    """Every figure of the dashboard for ``f``, small counts suppressed, with the charts drawn:
    a JSON-able payload (rows as dicts, days as ISO dates, charts as SVG text). Computes the
    population (from the stored snapshot of ``f.end``): run it in a task, never in a request."""
    basis = snapshots.basis(f, today=today)
    f, base = basis.filter, basis.base
    inv = metrics.inventory(f, base=base)
    cov = metrics.coverage(f, base=base)
    leads = metrics.lead_times(f, base=base)
    follow = metrics.follow_up_compliance(f, base=base)
    attendance = metrics.attendance_rate(f)
    steps = metrics.step_progression(f)
    out = metrics.exits(f)
    months = metrics.households_over_time(f)
    capacity = basis.capacity(today=today)

    inventory_rows = [
        _row(_("Adult recipients on support"), inv.recipients),
        _row(_("Target group"), inv.target_group, inv.recipients),
        _row(_("– of whom women"), inv.target_women, inv.target_group),
        _row(_("Covered by the activity requirement"), inv.covered, inv.recipients),
        _row(_("Exempted"), inv.exempt, inv.recipients),
        _row(_("In an Arbetsförmedlingen programme"), inv.in_af_programme, inv.recipients),
        _row(_("Assessed in the target group"), inv.target_assessed, inv.target_group),
        _row(_("– of whom with ill-health"), inv.target_ill_health, inv.target_assessed),
    ]
    exempt_rows, exempt_total = _distribution_rows(
        [(exemption_label(group), n) for group, n in inv.exempt_by_reason.items()]
    )
    inventory_rows[4] = Row(
        inventory_rows[4].label,
        exempt_total,
        inventory_rows[4].pct if exempt_total is not None else None,
    )
    if exempt_total is None:
        # recipients = target group + exempted + the rest: with the exempted hidden, the
        # recipients (and every share of them, which would give them back) are hidden too
        inventory_rows = [
            Row(r.label, None if i == 0 else r.count, None if i in (1, 3, 4, 5) else r.pct)
            for i, r in enumerate(inventory_rows)
        ]
    coverage_rows = [
        _row(_("Covered"), cov.covered),
        _row(_("With an active plan"), cov.with_plan, cov.covered),
        _row(_("With an ongoing activity"), cov.with_ongoing_activity, cov.covered),
        _row(_("With full weekly hours planned"), cov.with_full_hours, cov.covered),
    ]
    lead_rows = []
    lead_medians: list[tuple[str, float | None]] = []
    for item in leads.items:
        buckets, count = suppress_distribution({label: n for label, n in item.buckets})
        median = item.median_days if count is not None else None
        lead_medians.append((str(LEAD_TIME_LABELS[item.code]), median))
        lead_rows.append(
            {
                "label": LEAD_TIME_LABELS[item.code],
                "count": count,
                "median": median,
                "buckets": list(buckets.values()),
            }
        )
    exit_rows, exits_total = _distribution_rows(
        [(str(ExitReason(r).label), n) for r, n in out.by_reason.items()]
    )
    to_work = suppress_subtotal(out.by_reason, [r.value for r in WORK_OR_STUDIES])
    step_rows, _changes = _distribution_rows(
        [
            (_("Up the staircase"), steps.up),
            (_("Down the staircase"), steps.down),
            (_("To the same step"), steps.same),
            (_("First placement on a step"), steps.first),
        ]
    )
    month_rows = [
        {
            "month": m.month.isoformat(),
            "households": suppress(m.households),
            "persons": suppress(m.persons),
        }
        for m in months
    ]
    capacity_rows = []
    capacity_bars: list[tuple[str, int, int]] = []  # demand drawn only where the table shows it
    for s in capacity.steps:
        requested, waiting = suppress(s.requested), suppress(s.waiting)
        hidden = requested is None or waiting is None
        capacity_bars.append((s.step_name, 0 if hidden else s.demand, s.places))
        capacity_rows.append(
            {
                "step": s.step_name,
                "requested": requested,
                "waiting": waiting,
                "demand": None if hidden else s.demand,
                "places": s.places,
                "free": s.free,
                "gap_places": None if hidden else s.gap_places,
                "cost": s.cost_per_place_month,
                "gap_sek": None if hidden else s.gap_sek_per_month,
            }
        )
    snapshot = basis.snapshot
    return {
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        # flows counted as recorded up to this moment (the stored day's snapshot), or None
        "known_at": f.known_at.isoformat() if f.known_at else None,
        "snapshot": None
        if snapshot is None
        else {
            "on": snapshot.on.isoformat(),
            "edition": snapshot.edition,
            "provisional": snapshot.provisional,
            "taken_at": snapshot.taken_at.isoformat(),
        },
        "source": snapshots.describe(snapshot),
        "inventory_rows": _as_dicts(inventory_rows),
        "exempt_rows": _as_dicts(exempt_rows),
        "coverage_rows": _as_dicts(coverage_rows),
        "lead_rows": [{**row, "label": str(row["label"])} for row in lead_rows],
        "lead_buckets": [label for label, _high in metrics.LEAD_TIME_BUCKETS],
        "follow_interval_days": follow.interval_days,
        "follow_attendance_rows": _as_dicts(
            [
                _row(_("Covered persons"), follow.covered),
                _row(_("– followed up within the interval"), follow.on_time, follow.covered),
                _row(_("Attendance days registered in the period"), attendance.days),
                _row(_("– attended"), attendance.attended, attendance.days),
            ]
        ),
        "step_rows": _as_dicts(step_rows),
        "exit_rows": _as_dicts(exit_rows),
        "exits_total": exits_total,
        "exits_work_rows": _as_dicts(
            [
                Row(_("Exits"), exits_total),
                _row(_("– to work or studies"), to_work, out.total)
                if exits_total is not None and to_work is not None
                else Row(_("– to work or studies"), to_work),
            ]
        ),
        "month_rows": month_rows,
        "capacity_on": capacity.on.isoformat(),
        "capacity_missing": [{"name": m.name, "step": m.step} for m in capacity.missing],
        "capacity_rows": capacity_rows,
        "charts": _svg_text(
            {
                "exempt": charts.bar_chart(
                    [(r.label, r.count) for r in exempt_rows],
                    label=_("Chart: exempted persons by reason. The figures are in the table."),
                    x_title=_("Persons"),
                ),
                "coverage": charts.bar_chart(
                    [(r.label, r.count) for r in coverage_rows],
                    label=_(
                        "Chart: covered persons with a plan and activities. The figures are in "
                        "the table."
                    ),
                    x_title=_("Persons"),
                ),
                "lead": charts.bar_chart(
                    lead_medians,
                    label=_("Chart: median lead times in days. The figures are in the table."),
                    x_title=_("Median, days"),
                ),
                "exits": charts.bar_chart(
                    [(r.label, r.count) for r in exit_rows],
                    label=_("Chart: exits by reason. The figures are in the table."),
                    x_title=_("Exits"),
                ),
                "households": charts.line_chart(
                    [(m.month.strftime("%Y-%m"), suppress(m.households)) for m in months],
                    label=_(
                        "Chart: households on support per month. The figures are in the table."
                    ),
                    y_title=_("Households"),
                ),
                "capacity": charts.paired_bar_chart(
                    capacity_bars,
                    names=(_("Demand"), _("Places")),
                    label=_(
                        "Chart: demand and places per step of the staircase. The figures are in "
                        "the table."
                    ),
                    x_title=_("Persons and places"),
                ),
            }
        ),
    }


def _as_dicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    return [{**asdict(r), "label": str(r.label)} for r in rows]


def _svg_text(drawn: dict[str, Any]) -> dict[str, str]:
    """The charts as SVG text (the page marks them safe again: they are drawn here)."""
    return {name: str(svg) for name, svg in drawn.items()}
