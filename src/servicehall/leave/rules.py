"""Pure leave rules (请假规则): LEAVE-1..6 and ORG-3 over plain data, no Django.

Every check returns `Finding`s that cite their rule and the policy values used; the services turn a
blocking finding into a `RuleViolation`. A finding's `message` is Chinese (what staff read), its `en`
the English gloss; `text` joins them as "中文 (English)" and the refusal reads "RULE-ID: 中文 (English)". Lengths are in working days (工作日) from a `WorkCalendar`;
a leave runs from the morning (am) or afternoon (pm) half of its first day to the am or pm half of its
last day, both included, so half days are exact.
"""

from __future__ import annotations

import calendar as _calendar
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, TypeVar

from servicehall.core.dates import check_date
from servicehall.core.errors import InputError, RuleViolation
from servicehall.policy.sections.leave import LEAVE_KINDS, ApprovalTier, LeavePolicy
from servicehall.workdays.calendar import WorkCalendar

AM, PM = "am", "pm"
HALVES = (AM, PM)
_T = TypeVar("_T")
NOON = time(12, 0)  # boundary between the morning and the afternoon half of a day


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule outcome (规则结论): `blocking` findings refuse the action, others are notes for the record.

    `message` is the Chinese sentence, `en` its English gloss (may be empty)."""

    rule_id: str
    code: str
    message: str
    facts: dict[str, Any] = field(default_factory=dict)
    blocking: bool = True
    en: str = ""

    @property
    def text(self) -> str:
        """Chinese first, the English gloss in parentheses after it."""
        return f"{self.message} ({self.en})" if self.en else self.message

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.text}"

    def violation(self) -> RuleViolation:
        error = RuleViolation(self.rule_id, self.text, code=self.code, **self.facts)
        error.message_zh = self.message  # type: ignore[attr-defined]  # pages show the Chinese alone
        return error


def _section(policy: Any) -> LeavePolicy:
    """Accept a whole `Policy` or its `leave` section."""
    return policy if isinstance(policy, LeavePolicy) else policy.leave


def _takes_policy(fn: Callable[..., _T]) -> Callable[..., _T]:
    """Let a rule take either the whole `Policy` or its `leave` section as first argument."""

    @functools.wraps(fn)
    def wrapper(policy: Any, *args: Any, **kwargs: Any) -> _T:
        return fn(_section(policy), *args, **kwargs)

    return wrapper


def raise_first(findings: Iterable[Finding]) -> None:
    """Raise the first blocking finding as a RuleViolation (its rule ID in the message)."""
    for finding in findings:
        if finding.blocking:
            raise finding.violation()


# -- spans and length --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeaveSpan:
    """From the `start_half` of `start_date` to the `end_half` of `end_date`, both halves included."""

    start_date: date
    end_date: date
    start_half: str = AM
    end_half: str = PM

    def __post_init__(self) -> None:
        check_date(self.start_date, "start_date")  # 0001-01-01..9999-12-31 overflows the arithmetic
        check_date(self.end_date, "end_date")
        if self.start_half not in HALVES:
            raise InputError("start_half", f"must be one of {', '.join(HALVES)}")
        if self.end_half not in HALVES:
            raise InputError("end_half", f"must be one of {', '.join(HALVES)}")
        if (self.end_date, HALVES.index(self.end_half)) < (self.start_date, HALVES.index(self.start_half)):
            raise InputError("end_date", "请假结束时间早于开始时间 (the leave ends before it starts)")

    @property
    def start_at(self) -> datetime:
        """Local naive instant the leave begins: 00:00 for a morning start, 12:00 for an afternoon start."""
        return datetime.combine(self.start_date, time(0) if self.start_half == AM else NOON)

    @property
    def end_at(self) -> datetime:
        """Exclusive local naive end: 12:00 after a morning end, the next 00:00 after an afternoon end."""
        if self.end_half == AM:
            return datetime.combine(self.end_date, NOON)
        return datetime.combine(self.end_date + timedelta(days=1), time(0))

    @property
    def calendar_days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def halves(self) -> list[tuple[date, str]]:
        out: list[tuple[date, str]] = []
        day = self.start_date
        while day <= self.end_date:
            for half in HALVES:
                if day == self.start_date and half == AM and self.start_half == PM:
                    continue
                if day == self.end_date and half == PM and self.end_half == AM:
                    continue
                out.append((day, half))
            day += timedelta(days=1)
        return out

    def overlaps(self, other: LeaveSpan) -> bool:
        return self.start_at < other.end_at and other.start_at < self.end_at


def leave_days(calendar: WorkCalendar, span: LeaveSpan) -> float:
    """Length in working days: working half days / 2 (holidays and weekends inside do not count)."""
    return sum(1 for day, _ in span.halves() if calendar.is_workday(day)) / 2


def leave_days_by_month(calendar: WorkCalendar, span: LeaveSpan) -> dict[tuple[int, int], float]:
    """Working days of the span per (year, month): a leave across a month end counts in both months."""
    out: dict[tuple[int, int], float] = {}
    for day, _ in span.halves():
        if calendar.is_workday(day):
            out[(day.year, day.month)] = out.get((day.year, day.month), 0.0) + 0.5
    return out


# -- LEAVE-1 approval chain ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApprovalChain:
    tier_index: int
    tier: ApprovalTier
    days: float

    @property
    def approvers(self) -> list[str]:
        return list(self.tier.approvers)

    @property
    def files_with(self) -> list[str]:
        return list(self.tier.files_with)

    @property
    def requires(self) -> list[str]:
        return list(self.tier.requires)


@_takes_policy
def approval_chain(policy: LeavePolicy, days: float) -> ApprovalChain:
    """LEAVE-1: the first tier whose `max_days` ≥ `days` (inclusive: 1 day is the ≤ 1 day tier)."""
    if days <= 0:
        raise RuleViolation(
            "LEAVE-1", "请假时段内没有工作日，无需请假 (the leave covers no working day)", days=days
        )
    for index, tier in enumerate(policy.approval_tiers):
        if tier.max_days is None or days <= tier.max_days:
            return ApprovalChain(index, tier, days)
    longest = policy.approval_tiers[-1].max_days
    raise RuleViolation(
        "LEAVE-1",
        f"请假{days:g}个工作日超过审批权限表的最长{longest:g}天 (no approval tier for {days:g} days)",
        days=days,
        max_days=longest,
    )


# -- LEAVE-2 quota ---------------------------------------------------------------------------------------


@_takes_policy
def quota_exempt(
    policy: LeavePolicy, *, kind: str, calendar_days: int = 0, has_document: bool = False
) -> str | None:
    """Why a leave is outside the monthly quota, or None if it counts (LEAVE-2)."""
    if kind in policy.not_leave_kinds:
        return "not_leave"
    if kind in policy.statutory_kinds:
        return "statutory"
    if (
        kind == "training"
        and calendar_days >= policy.training_exempt_min_calendar_days
        and (has_document or not policy.training_exempt_requires_document)
    ):
        return "documented_training"
    return None


@_takes_policy
def check_quota(
    policy: LeavePolicy,
    *,
    role: str,
    kind: str,
    month: tuple[int, int],
    days: float,
    used_days: float,
    used_times: int,
    calendar_days: int = 0,
    has_document: bool = False,
) -> list[Finding]:
    """LEAVE-2: after this leave the month's counted leave stays within max days AND max times.

    `used_days` / `used_times` are the month's other counted (pending or approved) leaves; `days` is
    this leave's part in `month`. Exempt kinds return one non-blocking note.
    """
    if kind not in LEAVE_KINDS:
        raise InputError("kind", f"unknown leave kind {kind!r}; one of {', '.join(LEAVE_KINDS)}")
    exempt = quota_exempt(policy, kind=kind, calendar_days=calendar_days, has_document=has_document)
    if exempt:
        return [
            Finding(
                "LEAVE-2",
                f"quota_exempt_{exempt}",
                f"{_KIND_LABELS.get(kind, kind)}不计入月度请假限额",
                {"kind": kind},
                False,
                en=f"{kind} leave is outside the monthly quota",
            )
        ]
    quota_role: Literal["chief_rep", "staff"] = "chief_rep" if role == "chief_rep" else "staff"
    quota = policy.monthly_quota[quota_role]
    label = f"{month[0]}-{month[1]:02d}"
    facts = {
        "month": label,
        "role": quota_role,
        "used_days": used_days,
        "used_times": used_times,
        "days": days,
        "max_days": quota.max_days,
        "max_times": quota.max_times,
    }
    findings = []
    if used_times + 1 > quota.max_times:
        findings.append(
            Finding(
                "LEAVE-2",
                "quota_times",
                f"{label} 已请假{used_times}次，月度限额{quota.max_times}次",
                facts,
                en=f"monthly quota of {quota.max_times} times reached",
            )
        )
    if used_days + days > quota.max_days:
        findings.append(
            Finding(
                "LEAVE-2",
                "quota_days",
                f"{label} 已请假{used_days:g}天，本次{days:g}天，超过月度限额{quota.max_days:g}天",
                facts,
                en=f"monthly quota of {quota.max_days:g} days exceeded",
            )
        )
    return findings


# -- LEAVE-3 sick certificate ----------------------------------------------------------------------------


@_takes_policy
def certificate_required(policy: LeavePolicy, *, kind: str, days: float) -> bool:
    """LEAVE-3: sick leave of MORE THAN `sick_certificate_over_days` needs a hospital certificate."""
    return kind == "sick" and days > policy.sick_certificate_over_days


@_takes_policy
def kind_at_return(
    policy: LeavePolicy, *, kind: str, days: float, certificate: bool
) -> tuple[str, Finding | None]:
    """LEAVE-3 at the return (销假): sick leave over the limit without a certificate becomes personal."""
    if certificate_required(policy, kind=kind, days=days) and not certificate:
        new_kind = policy.sick_without_certificate_becomes
        return new_kind, Finding(
            "LEAVE-3",
            "sick_without_certificate",
            f"病假{days:g}天未提供诊断证明书，按{_KIND_LABELS.get(new_kind, new_kind)}处理",
            {"days": days, "from_kind": kind, "to_kind": new_kind},
            blocking=False,
            en=f"sick leave over {policy.sick_certificate_over_days:g} day, no certificate: {new_kind}",
        )
    return kind, None


# -- LEAVE-4 annual split --------------------------------------------------------------------------------


@_takes_policy
def check_annual_split(
    policy: LeavePolicy, *, kind: str, days: float, remaining: float | None = None
) -> list[Finding]:
    """LEAVE-4: each part of an annual leave is at least `annual_split_min_days`.

    `remaining` (the entitlement left, if known) allows a last part shorter than the minimum when it
    takes all that is left.
    """
    if kind != "annual" or days >= policy.annual_split_min_days:
        return []
    if remaining is not None and days >= remaining:
        return []
    return [
        Finding(
            "LEAVE-4",
            "annual_part_too_short",
            f"公休假分期休假每次不得低于{policy.annual_split_min_days:g}天，本次{days:g}天",
            {"days": days, "min_days": policy.annual_split_min_days},
            en=f"each annual-leave part must be at least {policy.annual_split_min_days:g} days",
        )
    ]


# -- LEAVE-5 cover ---------------------------------------------------------------------------------------


@_takes_policy
def cover_required(
    policy: LeavePolicy, *, kind: str, days: float, single_staff_window: bool = False
) -> Finding | None:
    """LEAVE-5: why this leave needs a cover (顶岗), or None. The finding states a need, not a refusal."""
    reason = None
    if kind in policy.cover_always_kinds:
        reason = ("kind", f"{_KIND_LABELS.get(kind, kind)}须安排顶岗", f"{kind} leave always needs a cover")
    elif days >= policy.cover_min_days:
        reason = (
            "length",
            f"请假{days:g}天（≥{policy.cover_min_days:g}天）须安排顶岗",
            f"a leave of {days:g} day(s) needs a cover",
        )
    elif single_staff_window and days >= policy.cover_single_staff_window_min_days:
        reason = (
            "single_staff_window",
            f"单人窗口请假{days:g}天（≥{policy.cover_single_staff_window_min_days:g}天）须派人代岗",
            "a single-staff window needs a cover",
        )
    if reason is None:
        return None
    code, message, en = reason
    return Finding("LEAVE-5", f"cover_required_{code}", message, {"kind": kind, "days": days}, en=en)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@_takes_policy
def check_cover_length(policy: LeavePolicy, *, start: date, end: date) -> list[Finding]:
    """LEAVE-5: a cover serves at most `cover_max_months` calendar months (dates inclusive).

    2026-03-02..2026-04-01 is one month; 2026-03-02..2026-04-02 is more.
    """
    if end < start:
        raise InputError("cover end_date", "顶岗结束日期早于开始日期 (cover ends before it starts)")
    limit = add_months(start, policy.cover_max_months)
    if end < limit:
        return []
    last_allowed = limit - timedelta(days=1)
    return [
        Finding(
            "LEAVE-5",
            "cover_too_long",
            f"临时顶岗最长不得超过{policy.cover_max_months}个月：{start}至{end}，最迟{last_allowed}",
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "last_allowed": last_allowed.isoformat(),
            },
            en=f"a cover serves at most {policy.cover_max_months} month(s)",
        )
    ]


def duty_start(span: LeaveSpan, session_starts: Sequence[time]) -> datetime:
    """When the leaver would first be due at the window: the first session start inside the first half."""
    for start in sorted(session_starts):
        if (span.start_half == AM and start < NOON) or (span.start_half == PM and start >= NOON):
            return datetime.combine(span.start_date, start)
    return span.start_at


def cover_gap(
    *, span: LeaveSpan, check_in: datetime | None, duty_from: datetime | None = None
) -> tuple[datetime, datetime] | None:
    """LEAVE-5: the unauthorised gap (擅自离岗) between the leave start and the cover's arrival, if any.

    The leave only starts when the cover has checked in; `duty_from` is when the leaver was first due at
    the window (`duty_start`). A cover arriving at or before it leaves no gap. No check-in at all: the
    whole span is a gap.
    """
    due = duty_from or span.start_at
    if check_in is None:
        return (span.start_at, span.end_at)
    if check_in <= due:
        return None
    return (span.start_at, min(check_in, span.end_at))


# -- ORG-3 A/B -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OtherAbsence:
    """A pending or approved leave of the other holder of a post the applicant holds."""

    staff_id: int
    post: str
    span: LeaveSpan
    leave_id: int | None = None


@_takes_policy
def ab_conflict(policy: LeavePolicy, *, span: LeaveSpan, others: Iterable[OtherAbsence]) -> list[Finding]:
    """ORG-3: A and B of a post may never be absent at the same time."""
    if not policy.ab_never_both_absent:
        return []
    findings = []
    for other in others:
        if span.overlaps(other.span):
            findings.append(
                Finding(
                    "ORG-3",
                    "ab_both_absent",
                    f"岗位「{other.post}」A、B角不得同时缺岗：另一角已请假"
                    f"{other.span.start_date}至{other.span.end_date}",
                    {"post": other.post, "other_staff_id": other.staff_id, "other_leave_id": other.leave_id},
                    en=f"A and B of post {other.post} may not be absent at the same time",
                )
            )
    return findings


# -- LEAVE-6 late filing ---------------------------------------------------------------------------------


@_takes_policy
def check_filing_time(
    policy: LeavePolicy, *, duty_from: datetime, filed_at: datetime, special_approval: bool
) -> list[Finding]:
    """LEAVE-6: a leave is filed before it starts; afterwards only with the centre's special approval."""
    if filed_at <= duty_from:
        return []
    if special_approval and policy.late_filing_with_special_approval:
        return [
            Finding(
                "LEAVE-6",
                "filed_late_approved",
                "经中心同意事后补办请假手续",
                {},
                blocking=False,
                en="filed afterwards with the centre's approval",
            )
        ]
    return [
        Finding(
            "LEAVE-6",
            "filed_late",
            "请假须事前办理；事后补办须经中心特批",
            {"starts": duty_from.isoformat(), "filed": filed_at.isoformat()},
            en="a leave filed after it started needs the centre's special approval",
        )
    ]


_KIND_LABELS = {
    "personal": "事假",
    "sick": "病假",
    "annual": "公休假",
    "marriage": "婚假",
    "maternity": "产假",
    "family_visit": "探亲假",
    "funeral": "丧假",
    "training": "培训学习",
    "business": "公差",
}
KIND_LABELS = _KIND_LABELS
