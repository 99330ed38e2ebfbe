"""heltid.rules: the rules of full-time activation as pure, explained functions.

Pure Python (standard library only, no Django). Every result carries the
reasons behind it, each with a legal or policy source. The numbers live in
dated parameter files in ``parameters/`` (TOML); for a date the loader picks
the version with the latest ``valid_from`` on or before it.

- ``explain``: is a person covered by the national activity requirement
  (SoL 2025:400, from 2026-07-01), exempt under the municipal policy, in the
  target group, which priority, how many hours a week.
- ``casework_deadlines``: assessment, plan, first activity and follow-up deadlines.
- ``riksnorm`` / ``riksnorm_shared_adult``: the national standard amount for a
  household.
"""

from __future__ import annotations

from .deadlines import (
    CaseworkFacts,
    Deadline,
    DeadlineKind,
    DeadlineState,
    casework_deadlines,
    latest_next_follow_up,
)
from .exemptions import effective_exemption, exemption_label
from .explanation import explain, explanation_as_json
from .hours import weekly_hours
from .parameters import ParameterError
from .reason_codes import default_reason_codes
from .riksnorm import riksnorm, riksnorm_as_json, riksnorm_shared_adult, riksnorm_year_on
from .types import (
    Child,
    CoverageFacts,
    ExemptionGroup,
    Explanation,
    Priority,
    Reason,
    ReasonGroup,
    RiksnormLine,
    RiksnormResult,
)
from .waiting import WaitingFacts, WaitingPriority, waiting_priority

__all__ = [
    "CaseworkFacts",
    "Child",
    "CoverageFacts",
    "Deadline",
    "DeadlineKind",
    "DeadlineState",
    "ExemptionGroup",
    "Explanation",
    "ParameterError",
    "Priority",
    "Reason",
    "ReasonGroup",
    "RiksnormLine",
    "RiksnormResult",
    "WaitingFacts",
    "WaitingPriority",
    "casework_deadlines",
    "default_reason_codes",
    "effective_exemption",
    "exemption_label",
    "explain",
    "explanation_as_json",
    "latest_next_follow_up",
    "riksnorm",
    "riksnorm_as_json",
    "riksnorm_shared_adult",
    "riksnorm_year_on",
    "waiting_priority",
    "weekly_hours",
]
