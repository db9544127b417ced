"""Pure organisation rules (no Django): A/B posts (AB岗, ORG-3) and minimum posting (进驻期限, ORG-5).

Plain values in, frozen findings out; services turn findings into errors or flags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_MIN_POSTING_YEARS = (
    1  # ORG-5: "不得少于一个自然年度" (002/篇1 §十.5) unless the policy says otherwise
)


@dataclass(frozen=True, slots=True)
class AbProblem:
    """Why an A/B pair is refused (ORG-3); `field` names the form field to attach the message to."""

    rule_id: str
    field: str
    message: str


def check_ab_pair(
    *,
    post_centre_id: int | None,
    post_unit_id: int | None,
    a_id: int | None,
    a_centre_id: int | None,
    a_unit_id: int | None,
    b_id: int | None,
    b_centre_id: int | None,
    b_unit_id: int | None,
) -> list[AbProblem]:
    """Every reason the A (主办) / B (辅办) pair of a post is not acceptable; empty when it is."""
    problems: list[AbProblem] = []
    if a_id is not None and a_id == b_id:
        problems.append(AbProblem("ORG-3", "b_holder", "ORG-3: A角和B角不能是同一人"))
    for field, label, centre_id, unit_id in (
        ("a_holder", "A角", a_centre_id, a_unit_id),
        ("b_holder", "B角", b_centre_id, b_unit_id),
    ):
        if centre_id is None:
            continue
        if post_centre_id is not None and centre_id != post_centre_id:
            problems.append(AbProblem("ORG-1", field, f"ORG-1: {label}必须是本服务中心的工作人员"))
        elif post_unit_id is not None and unit_id != post_unit_id:
            problems.append(AbProblem("ORG-3", field, f"ORG-3: {label}必须是本岗位所属单位的工作人员"))
    return problems


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class PostingCheck:
    """Result of the ORG-5 posting check. `short` postings are allowed but flagged for the centre."""

    rule_id: str
    short: bool
    min_years: int
    earliest_end: dt.date | None  # the first last-day that satisfies the minimum

    def __bool__(self) -> bool:  # a result is not a yes/no answer; read `.short`
        raise TypeError("PostingCheck has no truth value; use .short")

    @property
    def note(self) -> str:
        if not self.short or self.earliest_end is None:
            return ""
        return f"ORG-5: 进驻期限不足{self.min_years}年(最早应至{self.earliest_end:%Y-%m-%d})"


class PostingOrderError(ValueError):
    """ORG-5: the posting ends before it starts."""


def check_posting(
    *, posted_from: dt.date | None, posted_until: dt.date | None, min_years: int
) -> PostingCheck:
    """ORG-5: a posting (both days inclusive) shorter than `min_years` is flagged, never refused.

    Raises PostingOrderError when the end is before the start. An open-ended posting is not short.
    """
    if posted_from is None or posted_until is None:
        return PostingCheck("ORG-5", False, min_years, None)
    if posted_until < posted_from:
        raise PostingOrderError("ORG-5: 离岗日期不能早于进驻日期")
    # 2025-01-01 .. 2025-12-31 is one full natural year: the last day is the day before the anniversary.
    earliest_end = add_years(posted_from, min_years) - dt.timedelta(days=1)
    return PostingCheck("ORG-5", posted_until < earliest_end, min_years, earliest_end)
