"""The week's attendance grid: one select per participant and weekday that can be marked."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from heltid.referrals.models import AttendanceStatus
from heltid.referrals.services.attendance import Participant, Week
from heltid.web.forms import LimitedForm


def cell_name(referral_id: int, day: date) -> str:
    return f"r{referral_id}-{day:%Y%m%d}"


def cell_label(name: str, day: date) -> str:
    """``Anna Andersson, Monday 2026-11-23``: what a screen reader says for one cell."""
    return f"{name}, {WEEKDAYS[day.weekday()]} {day.isoformat()}"


@dataclass(frozen=True)
class Cell:
    day: date
    name: str
    select: SafeString | None  # the select; None: the day cannot be marked
    errors: list[str]
    saved: str  # the saved status's label, for a day that cannot be marked


def _select(
    name: str, label: str, value: str, options: Sequence[tuple[str, str]], invalid: bool
) -> SafeString:
    """The markup Django's Select gives this field (name, label, id, the chosen option, the
    error's description), built as one string: a group of 30 has 150 of them, and rendering
    each through the widget's templates was most of the page's time (issue 13)."""
    chosen = "".join(
        f'<option value="{v}" selected>{text}</option>'
        if v == value
        else f'<option value="{v}">{text}</option>'
        for v, text in options
    )
    # as Django marks a field with errors: the error paragraph's id is id_<name>_error
    invalid_attr = f' aria-invalid="true" aria-describedby="id_{name}_error"' if invalid else ""
    return format_html(
        '<select name="{}" aria-label="{}" id="id_{}"{}>{}</select>',
        name,
        label,
        name,
        mark_safe(invalid_attr),
        mark_safe(chosen),
    )


@dataclass(frozen=True)
class Row:
    participant: Participant
    cells: list[Cell]


class AttendanceWeekForm(LimitedForm):
    """Every markable cell defaults to the saved status, else "present"."""

    def __init__(self, data: Any = None, *, participants: list[Participant], week: Week) -> None:
        super().__init__(data)
        self.participants = participants
        self.week = week
        # one field per cell, copied from one (a group of 30 has 150): the cells render
        # themselves (rows), so they share the field's widget
        cell = forms.ChoiceField(choices=AttendanceStatus.choices)
        for participant in participants:
            for day in participant.days:
                field = copy.copy(cell)
                field.label = cell_label(participant.name, day)
                field.initial = participant.saved.get(day, AttendanceStatus.PRESENT)
                self.fields[cell_name(participant.referral.pk, day)] = field

    def rows(self) -> list[Row]:
        labels = dict(AttendanceStatus.choices)
        # values and labels escaped once for every select
        options = [(escape(v), escape(str(text))) for v, text in AttendanceStatus.choices]
        errors: dict[str, Any] = dict(self.errors) if self.is_bound else {}
        rows = []
        for p in self.participants:
            cells = []
            for day in self.week.days:
                name = cell_name(p.referral.pk, day)
                select = None
                if day in p.days:
                    value = (
                        self.data.get(name, "")
                        if self.is_bound
                        else p.saved.get(day, AttendanceStatus.PRESENT)
                    )
                    select = _select(
                        name, str(self.fields[name].label), escape(value), options, name in errors
                    )
                cells.append(
                    Cell(
                        day=day,
                        name=name,
                        select=select,
                        errors=list(errors.get(name, [])),
                        saved=str(labels.get(p.saved[day], "")) if day in p.saved else "",
                    )
                )
            rows.append(Row(participant=p, cells=cells))
        return rows

    def marks(self) -> dict[tuple[int, date], str]:
        """``(referral id, day) → status`` for every cell, from a valid form."""
        return {
            (p.referral.pk, day): self.cleaned_data[cell_name(p.referral.pk, day)]
            for p in self.participants
            for day in p.days
        }
