"""The riksnorm of a person's household, from the registry's facts.

Needs the household's adults and children prefetched."""

from __future__ import annotations

from datetime import date

from heltid.registry.models import Person
from heltid.rules import Child, RiksnormResult, riksnorm, riksnorm_shared_adult
from heltid.rules.dates import age_on


def household_riksnorm(person: Person, *, on: date) -> RiksnormResult | None:
    """Riksnorm for the person's household in ``on``'s year; None when the year has no table.

    Children aged 21 or more are not children of the household for the norm. Whether a young
    child eats lunch outside the home is not recorded, so the amount with lunch at home is used.
    """
    household = person.household
    ages = [age_on(c.birth_date, on) for c in household.children.all()]
    children = [Child(age=a) for a in ages if 0 <= a <= 20]
    adults = len(household.adults.all())
    try:
        if adults > 1 and not household.cohabiting:
            return riksnorm_shared_adult(year=on.year, household_size=adults + len(children))
        return riksnorm(year=on.year, adults=2 if household.cohabiting else 1, children=children)
    except ValueError:
        return None
