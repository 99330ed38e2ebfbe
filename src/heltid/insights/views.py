from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heltid.accounts.permissions import Perm, requires
from heltid.insights import snapshots
from heltid.insights.filters import InsightFilter
from heltid.insights.privacy import suppress_distribution
from heltid.insights.statistics import suppress, target_group_stats
from heltid.rules import exemption_label


@requires(Perm.STATISTICS_VIEW)
def statistics(request: HttpRequest) -> HttpResponse:
    """The analysts' start page: today's target group from the stored statistics. The target
    group's two parts and the exemptions by group are suppressed together with their totals,
    so no hidden count follows by subtraction."""
    today = timezone.localdate()
    basis = snapshots.basis(InsightFilter(start=today, end=today), today=today)
    stats = target_group_stats(on=today, base=basis.base)
    parts, target = suppress_distribution(
        {"unemployed": stats.unemployed_coded, "other": stats.other_target}
    )
    by_group, exempt = suppress_distribution(stats.exempt_by_reason)
    exempt_rows = [
        {"label": exemption_label(group), "count": by_group[group]}
        for group in stats.exempt_by_reason
    ]
    return render(
        request,
        "insights/statistics.html",
        {
            "stats": stats,
            "counts": {
                # recipients = target group + exempted + the rest: hidden with the exempted
                "recipients": suppress(stats.recipients) if exempt is not None else None,
                "target_group": target,
                "unemployed_coded": parts["unemployed"],
                "other_target": parts["other"],
                "covered": suppress(stats.covered),
                "exempt": exempt,
            },
            "exempt_rows": exempt_rows,
            "women_pct": _share_pct(stats.target_women, stats.target_group),
            "ill_health_pct": _share_pct(stats.target_ill_health, stats.target_assessed),
            "source": snapshots.describe(basis.snapshot),
        },
    )


def _share_pct(part: int, whole: int) -> int | None:
    """A share in per cent, shown only when the part and the rest are both not small: with the
    whole published elsewhere, a share gives back its part."""
    if not whole or suppress(part) is None or suppress(whole - part) is None:
        return None
    return round(100 * part / whole)
