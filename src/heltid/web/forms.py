"""Input limits every form has (issue 12): dates within a sane range, no control characters,
a length limit on every text. One definition: every form of Heltid derives from
:class:`LimitedForm` or :class:`LimitedModelForm` (a test walks them all).

Each limit is a validator added to the form's own copy of its fields, so a form's errors come
field by field, in Swedish, and a field's own limits (a shorter ``max_length``, a narrower
date) still apply.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# A text without its own limit: a long note, never a 100,000-character one.
TEXT_MAX_LENGTH = 10_000
# C0 control characters and DEL, except tab and line breaks (a multi-line note keeps them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: Any) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("The text contains characters that cannot be saved (control characters)."),
            code="control_characters",
        )


def sane_date(value: Any) -> None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s."),
            code="date_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def apply_limits(form: forms.BaseForm) -> None:
    """Add the limits to each of the form's fields (the form's own copies)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            if field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))
            field.validators.append(no_control_characters)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(sane_date)


class LimitedForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_limits(self)


class LimitedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_limits(self)
