"""Typed view of a municipal policy file (``policy_<name>.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from .parameters import (
    ParameterError,
    ParameterVersion,
    Sourced,
    latest_version,
    sourced_int,
    sourced_strings,
    table,
    tables,
    text,
    version_on,
)
from .types import AF_PROGRAMMES, ExemptionGroup


@dataclass(frozen=True)
class ExemptionGroupDefinition:
    """An exemption group as the policy names it."""

    code: ExemptionGroup
    label: str  # Swedish
    source: str
    statute: str  # how the group stands under the statute (decision record 0014), Swedish


@dataclass(frozen=True)
class ImpliedExemption:
    """A reason code or AF programme that implies an exemption group."""

    trigger: str  # reason-code label or AF programme
    exemption: ExemptionGroup
    source: str


@dataclass(frozen=True)
class CaseworkDeadlines:
    """Days within which casework must happen (counted from coverage or the last follow-up)."""

    assessment_days: Sourced[int]
    plan_days: Sourced[int]
    first_activity_days: Sourced[int]
    follow_up_days: Sourced[int]
    due_soon_days: Sourced[int]


@dataclass(frozen=True)
class ReferralRules:
    """Signals, the seamless chain and waiting-list priority points."""

    unexcused_absence_days: Sourced[int]
    absence_period_days: Sourced[int]
    gap_days: Sourced[int]
    points_per_month_covered: Sourced[int]
    max_months_counted: Sourced[int]
    young_adult_points: Sourced[int]
    outside_af_points: Sourced[int]
    past_activation_date_points: Sourced[int]
    requested_step_points: Sourced[int]


@dataclass(frozen=True)
class Policy:
    """One dated version of a municipal policy."""

    name: str
    valid_from: date
    source: str
    exemption_groups: tuple[ExemptionGroupDefinition, ...]
    reason_code_exemptions: tuple[ImpliedExemption, ...]
    af_programme_exemptions: tuple[ImpliedExemption, ...]
    young_adult_age_limit: Sourced[int]
    young_adult_months: Sourced[int]
    adult_months: Sourced[int]
    max_months_to_activation: Sourced[int]
    state_programmes: Sourced[tuple[str, ...]]
    state_programme_days: Sourced[int]
    child_under_age: Sourced[int]
    child_reduction_hours: Sourced[int]
    casework: CaseworkDeadlines
    referrals: ReferralRules

    def group(self, code: ExemptionGroup) -> ExemptionGroupDefinition:
        """The policy's definition of an exemption group."""
        for definition in self.exemption_groups:
            if definition.code == code:
                return definition
        raise ParameterError(f"policy {self.name}: exemption group {code.value} is not defined")

    def exemption_for_reason_code(self, label: str | None) -> ImpliedExemption | None:
        """The exemption implied by a reason-code label, if any."""
        return _find(self.reason_code_exemptions, label)

    def exemption_for_af_programme(self, programme: str) -> ImpliedExemption | None:
        """The exemption implied by an AF programme, if any."""
        return _find(self.af_programme_exemptions, programme)


def _find(items: tuple[ImpliedExemption, ...], trigger: str | None) -> ImpliedExemption | None:
    if trigger is None:
        return None
    for item in items:
        if item.trigger == trigger:
            return item
    return None


def _exemption_code(value: str, *, where: str) -> ExemptionGroup:
    try:
        return ExemptionGroup(value)
    except ValueError:
        raise ParameterError(f"{where}: unknown exemption group {value!r}") from None


def _implied(
    entries: tuple[Mapping[str, Any], ...], trigger_key: str, *, where: str
) -> tuple[ImpliedExemption, ...]:
    result: list[ImpliedExemption] = []
    for index, entry in enumerate(entries):
        entry_where = f"{where}[{index}]"
        trigger = text(entry, trigger_key, where=entry_where)
        if any(item.trigger == trigger for item in result):
            raise ParameterError(f"{entry_where}: {trigger!r} is listed twice")
        result.append(
            ImpliedExemption(
                trigger=trigger,
                exemption=_exemption_code(
                    text(entry, "exemption", where=entry_where), where=entry_where
                ),
                source=text(entry, "source", where=entry_where),
            )
        )
    return tuple(result)


