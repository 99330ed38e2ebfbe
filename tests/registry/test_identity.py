from __future__ import annotations

from datetime import date

import pytest

from heltid.registry.identity import IdentityError, parse_identity


@pytest.mark.parametrize(
    ("raw", "number", "born", "sex"),
    [
        ("198112289874", "198112289874", date(1981, 12, 28), "M"),
        ("19811228-9874", "198112289874", date(1981, 12, 28), "M"),
        ("811228-9874", "198112289874", date(1981, 12, 28), "M"),
        ("189001019802", "189001019802", date(1890, 1, 1), "F"),
    ],
    ids=["12-digits", "with-dash", "10-digits", "woman"],
)
def test_parse_identity__valid(raw: str, number: str, born: date, sex: str) -> None:
    identity = parse_identity(raw)
    assert (identity.number, identity.birth_date, identity.sex) == (number, born, sex)
    assert identity.is_coordination_number is False


def test_parse_identity__samordningsnummer__day_plus_60() -> None:
    # built from a Skatteverket test date of 1890 (no living person): day 01 + 60 = 61
    base = "18900161198"
    digits = base[2:]
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    check = (10 - total % 10) % 10
    identity = parse_identity(f"{base}{check}"[:8] + "-" + f"{base}{check}"[8:])
    assert identity.is_coordination_number is True
    assert identity.birth_date == date(1890, 1, 1)


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "198112289875", "19811328-9874", "1981122898", "19811228--9874", "٢٠٢٠٠١٠١١٢٣٤"],
    ids=["empty", "letters", "bad-check", "bad-month", "short", "double-dash", "arabic-digits"],
)
def test_parse_identity__invalid__swedish_message(raw: str) -> None:
    with pytest.raises(IdentityError) as info:
        parse_identity(raw)
    assert "ersonnum" in str(info.value)
