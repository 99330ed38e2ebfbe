"""The week's attendance grid: one select per participant and weekday that can be marked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS

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
    field: forms.BoundField | None  # None: the day cannot be marked
    saved: str  # the saved status's label, for a day that cannot be marked


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
        for participant in participants:
            for day in participant.days:
                self.fields[cell_name(participant.referral.pk, day)] = forms.ChoiceField(
                    label=cell_label(participant.name, day),
                    choices=AttendanceStatus.choices,
                    initial=participant.saved.get(day, AttendanceStatus.PRESENT),
                    widget=forms.Select(attrs={"aria-label": cell_label(participant.name, day)}),
                )

    def rows(self) -> list[Row]:
        labels = dict(AttendanceStatus.choices)
        return [
            Row(
                participant=p,
                cells=[
                    Cell(
                        day=day,
                        field=self[cell_name(p.referral.pk, day)] if day in p.days else None,
                        saved=str(labels.get(p.saved[day], "")) if day in p.saved else "",
                    )
                    for day in self.week.days
                ],
            )
            for p in self.participants
        ]

    def marks(self) -> dict[tuple[int, date], str]:
        """``(referral id, day) → status`` for every cell, from a valid form."""
        return {
            (p.referral.pk, day): self.cleaned_data[cell_name(p.referral.pk, day)]
            for p in self.participants
            for day in p.days
        }
