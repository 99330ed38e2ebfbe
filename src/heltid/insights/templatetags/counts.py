"""Counts in the statistics tables: a suppressed count (None) reads "<5" with its
explanation, a shown one with digit grouping. A filter, not an include per cell: the dashboard
has hundreds of cells, and its request reads stored figures only (decision 0022)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def count_cell(value: int | None) -> SafeString | str:
    """``None`` (suppressed) as ``<abbr title="fewer than 5">&lt;5</abbr>``, else the count."""
    if value is None:
        return format_html('<abbr title="{}">&lt;5</abbr>', _("fewer than 5"))
    return number_format(value, 0, force_grouping=True)
