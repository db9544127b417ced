"""Rotation timing (窗口人员轮换, ORG-5, 002 篇1 §十.7–§十.9). Django-free.

A regular rotation hands over on the policy's `return_date` (01-01) after an application submitted by
`application_deadline` (12-20, inclusive: 12月20日前) of the year before. A later application, or a
handover on any other day (mid-year), needs the special letter signed by the unit's principal leader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from servicehall.policy.sections.organisation import RotationPolicy


@dataclass(frozen=True, slots=True)
class RotationCheck:
    rule_id: str
    allowed: bool
    reason: str  # "regular" | "late" | "mid_year"
    deadline: date
    special_letter: bool

    def __bool__(self) -> bool:
        raise TypeError("RotationCheck has no truth value; read .allowed")


def regular_handover(policy: RotationPolicy, year: int) -> date:
    """The regular handover day of the rotation decided in `year` (次年1月1日)."""
    month, day = (int(x) for x in policy.return_date.split("-"))
    return date(year + 1 if month < policy.month else year, month, day)


def check_application(
    policy: RotationPolicy, *, submitted_on: date, handover_on: date, special_letter: bool
) -> RotationCheck:
    month, day = (int(x) for x in policy.application_deadline.split("-"))
    decided_in = handover_on.year - 1 if handover_on.month < policy.month else handover_on.year
    deadline = date(decided_in, month, day)
    if handover_on != regular_handover(policy, decided_in):
        reason = "mid_year"
    elif submitted_on > deadline:  # ORG-5: by the deadline, the day itself included
        reason = "late"
    else:
        return RotationCheck("ORG-5", True, "regular", deadline, special_letter)
    allowed = special_letter or not policy.mid_year_requires_special_letter
    return RotationCheck("ORG-5", allowed, reason, deadline, special_letter)
