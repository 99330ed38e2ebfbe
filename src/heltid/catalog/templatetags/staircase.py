"""``{% staircase_figure %}``: the staircase chart and its table, for pages whose view does not
compute them (the start page of analysts and administrators)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from heltid.catalog.charts import staircase_context

register = template.Library()


@register.inclusion_tag("catalog/_staircase_figure.html")
def staircase_figure(*, full: bool = False) -> dict[str, Any]:
    return {**staircase_context(on=timezone.localdate()), "full": full}
