"""The default reason codes (försörjningshinder) and their groups."""

from __future__ import annotations

from datetime import date

import pytest

from heltid.rules import ReasonGroup, default_reason_codes
from heltid.rules.policy import load_policy
from heltid.rules.reason_codes import reason_group_for

EXPECTED = [
    ("Arbetar deltid ofrivilligt, otillräcklig inkomst", "unemployment"),
    ("Arbetar deltid ofrivilligt, väntar på inkomst", "unemployment"),
    ("Arbetar heltid, otillräcklig inkomst", "other"),
    ("Arbetar heltid, väntar på inkomst", "other"),
    ("Arbetshinder, sociala skäl", "social"),
    ("Arbetslös, ingen ersättning/stöd", "unemployment"),
    ("Arbetslös, otillräcklig ersättning/stöd", "unemployment"),
    ("Arbetslös, väntar på ersättning/stöd", "unemployment"),
    ("Ensamkommande ungdom 18-20 år, gymnasiestuderande", "other"),
    ("Etableringsersättning saknas (prestationsförmåga <25%)", "other"),
    ("Etableringsersättning otillräcklig", "other"),
    ("Etableringsersättning, väntar på", "other"),
    ("Föräldrapenning otillräcklig", "other"),
    ("Föräldrapenning, väntar på", "other"),
    ("Pension/Äldreförsörjningsstöd otillräcklig", "other"),
    ("Pension/Äldreförsörjningsstöd, väntar på", "other"),
    ("Saknar barnomsorg", "social"),
    ("Sjuk-/Aktivitetsersättning otillräcklig", "ill_health"),
    ("Sjuk-/Aktivitetsersättning, väntar på", "ill_health"),
    ("Sjukskriven med läkarintyg, ingen sjukpenning", "ill_health"),
    ("Sjukskriven med läkarintyg, otillräcklig sjukpenning", "ill_health"),
    ("Sjukskriven med läkarintyg, väntar på sjukpenning", "ill_health"),
    ("Utan försörjningshinder", "other"),
]


def test_reason_codes__all_23_labels_in_file_order() -> None:
    assert [(label, group.value) for label, group in default_reason_codes()] == EXPECTED


@pytest.mark.parametrize(("label", "group"), EXPECTED, ids=[label for label, _ in EXPECTED])
def test_reason_codes__group(label: str, group: str) -> None:
    assert reason_group_for(label) == ReasonGroup(group)


def test_reason_codes__unknown_label_has_no_group() -> None:
    assert reason_group_for("Lottovinst, väntar på") is None


def test_reason_codes__returns_a_fresh_list() -> None:
    codes = default_reason_codes()
    codes.clear()
    assert len(default_reason_codes()) == 23


def test_reason_codes__policy_labels_exist_in_the_default_list() -> None:
    labels = {label for label, _ in default_reason_codes()}
    policy = load_policy("linkoping", date(2026, 7, 1))
    assert {item.trigger for item in policy.reason_code_exemptions} <= labels
