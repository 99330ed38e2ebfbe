"""The riksnorm of a person's household, from the registry's facts.

Needs the household's adults and children prefetched."""

from __future__ import annotations

from datetime import date

from heltid.registry.models import Person
from heltid.rules import Child, RiksnormResult, riksnorm, riksnorm_shared_adult, riksnorm_year_on
from heltid.rules.dates import age_on
from heltid.rules.parameters import ParameterError


def household_riksnorm(person: Person, *, on: date) -> RiksnormResult | None:
    """Riksnorm for the person's household on ``on``: ``on``'s year's norm, or the latest one
    before it until that year's is in the parameters (``riksnorm_year_on``); None when no norm
    applies.

    Children aged 21 or more are not children of the household for the norm. Whether a young
    child eats lunch outside the home is not recorded, so the amount with lunch at home is used.
    """
    household = person.household
    ages = [age_on(c.birth_date, on) for c in household.children.all()]
    children = [Child(age=a) for a in ages if 0 <= a <= 20]
    adults = len(household.adults.all())
    try:
        year = riksnorm_year_on(on)
        if adults > 1 and not household.cohabiting:
            return riksnorm_shared_adult(year=year, household_size=adults + len(children))
        return riksnorm(year=year, adults=2 if household.cohabiting else 1, children=children)
    except (ValueError, ParameterError):  # no norm for that day in the parameters
        return None
