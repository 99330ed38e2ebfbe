"""The analysts' start page: today's target group from the stored figures (decision 0022)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heltid.accounts.permissions import Perm, requires
from heltid.insights import results


@requires(Perm.STATISTICS_VIEW)
def statistics(request: HttpRequest) -> HttpResponse:
    """Today's figures when they are made; until then the latest day's, or that they are being
    made. Never computed in the request."""
    reading = results.statistics_page(timezone.localdate())
    context = {"status": results.status(reading), "figures": None}
    payload = reading.payload
    if payload is not None:
        context["figures"] = {**payload, "on": date.fromisoformat(payload["on"])}
    return render(request, "insights/statistics.html", context)
