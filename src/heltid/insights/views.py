from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heltid.accounts.permissions import Perm, requires
from heltid.insights.statistics import suppress, target_group_stats
from heltid.rules import exemption_label


@requires(Perm.STATISTICS_VIEW)
def statistics(request: HttpRequest) -> HttpResponse:
    stats = target_group_stats(on=timezone.localdate())
    exempt_rows = [
        {"label": exemption_label(group), "count": suppress(count)}
        for group, count in stats.exempt_by_reason.items()
    ]
    return render(
        request,
        "insights/statistics.html",
        {
            "stats": stats,
            "exempt_rows": exempt_rows,
            "women_pct": round(stats.target_women_share * 100),
            "ill_health_pct": round(stats.target_ill_health_share * 100),
        },
    )
