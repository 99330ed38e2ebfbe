"""The dated parameter loader and the packaged parameter files."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from heltid.rules import CoverageFacts, ParameterError, explain
from heltid.rules.parameters import (
    load_versions,
    read_parameter_file,
    select_version,
    version_on,
    version_on_or_upcoming,
)
from heltid.rules.policy import load_policy
from heltid.rules.requirement import activity_requirement

DATED = """
[old]
valid_from = "2020-01-01"
source = "SFS 2019:1"
hours = { value = 40, source = "a" }

[middle]
valid_from = 2023-07-01
source = "SFS 2023:2"
hours = { value = 35, source = "b" }

[new]
valid_from = "2026-01-01"
source = "SFS 2025:3"
hours = { value = 30, source = "c" }
"""


@pytest.fixture
def dated_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.toml"
    path.write_text(DATED, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("on", "key"),
    [
        pytest.param(date(2020, 1, 1), "old", id="first_day_of_first_version"),
        pytest.param(date(2023, 6, 30), "old", id="day_before_second_version"),
        pytest.param(date(2023, 7, 1), "middle", id="first_day_of_second_version"),
        pytest.param(date(2025, 12, 31), "middle", id="last_day_of_second_version"),
        pytest.param(date(2026, 1, 1), "new", id="newest_version"),
        pytest.param(date(2040, 1, 1), "new", id="far_future_keeps_newest"),
    ],
)
def test_parameters__picks_latest_valid_from_on_or_before(
    dated_file: Path, on: date, key: str
) -> None:
    version = select_version(read_parameter_file(dated_file), on)
    assert version.key == key
    assert version.valid_from <= on


def test_parameters__no_version_raises(dated_file: Path) -> None:
    with pytest.raises(ParameterError, match="no version valid on 2019-12-31"):
        select_version(read_parameter_file(dated_file), date(2019, 12, 31))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[a\nvalid_from = 1", "not valid TOML", id="invalid_toml"),
        pytest.param('[a]\nsource = "x"\n', "missing valid_from", id="missing_valid_from"),
        pytest.param('[a]\nvalid_from = "1. juli"\n', "valid_from must be a date", id="bad_date"),
        pytest.param('title = "x"\n', "must be a dated version table", id="top_level_value"),
        pytest.param("", "no dated versions", id="empty_file"),
        pytest.param(
            '[a]\nvalid_from = "2026-01-01"\n[b]\nvalid_from = "2026-01-01"\n',
            "same valid_from",
            id="duplicate_valid_from",
        ),
        pytest.param(
            '[a]\nvalid_from = "2026-01-01"\nsource = 3\n',
            "source must be a string",
            id="bad_source",
        ),
    ],
)
def test_parameters__malformed_file_raises(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        read_parameter_file(path)


def test_parameters__missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="not found"):
        read_parameter_file(tmp_path / "nothing.toml")
    with pytest.raises(ParameterError, match="not found"):
        load_versions("nothing_here")
    with pytest.raises(ParameterError, match="invalid parameter file name"):
        load_versions("../riksnorm")


@pytest.mark.parametrize(
    ("on", "key"),
    [
        pytest.param(date(2021, 1, 1), "2021", id="2021_from_its_first_day"),
        pytest.param(date(2025, 12, 31), "2021", id="2021_until_2026"),
        pytest.param(date(2026, 1, 1), "2026", id="2026"),
    ],
)
def test_parameters__riksnorm_versions(on: date, key: str) -> None:
    assert version_on("riksnorm", on).key == key


def test_parameters__riksnorm_before_first_version_raises() -> None:
    with pytest.raises(
        ParameterError, match=re.escape("riksnorm.toml: no version valid on 2020-12-31")
    ):
        version_on("riksnorm", date(2020, 12, 31))


def test_parameters__activity_requirement_in_force_2026_07_01() -> None:
    with pytest.raises(ParameterError):
        version_on("activity_requirement", date(2026, 6, 30))
    assert version_on("activity_requirement", date(2026, 7, 1)).key == "sol_2026"
    # Before the in-force date the rules use the upcoming version.
    assert version_on_or_upcoming("activity_requirement", date(2026, 6, 30)).key == "sol_2026"


def test_parameters__activity_requirement_values_and_sources() -> None:
    requirement = activity_requirement(date(2026, 7, 1))
    assert requirement.in_force_from == date(2026, 7, 1)
    assert requirement.min_consecutive_months.value == 3
    assert "Prop. 2025/26:207" in requirement.min_consecutive_months.source
    assert requirement.first_applied_month.value == date(2026, 10, 1)
    assert "oktober 2026" in requirement.first_applied_month.source
    assert requirement.minimum_age.value == 18
    assert requirement.school_age_limit.value == 21
    assert set(requirement.benefits.value) == {"sjukpenning", "sjukersattning"}
    assert requirement.full_time_programmes.value == ("JOB", "UGA", "etablering")
    assert "jan 2026" in requirement.full_time_programmes.source
    assert requirement.full_time_hours.value == 40
    # our readings say so in their source; the municipality's hours are not here
    assert requirement.full_time_hours.source.startswith("Heltids tolkning")
    assert requirement.benefits_by_reading.source.startswith("Heltids tolkning")
    assert "Kontrollerad 2026-12-04" in requirement.checked


def test_parameters__no_unverified_marker_in_any_parameter_file() -> None:
    """Sources staff read must not say "verify": the files say what was checked instead."""
    from heltid.rules.parameters import parameter_path

    for name in ("activity_requirement", "riktalder", "policy_linkoping", "reason_codes"):
        text = parameter_path(name).read_text(encoding="utf-8").lower()
        for marker in ("verifiera", "ej verifierad", "verify", "unverified"):
            assert marker not in text, f"{name}.toml: {marker}"


@pytest.mark.parametrize(
    ("on", "age", "source"),
    [
        pytest.param(date(2026, 7, 1), 67, "2019:780", id="2026"),
        pytest.param(date(2028, 12, 31), 67, "2022:1441", id="2028"),
        pytest.param(date(2031, 1, 1), 67, "2025:399", id="2031"),
    ],
)
def test_parameters__riktalder_is_dated(on: date, age: int, source: str) -> None:
    from heltid.rules.requirement import pension_age

    limit = pension_age(on)
    assert limit.value == age
    assert source in limit.source


def test_parameters__child_reduction_is_municipal_policy() -> None:
    policy = load_policy("linkoping", date(2026, 7, 1))
    assert policy.child_under_age.value == 8
    assert policy.child_reduction_hours.value == 10
    assert policy.child_reduction_hours.source.startswith("Kommunens riktlinje")


def test_parameters__policy_values_and_sources() -> None:
    policy = load_policy("linkoping", date(2026, 7, 1))
    assert len(policy.exemption_groups) == 10
    assert policy.young_adult_age_limit.value == 25
    assert policy.young_adult_months.value == 3
    assert policy.adult_months.value == 14
    assert policy.max_months_to_activation.value == 14
    assert policy.state_programmes.value == ("JOB", "UGA")
    assert policy.state_programme_days.value == 450
    assert all("Linköpings kommun 2020" in g.source for g in policy.exemption_groups)


def test_parameters__unknown_policy_raises() -> None:
    person = CoverageFacts(birth_date=date(1990, 1, 1), support_since=date(2026, 1, 1))
    with pytest.raises(ParameterError, match=re.escape("policy_stockholm.toml not found")):
        explain(person, on=date(2026, 11, 1), policy="stockholm")


def test_parameters__policy_before_its_first_version_raises() -> None:
    person = CoverageFacts(birth_date=date(1990, 1, 1), support_since=date(2018, 1, 1))
    with pytest.raises(
        ParameterError, match=re.escape("policy_linkoping.toml: no version valid on 2018-06-01")
    ):
        explain(person, on=date(2018, 6, 1))


def test_parameters__files_ship_inside_the_package() -> None:
    folder = resources.files("heltid.rules.parameters")
    names = {entry.name for entry in folder.iterdir()}
    assert {
        "riksnorm.toml",
        "activity_requirement.toml",
        "policy_linkoping.toml",
        "reason_codes.toml",
    } <= names


def test_parameters__riksnorm_copy_says_where_it_comes_from() -> None:
    text = resources.files("heltid.rules.parameters").joinpath("riksnorm.toml").read_text("utf-8")
    assert "# Copied from shared/data/riksnorm.toml" in text
    assert "[2021]" in text
