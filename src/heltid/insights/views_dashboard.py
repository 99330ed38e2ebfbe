"""The dashboard (översikt): the target group, coverage, lead times, follow-ups, attendance,
step progression, exits, households over time and capacity versus demand, for a period and
filters. Aggregates only; counts under 5 persons are suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heltid.accounts.models import Unit
from heltid.accounts.permissions import Perm, requires
from heltid.casework.models import WORK_OR_STUDIES, ExitReason
from heltid.insights import charts, metrics, snapshots
from heltid.insights.filters import AGE_GROUPS, InsightFilter
from heltid.insights.privacy import suppress_distribution, suppress_subtotal
from heltid.insights.statistics import suppress
from heltid.registry.models import Sex
from heltid.rules import exemption_label
from heltid.rules.dates import add_months, month_start
from heltid.web.forms import LimitedForm

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
LONGEST_PERIOD_DAYS = 5 * 366


class DashboardFilterForm(LimitedForm):
    """The dashboard's filters from the query string (Swedish parameter names)."""

    fran = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    till = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    enhet = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    kon = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        required=False,
        choices=[("", gettext_lazy("All")), *Sex.choices],
    )
    alder = forms.ChoiceField(
        label=gettext_lazy("Age group"),
        required=False,
        choices=[("", gettext_lazy("All")), *((code, code) for code, _low, _high in AGE_GROUPS)],
    )
    steg = forms.ChoiceField(label=gettext_lazy("Step"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enhet = self.fields["enhet"]
        steg = self.fields["steg"]
        assert isinstance(enhet, forms.ChoiceField) and isinstance(steg, forms.ChoiceField)
        enhet.choices = [
            ("", _("All")),
            *Unit.objects.order_by("name", "pk").values_list("code", "name"),
        ]
        steg.choices = [("", _("All")), *metrics.steps_choices()]

    def clean_fran(self) -> date | None:
        return _in_range(self.cleaned_data.get("fran"))

    def clean_till(self) -> date | None:
        return _in_range(self.cleaned_data.get("till"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        if start and end:
            if end < start:
                self.add_error("till", _("The period must end on or after its first day."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("till", _("Choose a period of at most five years."))
        return data

    def insight_filter(self, *, today: date) -> InsightFilter:
        """The valid form as a filter; the period defaults to the last twelve months."""
        end = self.cleaned_data.get("till") or today
        start = self.cleaned_data.get("fran") or add_months(month_start(end), -11)
        if start > end:
            start = end
        return InsightFilter(
            start=start,
            end=end,
            unit=self.cleaned_data.get("enhet") or "",
            sex=self.cleaned_data.get("kon") or "",
            age_group=self.cleaned_data.get("alder") or "",
            step=self.cleaned_data.get("steg") or "",
        )


def _in_range(day: date | None) -> date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(_("Give a date between 2000-01-01 and 2099-12-31."))
    return day


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


def dashboard_context(f: InsightFilter, *, today: date) -> dict[str, Any]:
    """Every figure of the dashboard for ``f``, small counts suppressed, with the charts."""
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
        {"month": m.month, "households": suppress(m.households), "persons": suppress(m.persons)}
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
    return {
        "filter": f,
        "snapshot": basis.snapshot,
        "source": snapshots.describe(basis.snapshot),
        "inventory": inv,
        "inventory_rows": inventory_rows,
        "exempt_rows": exempt_rows,
        "coverage_rows": coverage_rows,
        "lead_rows": lead_rows,
        "lead_buckets": [label for label, _high in metrics.LEAD_TIME_BUCKETS],
        "follow": follow,
        "follow_attendance_rows": [
            _row(_("Covered persons"), follow.covered),
            _row(_("– followed up within the interval"), follow.on_time, follow.covered),
            _row(_("Attendance days registered in the period"), attendance.days),
            _row(_("– attended"), attendance.attended, attendance.days),
        ],
        "attendance": attendance,
        "step_rows": step_rows,
        "exit_rows": exit_rows,
        "exits_total": exits_total,
        "exits_work_rows": [
            Row(_("Exits"), exits_total),
            _row(_("– to work or studies"), to_work, out.total)
            if exits_total is not None and to_work is not None
            else Row(_("– to work or studies"), to_work),
        ],
        "month_rows": month_rows,
        "capacity": capacity,
        "capacity_rows": capacity_rows,
        "charts": {
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
                label=_("Chart: households on support per month. The figures are in the table."),
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
        },
    }


@requires(Perm.STATISTICS_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("fran") and not data.get("till"):
        data["till"] = today.isoformat()
        data["fran"] = add_months(month_start(today), -11).isoformat()
    form = DashboardFilterForm(data)
    context: dict[str, Any] = {"form": form, "filtered": bool(request.GET)}
    if not form.is_valid():
        return render(request, "insights/dashboard.html", context)
    context.update(dashboard_context(form.insight_filter(today=today), today=today))
    return render(request, "insights/dashboard.html", context)
