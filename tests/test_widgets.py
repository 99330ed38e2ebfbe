"""QuickSelect gives Django's Select markup: the same select, options, attributes and escaping,
only without the whitespace the templates put between options."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from heltid.web.widgets import QuickSelect

CHOICES = [
    ("", "Ingen insats"),
    ("1", 'Lager & "logistik" <3>'),
    ("2", mark_safe("<b>redan säker</b>")),
    ("Grupp & co", [("3", "Trean"), ("4", "Fyran")]),
]


def _form(widget: type[forms.Select], data: dict[str, str] | None = None) -> forms.Form:
    class PickForm(forms.Form):
        pick = forms.ChoiceField(
            choices=CHOICES,
            required=False,
            widget=widget(attrs={"aria-label": "Välj & spara", "data-x": True}),
        )

    return PickForm(data)


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("data", [None, {"pick": "3"}, {"pick": "1"}, {"pick": "okänd"}])
def test_quick_select__same_markup_as_django(data: dict[str, str] | None) -> None:
    django_form, quick_form = _form(forms.Select, data), _form(QuickSelect, data)
    if data:
        django_form.is_valid(), quick_form.is_valid()
    assert _squeezed(str(quick_form["pick"])) == _squeezed(str(django_form["pick"]))
    assert "&amp;" in str(quick_form["pick"]) and "<b>redan säker</b>" in str(quick_form["pick"])


def test_quick_select__chosen_option_selected() -> None:
    html = str(_form(QuickSelect, {"pick": "4"})["pick"])
    assert '<option value="4" selected>Fyran</option>' in html
    assert html.count(" selected") == 1
