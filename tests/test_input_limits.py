"""Input limits everywhere (issue 12): every form of Heltid has them, and bad input gets a
Swedish field error and changes nothing."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import translation

import heltid
from heltid.registry.models import Person, PersonFact
from heltid.web.forms import LimitedForm, LimitedModelForm, apply_limits


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(heltid.__path__, "heltid."):
        if ".migrations" in module.name or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[Any]] = [forms.Form, forms.ModelForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("heltid.") and sub.__module__ != "heltid.web.forms":
                found.append(sub)
    return found


def test_every_form_of_heltid_has_the_limits() -> None:
    all_forms = _all_forms()
    assert len(all_forms) > 30  # the walk found the forms
    missing = [
        f"{f.__module__}.{f.__name__}"
        for f in all_forms
        if not issubclass(f, LimitedForm | LimitedModelForm)
    ]
    assert missing == []


class _Sample(forms.Form):
    text = forms.CharField(widget=forms.Textarea)
    short = forms.CharField(max_length=20)
    day = forms.DateField()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"day": "0001-01-01"}, "day", id="year_1"),
        pytest.param({"day": "9999-12-31"}, "day", id="year_9999"),
        pytest.param({"text": "x" * 100_000}, "text", id="100000_characters"),
        pytest.param({"text": "rad\x00två"}, "text", id="nul"),
        pytest.param({"short": "Anna\x1b[31m"}, "short", id="escape"),
        pytest.param({"text": "\x7f"}, "text", id="delete"),
    ],
)
def test_limits__bad_value__swedish_field_error(data: dict[str, str], field: str) -> None:
    form = _Sample(
        {"text": "En anteckning.\nTvå rader.\t", "short": "Anna", "day": "2026-01-05", **data}
    )
    apply_limits(form)
    with translation.override("sv"):
        assert not form.is_valid()
        message = form.errors[field][0]
    assert list(form.errors) == [field]
    assert any(word in message for word in ("datum", "tecken", "högst")), message


def test_limits__good_values_pass_and_line_breaks_stay() -> None:
    form = _Sample(
        {"text": "En anteckning.\r\nTvå rader.\t", "short": "Åsa Öberg", "day": "1950-02-28"}
    )
    apply_limits(form)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(1950, 2, 28)


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        pytest.param(
            "uppgifter/ny/",
            {"fact": "benefit:sjukpenning", "starts_on": "0001-01-01"},
            "starts_on",
            id="fact_year_1",
        ),
        pytest.param(
            "uppgifter/ny/",
            {"fact": "benefit:sjukpenning", "starts_on": "2026-01-05", "ends_on": "9999-12-31"},
            "ends_on",
            id="fact_year_9999",
        ),
        pytest.param(
            "timmar/",
            {"individual_weekly_hours": "20", "individual_hours_reason": "x" * 100_000},
            "individual_hours_reason",
            id="hours_reason_100000",
        ),
        pytest.param(
            "timmar/",
            {"individual_weekly_hours": "20", "individual_hours_reason": "Skäl\x00"},
            "individual_hours_reason",
            id="hours_reason_nul",
        ),
    ],
)
@pytest.mark.django_db
def test_person_forms__bad_input__field_error_nothing_changed(
    staff: Any, person: Person, client: Client, url: str, data: dict[str, str], field: str
) -> None:
    facts_before = PersonFact.objects.filter(person=person).count()
    hours_before = (person.individual_weekly_hours, person.individual_hours_reason)
    client.force_login(staff.officer)
    response = client.post(f"/personer/{person.pk}/{url}", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    person.refresh_from_db()
    assert PersonFact.objects.filter(person=person).count() == facts_before
    assert (person.individual_weekly_hours, person.individual_hours_reason) == hours_before
