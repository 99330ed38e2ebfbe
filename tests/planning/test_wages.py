"""Support versus wages: hand-worked examples, the tax model's edges, bad input and the page.

The hand-worked examples (2026, municipal tax 32 %, housing 7 500 kr and other reasonable
costs 500 kr a month, a job at 25 000 kr a month gross, arbetsgivaravgifter 31,42 %, a state
subsidy of 50 % of the wage cost):

Tax on 25 000 kr a month (prisbasbelopp 2026: 59 200 kr):
    årsinkomst (FFI)   = 12 × 25 000                                   = 300 000
    grundavdrag        : 300 000 is between 3,11 pbb (184 112) and 7,88 pbb (466 496)
                       = 0,77 × 59 200 − 0,10 × (300 000 − 184 112)
                       = 45 584 − 11 588,80 = 33 995,20 → up to hundreds   =  34 000
    beskattningsbar    = 300 000 − 34 000                                 = 266 000
    kommunal skatt     = 32 % × 266 000                                   =  85 120
    statlig skatt      : 266 000 is under the skiktgräns 643 000          =       0
    pensionsavgift     = 7 % × 300 000                                    =  21 000
    ... its reduction  = the whole fee (less than the tax)                = −21 000
    jobbskatteavdrag   : 300 000 is between 3,24 pbb (191 808) and 8,08 pbb (478 336)
                       underlag = 1,813 × 59 200 + 0,251 × (300 000 − 191 808)
                                = 107 329,60 + 27 156,19 = 134 485,79
                       (134 485,79 − 34 000) × 32 % = 32 155,45 → down   = −32 155
    förvärvsinkomster  : FFI over 240 000 gives the maximum               =  −1 500
    public service     = 1 % × 266 000 = 2 660, at most 1 184             =   1 184
    tax a year         = 85 120 + 21 000 + 1 184 − 21 000 − 32 155 − 1 500 = 52 649
    tax a month        = 52 649 / 12 = 4 387,42 → 4 387
    net wage           = 25 000 − 4 387                                   =  20 613
    employer contributions = 31,42 % × 25 000 = 7 855; wage cost 32 855
    state subsidy      = 50 % × 32 855 = 16 427,50 → 16 428

Single adult (riksnorm 2026: single 3 940 + common costs for 1 person 1 280 = 5 220):
    need               = 5 220 + 7 500 + 500                              =  13 220
    support without a job = 13 220 − 0 (no child benefits)                =  13 220
    jobbstimulans      = 25 % × 20 613 = 5 153,25 → 5 153; counted 20 613 − 5 153 = 15 460
    support with the job = 13 220 − 15 460 < 0                            =       0
    disposable income  : without a job 13 220, with the job 20 613
    municipal cost     : support 13 220; subsidised job 32 855 − 16 428 + 0 = 16 427

Couple with two children aged 4 and 9 (riksnorm 2026: couple 7 100 + child 4-6 years 3 060
+ child 7-10 years 3 820 + common costs for 4 persons 2 030 = 16 010):
    need               = 16 010 + 7 500 + 500                             =  24 010
    child benefits     = 2 × 1 250 barnbidrag + 150 flerbarnstillägg      =   2 650
    support without a job = 24 010 − 2 650                                =  21 360
    with jobbstimulans : counted 20 613 − 5 153 = 15 460
                         support with the job = 21 360 − 15 460           =   5 900
                         disposable = 20 613 + 2 650 + 5 900              =  29 163
                         municipal cost, subsidised = 32 855 − 16 428 + 5 900 = 22 327
    without it         : support = 21 360 − 20 613 = 747; disposable = 20 613 + 2 650 + 747
                         = 24 010 (the need: the job changes nothing for the household);
                         municipal cost, subsidised = 32 855 − 16 428 + 747 = 17 174
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from heltid.planning import wages
from heltid.planning.wages import Household, LineGroup, WageInput

URL = "/planering/lon-mot-bistand/"
NBSP = "\u00a0"


def example(household: Household, **changes: Any) -> WageInput:
    base = WageInput(
        year=2026,
        household=household,
        housing_cost=7_500,
        other_costs=500,
        gross_wage=25_000,
        municipal_tax_rate=Decimal("32.0"),
        employer_contribution_rate=Decimal("31.42"),
        subsidy_share=Decimal(50),
        subsidy_ceiling=None,
        jobbstimulans=True,
    )
    return replace(base, **changes)


# --- the hand-worked examples ---------------------------------------------------------


def test_income_tax__25000_a_month__hand_worked() -> None:
    tax = wages.income_tax(year=2026, monthly_wage=25_000, municipal_tax_rate=Decimal("32.0"))
    assert tax.ffi == 300_000
    assert tax.basic_deduction == 34_000
    assert tax.taxable == 266_000
    assert tax.municipal_tax == 85_120
    assert tax.state_tax == 0
    assert tax.pension_fee == 21_000
    assert tax.pension_fee_reduction == 21_000
    assert tax.job_tax_credit == 32_155
    assert tax.earned_income_reduction == 1_500
    assert tax.public_service_fee == 1_184
    assert tax.total == 52_649
    assert tax.monthly == 4_387


def test_compare__single_adult__hand_worked() -> None:
    result = wages.compare(example(Household(adults=1)))
    assert result.riksnorm == 5_220
    assert result.need == 13_220
    assert result.child_benefits == 0
    assert result.support_without_job == 13_220
    assert result.net_wage == 20_613
    assert result.jobbstimulans_disregard == 5_153
    assert result.counted_income == 15_460
    assert result.support_with_job == 0
    assert result.disposable_without_job == 13_220
    assert result.disposable_with_job == 20_613
    assert result.employer_contributions == 7_855
    assert result.wage_cost == 32_855
    assert result.state_subsidy == 16_428
    assert result.municipal_cost_support == 13_220
    assert result.municipal_cost_subsidised == 16_427


def test_compare__couple_with_two_children__hand_worked() -> None:
    result = wages.compare(example(Household(adults=2, children_ages=(4, 9))))
    assert result.riksnorm == 16_010
    assert result.need == 24_010
    assert result.child_benefits == 2_650
    assert result.support_without_job == 21_360
    assert result.net_wage == 20_613
    assert result.counted_income == 15_460
    assert result.support_with_job == 5_900
    assert result.disposable_without_job == 24_010
    assert result.disposable_with_job == 29_163
    assert result.municipal_cost_support == 21_360
    assert result.municipal_cost_subsidised == 22_327


def test_compare__couple_with_two_children__without_jobbstimulans__the_need_and_no_more() -> None:
    result = wages.compare(example(Household(adults=2, children_ages=(4, 9)), jobbstimulans=False))
    assert result.jobbstimulans_disregard == 0
    assert result.counted_income == 20_613
    assert result.support_with_job == 747
    assert result.disposable_with_job == 24_010 == result.need
    assert result.municipal_cost_subsidised == 17_174


def test_compare__single_adult__jobbstimulans_changes_nothing_when_the_wage_covers_the_need() -> (
    None
):
    on = wages.compare(example(Household(adults=1)))
    off = wages.compare(example(Household(adults=1), jobbstimulans=False))
    assert on.support_with_job == off.support_with_job == 0
    assert on.disposable_with_job == off.disposable_with_job == 20_613


def test_compare__lines__every_figure_explained_in_its_group() -> None:
    result = wages.compare(example(Household(adults=2, children_ages=(4, 9))))
    by_label = {(line.group, line.label): line for line in result.lines}
    assert {line.group for line in result.lines} == set(LineGroup)
    assert by_label[(LineGroup.NEED, "Barn 4 år")].amount == 3_060
    assert by_label[(LineGroup.CHILD_BENEFITS, "Flerbarnstillägg, 2 barn")].amount == 150
    credit = by_label[(LineGroup.TAX, "Jobbskatteavdrag")]
    assert credit.amount == -32_155
    assert "67 kap. 7 §" in credit.source
    assert "0,251" in credit.how
    assert by_label[(LineGroup.WITH_JOB, "Försörjningsstöd med arbete")].amount == 5_900
    assert by_label[(LineGroup.WITH_JOB, "Jobbstimulans: del av nettolönen som inte räknas")].source
    cost = by_label[(LineGroup.MUNICIPALITY, "Kostnad med subventionerad anställning")]
    assert cost.amount == 22_327
    assert cost.how == f"32{NBSP}855 − 16{NBSP}428 + 5{NBSP}900"


# --- the tax model's edges ------------------------------------------------------------


def test_income_tax__low_wage__reductions_limited_to_the_municipal_tax() -> None:
    # 3 000 a month: FFI 36 000, grundavdrag 0,423 × 59 200 = 25 041,60 → 25 100, taxable
    # 10 900, municipal tax 3 488, pension fee 7 % × 36 000 = 2 520 → 2 500 (its reduction
    # 2 500); jobbskatteavdrag (36 000 − 25 100) × 32 % = 3 488 but only 3 488 − 2 500 = 988
    # of municipal tax is left; public service 109. Tax: 3 488 + 2 500 + 109 − 2 500 − 988.
    tax = wages.income_tax(year=2026, monthly_wage=3_000, municipal_tax_rate=Decimal(32))
    assert (tax.basic_deduction, tax.taxable, tax.municipal_tax) == (25_100, 10_900, 3_488)
    assert (tax.pension_fee, tax.pension_fee_reduction) == (2_500, 2_500)
    assert tax.job_tax_credit == 988
    assert tax.earned_income_reduction == 0
    assert tax.total == 2_609
    assert tax.monthly == 217


def test_income_tax__high_wage__state_tax_and_the_pension_fee_ceiling() -> None:
    # 80 000 a month: FFI 960 000, grundavdrag 0,293 × 59 200 = 17 345,60 → 17 400, taxable
    # 942 600; state tax 20 % × (942 600 − 643 000) = 59 920; pension fee on at most
    # 8,07 × 83 400 = 673 038: 7 % = 47 112,66 → 47 100.
    tax = wages.income_tax(year=2026, monthly_wage=80_000, municipal_tax_rate=Decimal(32))
    assert tax.taxable == 942_600
    assert tax.state_tax == 59_920
    assert tax.pension_fee == 47_100
    assert tax.public_service_fee == 1_184


def test_child_benefits__student_grant_and_supplement__age_20_nothing() -> None:
    total, lines = wages.child_benefits(year=2026, children_ages=(4, 9, 17))
    assert total == 3 * 1_250 + 730
    assert [line.amount for line in lines] == [1_250, 1_250, 1_250, 730]
    assert "Studiebidrag" in lines[2].label
    assert wages.child_benefits(year=2026, children_ages=(20,))[0] == 0


def test_compare__subsidy_ceiling__caps_the_state_subsidy() -> None:
    result = wages.compare(
        example(Household(adults=1), subsidy_share=Decimal(100), subsidy_ceiling=20_000)
    )
    assert result.state_subsidy == 20_000
    assert result.municipal_cost_subsidised == 32_855 - 20_000


def test_household_types__ages_decide_which_rows__first_n_ages() -> None:
    kinds = wages.household_types((4, 9))
    assert [k.key for k in kinds] == [
        "single",
        "single_parent_1",
        "single_parent_2",
        "couple_0",
        "couple_1",
        "couple_2",
    ]
    assert kinds[1].household == Household(adults=1, children_ages=(4,))
    assert kinds[-1].household == Household(adults=2, children_ages=(4, 9))
    assert len(wages.household_types((4, 9, 15))) == 8


def test_parameters__every_year__has_riksnorm_too() -> None:
    for year in wages.available_years():
        assert wages.compare(example(Household(adults=1), year=year)).riksnorm > 0


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": 2031}, "finns inte"),
        ({"household": Household(adults=3)}, "Antalet vuxna"),
        ({"household": Household(adults=1, children_ages=(21,))}, "Barnets ålder"),
        ({"household": Household(adults=1, children_ages=(-1,))}, "Barnets ålder"),
        ({"housing_cost": -1}, "Boendekostnaden"),
        ({"other_costs": 10**9}, "Övriga skäliga kostnader"),
        ({"gross_wage": 0}, "Bruttolönen"),
        ({"gross_wage": True}, "Bruttolönen"),
        ({"municipal_tax_rate": Decimal(55)}, "Kommunalskatten"),
        ({"municipal_tax_rate": Decimal("NaN")}, "Kommunalskatten"),
        ({"employer_contribution_rate": Decimal(-1)}, "Arbetsgivaravgifterna"),
        ({"subsidy_share": Decimal(101)}, "stödet"),
        ({"subsidy_ceiling": -5}, "Taket"),
    ],
)
def test_compare__bad_input__value_error_in_swedish(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wages.compare(replace(example(Household(adults=1)), **changes))


def test_household_types__more_than_three_ages__value_error() -> None:
    with pytest.raises(ValueError, match="högst 3"):
        wages.household_types((1, 2, 3, 4))
    with pytest.raises(ValueError, match="bara 1"):
        wages.household_type("couple_2", (4,))


# --- the page -------------------------------------------------------------------------


def test_page__permissions(staff: Any, client: Client) -> None:
    assert client.get(URL).status_code == 302  # to the login page
    for user, status in [
        (staff.officer, 403),
        (staff.case_manager, 403),
        (staff.provider, 403),
        (staff.analyst, 200),
        (staff.admin, 200),
    ]:
        client.force_login(user)
        assert client.get(URL).status_code == status, user.username


def test_page__defaults__table_at_once(staff: Any, client: Client) -> None:
    client.force_login(staff.analyst)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for key in wages.HOUSEHOLD_TYPE_KEYS:
        assert f'id="row-{key}"' in html
    single = html.split('id="row-single"')[1].split("</tr>")[0]
    assert f"13{NBSP}220" in single and f"20{NBSP}613" in single and f"16{NBSP}427" in single
    couple = html.split('id="row-couple_2"')[1].split("</tr>")[0]
    assert f"21{NBSP}360" in couple and f"5{NBSP}900" in couple and f"29{NBSP}163" in couple
    assert 'role="region"' in html and "<caption>" in html and 'scope="col"' in html
    assert 'id="detail-h"' in html and "Flerbarnstillägg, 2 barn" in html  # couple_2 detailed


def test_page__submitted__jobbstimulans_off_and_another_household_in_detail(
    staff: Any, client: Client
) -> None:
    client.force_login(staff.analyst)
    params = {
        "ar": "2026",
        "barn_aldrar": "4, 9, 15",
        "boendekostnad": "7 500",
        "ovriga_kostnader": "500",
        "bruttolon": "25000",
        "kommunalskatt": "32,0",
        "arbetsgivaravgifter": "31.42",
        "statligt_stod": "50",
        "stodtak": "",
        "hushall": "single",
    }  # no "jobbstimulans": the box is not ticked
    html = client.get(URL, params).content.decode()
    couple = html.split('id="row-couple_2"')[1].split("</tr>")[0]
    assert '<td class="num">747</td>' in couple
    detail = html.split('id="detail-h"')[1]
    assert "Ensamstående vuxen" in detail and "Flerbarnstillägg" not in detail


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bruttolon": "abc"}, "bruttolon"),
        ({"bruttolon": "0"}, "bruttolon"),
        ({"boendekostnad": "-500"}, "boendekostnad"),
        ({"boendekostnad": "9" * 30}, "boendekostnad"),
        ({"kommunalskatt": "tre"}, "kommunalskatt"),
        ({"kommunalskatt": "NaN"}, "kommunalskatt"),
        ({"kommunalskatt": "99"}, "kommunalskatt"),
        ({"statligt_stod": "150"}, "statligt_stod"),
        ({"ar": "2030"}, "ar"),
        ({"ar": "tjugo"}, "ar"),
        ({"barn_aldrar": "4, x"}, "barn_aldrar"),
        ({"barn_aldrar": "25"}, "barn_aldrar"),
        ({"barn_aldrar": "1, 2, 3, 4"}, "barn_aldrar"),
        ({"barn_aldrar": "4", "hushall": "couple_3"}, "hushall"),
        ({"hushall": "castle"}, "hushall"),
    ],
)
def test_page__bad_input__field_error_no_table(
    staff: Any, client: Client, params: dict[str, str], field: str
) -> None:
    client.force_login(staff.analyst)
    data = {key: value for key, value in _defaults().items() if key not in params} | params
    response = client.get(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'id="row-single"' not in html


def _defaults() -> dict[str, str]:
    from heltid.insights.views_wages import DEFAULTS

    return dict(DEFAULTS)
