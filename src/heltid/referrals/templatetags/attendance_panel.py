"""The attendance section of the person page. PLACEHOLDER: being written."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def attendance_panel(context: Any, person: Any) -> str:
    return ""
