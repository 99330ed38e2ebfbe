"""Coverage by the national activity requirement, the 450-day rule and exemptions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from heltid.rules import (
    CoverageFacts,
    ExemptionGroup,
    effective_exemption,
    exemption_label,
    explain,
    explanation_as_json,
)

ADULT = CoverageFacts(birth_date=date(1990, 5, 17), support_since=date(2026, 7, 1))


def facts(**changes: object) -> CoverageFacts:
    return replace(ADULT, **changes)  # type: ignore[arg-type]


def rules(explanation: object) -> list[str]:
    return [reason.rule for reason in explanation.reasons]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("person", "on", "covered", "covered_from"),
    [
        pytest.param(facts(), date(2026, 9, 30), False, date(2026, 10, 1), id="before_3_months"),
        pytest.param(facts(), date(2026, 10, 1), True, date(2026, 10, 1), id="exactly_3_months"),
        pytest.param(facts(), date(2027, 5, 1), True, date(2026, 10, 1), id="long_after_3_months"),
        pytest.param(
            facts(support_since=date(2025, 1, 1)),
            date(2026, 6, 30),
            False,
            date(2026, 10, 1),
            id="before_in_force_date",
        ),
        pytest.param(
            facts(support_since=date(2025, 1, 1)),
            date(2026, 7, 1),
            False,
            date(2026, 10, 1),
            id="in_force_but_not_yet_applied",
        ),
        pytest.param(
            facts(support_since=date(2025, 1, 1)),
            date(2026, 9, 30),
            False,
            date(2026, 10, 1),
            id="30_september_2026_not_yet_applied",
        ),
        pytest.param(
            facts(support_since=date(2025, 1, 1)),
            date(2026, 10, 1),
            True,
            date(2026, 10, 1),
            id="1_october_2026_first_applied",
        ),
        pytest.param(
            facts(support_since=date(2026, 8, 1)),
            date(2026, 10, 15),
            False,
            date(2026, 11, 1),
            id="three_months_end_after_first_applied",
        ),
        pytest.param(
            facts(support_since=date(2026, 1, 1), support_until=date(2026, 11, 1)),
            date(2026, 11, 30),
            True,
            date(2026, 10, 1),
            id="last_day_of_last_month_on_support",
        ),
        pytest.param(
            facts(support_since=date(2026, 1, 1), support_until=date(2026, 11, 1)),
            date(2026, 12, 1),
            False,
            None,
            id="support_ended",
        ),
        pytest.param(
            facts(support_since=None), date(2026, 11, 1), False, None, id="not_on_support"
        ),
        pytest.param(
            facts(support_since=date(2027, 1, 1)),
            date(2026, 12, 1),
            False,
            None,
            id="support_not_started",
        ),
        pytest.param(
            facts(af_programme="other", af_programme_since=date(2026, 1, 1)),
            date(2026, 11, 1),
            True,
            date(2026, 10, 1),
            id="other_programme_is_not_full_time",
        ),
    ],
)
def test_coverage__covered_and_covered_from(
    person: CoverageFacts, on: date, covered: bool, covered_from: date | None
) -> None:
    result = explain(person, on=on)
    assert result.covered is covered
    assert result.covered_from == covered_from


def test_coverage__before_first_applied_month_says_so() -> None:
    result = explain(facts(support_since=date(2025, 1, 1)), on=date(2026, 8, 1))
    assert "activity_requirement.first_applied" in rules(result)
    text = next(r.text for r in result.reasons if r.rule == "activity_requirement.first_applied")
    assert "oktober 2026" in text and "2026-10-01" in text


def test_coverage__job_participant_is_excluded_by_law_and_the_day_rule_is_policy() -> None:
    result = explain(
        facts(
            support_since=date(2025, 1, 1), af_programme="JOB", af_programme_since=date(2025, 3, 1)
        ),
        on=date(2026, 11, 1),
    )
    assert result.covered is False
    assert "activity_requirement.exclusion.full_time_programme" in rules(result)
    # the municipality's 450-day rule decides municipal interventions, not the statute
    assert result.priority.group == "state_programme"
    assert result.priority.activate_by == date(2026, 5, 25)
    assert result.target_group is True


def test_coverage__etablering_is_excluded_nationally_and_exempt_by_policy() -> None:
    result = explain(facts(af_programme="etablering"), on=date(2026, 11, 1))
    assert result.covered is False
    assert result.exemption == "establishment_programme"
    assert "activity_requirement.exclusion.full_time_programme" in rules(result)
    assert "policy.exemption.af_programme" in rules(result)


@pytest.mark.parametrize("group", list(ExemptionGroup), ids=lambda g: str(g))
def test_coverage__each_explicit_exemption(group: ExemptionGroup) -> None:
    person = facts(exemption=group.value, exemption_review_on=date(2027, 1, 1))
    result = explain(person, on=date(2026, 11, 1))
    # a municipal group never lifts the statute's requirement: the scope is adapted instead
    assert result.covered is True
    assert result.covered_from == date(2026, 10, 1)
    assert "policy.exemption.scope" in rules(result)
    assert result.exemption == group.value
    assert result.target_group is False
    assert result.exemption_review_due is False
    reason = next(r for r in result.reasons if r.rule == "policy.exemption.explicit")
    assert exemption_label(group.value) in reason.text
    assert "kan omprövas" in reason.text
    assert "Linköpings kommun 2020" in reason.source


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("establishment_programme", "Etableringsprogrammet"),
        ("sick_listed_full", "Sjukskriven med helt nedsatt arbetsförmåga"),
        ("extensive_ill_health", "Omfattande ohälsoproblematik"),
        ("parental_leave", "Föräldraledig"),
        ("pension", "Pensionär eller går snart i pension"),
        ("unaccompanied_student", "Ensamkommande gymnasiestuderande ungdom"),
        ("addiction_care", "Missbruk med planering inom missbruksvården"),
        ("health_investigation", "Pågående kontakter eller utredning inom vården"),
        ("probation_sig", "Planering med Frivården eller Sociala insatsgruppen"),
        ("fk_application", "Planerar att söka ersättning hos Försäkringskassan"),
    ],
)
def test_exemption_label__swedish_labels(code: str, label: str) -> None:
    assert exemption_label(code) == label
    assert ExemptionGroup(code).value == code


def test_exemption_label__unknown_code_raises() -> None:
    with pytest.raises(ValueError, match="Okänd undantagsgrupp"):
        exemption_label("holiday")


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        pytest.param(
            facts(reason_code="Etableringsersättning, väntar på"),
            "establishment_programme",
            id="etableringsersattning_waiting",
        ),
        pytest.param(
            facts(reason_code="Etableringsersättning saknas (prestationsförmåga <25%)"),
            "establishment_programme",
            id="etableringsersattning_missing",
        ),
        pytest.param(
            facts(reason_code="Föräldrapenning, väntar på"), "parental_leave", id="foraldrapenning"
        ),
        pytest.param(
            facts(reason_code="Pension/Äldreförsörjningsstöd otillräcklig"), "pension", id="pension"
        ),
        pytest.param(
            facts(reason_code="Ensamkommande ungdom 18-20 år, gymnasiestuderande"),
            "unaccompanied_student",
            id="unaccompanied_student",
        ),
        pytest.param(
            facts(reason_code="Sjuk-/Aktivitetsersättning, väntar på"),
            "fk_application",
            id="waiting_for_sickness_compensation",
        ),
        pytest.param(
            facts(reason_code="Sjuk-/Aktivitetsersättning otillräcklig"),
            None,
            id="insufficient_sickness_compensation_not_derived",
        ),
        pytest.param(
            facts(reason_code="Arbetslös, ingen ersättning/stöd"), None, id="unemployed_not_exempt"
        ),
        pytest.param(facts(af_programme="etablering"), "establishment_programme", id="etablering"),
        pytest.param(
            facts(exemption="addiction_care", reason_code="Föräldrapenning, väntar på"),
            "addiction_care",
            id="explicit_wins_over_derived",
        ),
        pytest.param(facts(), None, id="no_facts_no_exemption"),
    ],
)
def test_effective_exemption__explicit_or_derived(
    person: CoverageFacts, expected: str | None
) -> None:
    assert effective_exemption(person) == expected
    assert explain(person, on=date(2026, 11, 1)).exemption == expected


def test_coverage__derived_exemption_from_reason_code() -> None:
    person = facts(reason_code="Föräldrapenning otillräcklig", reason_group="other")
    result = explain(person, on=date(2026, 11, 1))
    assert result.covered is True  # föräldrapenning is not an exclusion in the statute
    assert result.exemption == "parental_leave"
    assert result.exemption_review_due is False
    reason = next(r for r in result.reasons if r.rule == "policy.exemption.reason_code")
    assert "Föräldraledig" in reason.text
    assert "Föräldrapenning otillräcklig" in reason.text


@pytest.mark.parametrize(
    ("on", "review_due", "rule"),
    [
        pytest.param(date(2026, 8, 31), False, "policy.exemption.review_planned", id="before"),
        pytest.param(date(2026, 9, 1), True, "policy.exemption.review_due", id="on_review_date"),
        pytest.param(date(2026, 10, 1), True, "policy.exemption.review_due", id="overdue"),
    ],
)
def test_coverage__exemption_review(on: date, review_due: bool, rule: str) -> None:
    person = facts(exemption="extensive_ill_health", exemption_review_on=date(2026, 9, 1))
    result = explain(person, on=on)
    assert result.exemption_review_due is review_due
    assert rule in rules(result)
    if review_due:
        text = next(r.text for r in result.reasons if r.rule == rule)
        assert "ska omprövas" in text
        assert "2026-09-01" in text


def test_coverage__explicit_exemption_without_review_date_is_flagged() -> None:
    result = explain(facts(exemption="pension"), on=date(2026, 11, 1))
    assert "policy.exemption.review_missing" in rules(result)
    assert result.exemption_review_due is False


@pytest.mark.parametrize(
    ("person", "on", "target_group"),
    [
        pytest.param(facts(), date(2026, 7, 1), True, id="on_support_first_month"),
        pytest.param(facts(), date(2026, 6, 30), False, id="before_support"),
        pytest.param(
            facts(support_since=date(2019, 3, 1)), date(2019, 6, 1), True, id="2019_mapping"
        ),
        pytest.param(facts(exemption="pension"), date(2026, 11, 1), False, id="exempt"),
        pytest.param(
            facts(af_programme="JOB", af_programme_since=date(2026, 6, 1)),
            date(2026, 11, 1),
            True,
            id="job_participant",
        ),
    ],
)
def test_target_group__on_support_and_not_exempt(
    person: CoverageFacts, on: date, target_group: bool
) -> None:
    assert explain(person, on=on).target_group is target_group


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"af_programme": "KOM"}, "Okänt program", id="unknown_programme"),
        pytest.param({"exemption": "holiday"}, "Okänd undantagsgrupp", id="unknown_exemption"),
        pytest.param({"reason_group": "weather"}, "Okänd grupp", id="unknown_reason_group"),
        pytest.param(
            {"support_since": None, "support_until": date(2026, 8, 1)},
            "kräver en startmånad",
            id="until_without_since",
        ),
        pytest.param(
            {"support_until": date(2026, 6, 1)}, "före startmånaden", id="until_before_since"
        ),
        pytest.param({"birth_date": date(2027, 1, 1)}, "Födelsedatumet", id="born_after_on"),
    ],
)
def test_explain__inconsistent_facts_raise_value_error(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        explain(facts(**changes), on=date(2026, 11, 1))


SCENARIOS = [
    facts(),
    facts(support_since=None),
    facts(support_since=date(2026, 1, 1), support_until=date(2026, 8, 1)),
    facts(af_programme="JOB", af_programme_since=date(2026, 1, 1)),
    facts(af_programme="UGA"),
    facts(af_programme="etablering"),
    facts(exemption="sick_listed_full", exemption_review_on=date(2026, 8, 1)),
    facts(reason_code="Föräldrapenning, väntar på"),
    facts(children_birth_dates=(date(2022, 1, 1),), part_time_hours=20),
]


@pytest.mark.parametrize("person", SCENARIOS, ids=lambda p: f"{p.af_programme}-{p.exemption}")
@pytest.mark.parametrize("on", [date(2026, 6, 1), date(2026, 11, 1)], ids=str)
def test_explain__every_reason_has_rule_text_and_source(person: CoverageFacts, on: date) -> None:
    result = explain(person, on=on)
    assert result.reasons
    for reason in result.reasons:
        assert reason.rule and reason.text.strip() and reason.source.strip()
        assert reason.text.endswith(".")
    data = explanation_as_json(result)
    assert json.loads(json.dumps(data)) == data


def test_explanation_as_json__shape() -> None:
    data = explanation_as_json(explain(facts(), on=date(2026, 11, 1)))
    assert data["covered"] is True
    assert data["covered_from"] == "2026-10-01"
    assert data["weekly_hours"] == 40
    assert isinstance(data["weekly_hours"], int)
    assert data["priority"] == {
        "group": "adult_outside_af",
        "activate_by": "2027-09-01",
        "text": data["priority"]["text"],
    }
    assert data["exemption"] is None
    assert data["target_group"] is True
    assert set(data["reasons"][0]) == {"rule", "basis", "text", "source"}
    assert data["reasons"][0]["basis"] == "fact"
