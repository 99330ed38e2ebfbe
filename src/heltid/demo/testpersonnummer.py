"""Skatteverket's published test personnummer: the only numbers demo and test data may use."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from heltid.rules.dates import age_on


@cache
def test_personnummer() -> tuple[str, ...]:
    text = resources.files("heltid.demo").joinpath("data/skatteverket-testpersonnummer.txt")
    return tuple(
        line.strip() for line in text.read_text(encoding="ascii").splitlines() if line.strip()
    )


def adults_aged(on: date, *, low: int = 18, high: int = 67) -> list[str]:
    """Test numbers of people aged ``low``–``high`` on ``on``, in file order."""
    result = []
    for number in test_personnummer():
        born = date(int(number[:4]), int(number[4:6]), int(number[6:8]) % 60 or 1)
        if low <= age_on(born, on) <= high:
            result.append(number)
    return result