def _groups(
    entries: tuple[Mapping[str, Any], ...], *, where: str
) -> tuple[ExemptionGroupDefinition, ...]:
    result: list[ExemptionGroupDefinition] = []
    for index, entry in enumerate(entries):
        entry_where = f"{where}[{index}]"
        code = _exemption_code(text(entry, "code", where=entry_where), where=entry_where)
        if any(item.code == code for item in result):
            raise ParameterError(f"{entry_where}: exemption group {code.value} is listed twice")
        result.append(
            ExemptionGroupDefinition(
                code=code,
                label=text(entry, "label", where=entry_where),
                source=text(entry, "source", where=entry_where),
                statute=text(entry, "statute", where=entry_where),
            )
        )
    missing = [code.value for code in ExemptionGroup if all(item.code != code for item in result)]
    if missing:
        raise ParameterError(f"{where}: exemption groups missing: {', '.join(missing)}")
    return tuple(result)


def _casework(data: Mapping[str, Any], *, where: str) -> CaseworkDeadlines:
    return CaseworkDeadlines(
        assessment_days=sourced_int(data, "assessment_days", where=where),
        plan_days=sourced_int(data, "plan_days", where=where),
        first_activity_days=sourced_int(data, "first_activity_days", where=where),
        follow_up_days=sourced_int(data, "follow_up_days", where=where),
        due_soon_days=sourced_int(data, "due_soon_days", where=where),
    )


def _referrals(data: Mapping[str, Any], *, where: str) -> ReferralRules:
    return ReferralRules(
        **{
            name: sourced_int(data, name, where=where)
            for name in ReferralRules.__dataclass_fields__
        }
    )


@cache
def _parse(name: str, version: ParameterVersion) -> Policy:
    where = f"{version.file} [{version.key}]"
    data = version.data
    priority = table(data, "priority", where=where)
    priority_where = f"{where}.priority"
    policy = Policy(
        name=name,
        valid_from=version.valid_from,
        source=version.source or where,
        exemption_groups=_groups(
            tables(data, "exemption_groups", where=where), where=f"{where}.exemption_groups"
        ),
        reason_code_exemptions=_implied(
            tables(data, "reason_code_exemptions", where=where),
            "reason_code",
            where=f"{where}.reason_code_exemptions",
        ),
        af_programme_exemptions=_implied(
            tables(data, "af_programme_exemptions", where=where),
            "af_programme",
            where=f"{where}.af_programme_exemptions",
        ),
        young_adult_age_limit=sourced_int(priority, "young_adult_age_limit", where=priority_where),
        young_adult_months=sourced_int(priority, "young_adult_months", where=priority_where),
        adult_months=sourced_int(priority, "adult_months", where=priority_where),
        max_months_to_activation=sourced_int(
            priority, "max_months_to_activation", where=priority_where
        ),
        state_programmes=sourced_strings(data, "state_programmes", where=where),
        state_programme_days=sourced_int(data, "state_programme_days", where=where),
        child_under_age=sourced_int(
            table(data, "hours", where=where), "child_under_age", where=f"{where}.hours"
        ),
        child_reduction_hours=sourced_int(
            table(data, "hours", where=where), "child_reduction", where=f"{where}.hours"
        ),
        casework=_casework(table(data, "casework", where=where), where=f"{where}.casework"),
        referrals=_referrals(table(data, "referrals", where=where), where=f"{where}.referrals"),
    )
    unknown = [
        programme
        for programme in (
            *policy.state_programmes.value,
            *(item.trigger for item in policy.af_programme_exemptions),
        )
        if programme not in AF_PROGRAMMES
    ]
    if unknown:
        raise ParameterError(f"{where}: unknown AF programmes: {', '.join(unknown)}")
    return policy


def _file(policy: str) -> str:
    return f"policy_{policy}"


@lru_cache(maxsize=1024)
def load_policy(policy: str, on: date | None = None) -> Policy:
    """The policy version in force on ``on`` (the latest version when ``on`` is None).

    Remembered per process for each policy and day (the files are packaged and read once), so
    rules run for thousands of persons in one request look it up in a dictionary."""
    file = _file(policy)
    version = latest_version(file) if on is None else version_on(file, on)
    return _parse(policy, version)
