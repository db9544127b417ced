"""Conduct bonus engine (行风评议奖, EVAL-5, seed 000 §十二.2(3)). Django-free.

Plain data in (the policy section, the roster of the period, the events), plain results out:

* base = `yuan_per_month` × the months of the period; the period is split into payments of the
  policy's rhythm (`paid_every`), each its own pool;
* every event deducts its nominal amount from every person in its scope (`scope`: centre = the seed's
  每人, unit, window or the person at fault), taken from the roster of the period;
* amounts by kind and level: complaint / disturbance share `deductions.complaint` (blank in the seed:
  0 and a warning, or a refusal, per `unset_complaint_amount`); findings by level street / district /
  city, and the centre's own findings at `deductions.centre` (0 in the presets);
* a pool never goes below zero (扣完为止): paid = Σ max(0, pool − nominal deductions in it); with
  `floor_each_month` every month is its own pool;
* the person at fault in a finding (检查中出现问题的当事人) gets a recommended extra deduction of the
  same amount from the quarterly / annual bonuses, reported apart and not taken from this pool.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from servicehall.core.errors import InputError, RuleViolation
from servicehall.policy.sections.evaluation import ConductBonusPolicy

KINDS = ("complaint", "disturbance", "finding")
FINDING_LEVELS = ("street", "district", "city", "centre")
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    """A run of whole months, e.g. the quarter 2026Q1 (label) = 2026-01 .. 2026-03."""

    label: str
    months: tuple[tuple[int, int], ...]

    @property
    def first(self) -> date:
        return date(*self.months[0], 1)

    @property
    def last(self) -> date:
        year, month = self.months[-1]
        nxt = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    def contains(self, day: date) -> bool:
        return (day.year, day.month) in self.months


def parse_quarter(text: str, *, where: str = "--quarter") -> Period:
    """`2026Q1` (or `2026-Q1`) → the three months of that quarter."""
    match = _QUARTER.match(text.strip())
    if match is None:
        raise InputError(where, f"{text!r} is not a quarter such as 2026Q1")
    year, quarter = int(match.group(1)), int(match.group(2))
    months = tuple((year, 3 * (quarter - 1) + i) for i in (1, 2, 3))
    return Period(label=f"{year}Q{quarter}", months=months)


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One person on the roster of the period (staff.csv)."""

    staff_id: str
    name: str = ""
    role: str = ""
    unit: str = ""
    window: str = ""


@dataclass(frozen=True, slots=True)
class BonusEvent:
    """An accountability event as the bonus reads it; `where` names its source (file row or record)."""

    on: date
    kind: str
    level: str
    staff_id: str
    where: str = ""


@dataclass(frozen=True, slots=True)
class Deduction:
    on: date
    kind: str
    level: str
    amount: int
    at_fault: str
    rule: str = "EVAL-5"

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "rule": self.rule,
            "kind": self.kind,
            "level": self.level,
            "amount": self.amount,
        }


@dataclass(frozen=True, slots=True)
class StaffBonus:
    person: RosterEntry
    base: int
    deductions: tuple[Deduction, ...]
    paid: int
    recommended_extra_deduction: int

    @property
    def staff_id(self) -> str:
        return self.person.staff_id

    def as_dict(self) -> dict[str, Any]:
        return {
            "staff_id": self.person.staff_id,
            "base": self.base,
            "deductions": [d.as_dict() for d in self.deductions],
            "paid": self.paid,
            "recommended_extra_deduction": self.recommended_extra_deduction,
        }


@dataclass(frozen=True, slots=True)
class BonusResult:
    period: Period
    policy_ref: str
    staff: tuple[StaffBonus, ...]
    warnings: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:  # a result is a value, not a success flag
        raise TypeError("BonusResult has no truth value")

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "quarter": self.period.label,
            "policy": self.policy_ref,
            "staff": [s.as_dict() for s in self.staff],
        }
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        return doc


def event_amount(policy: ConductBonusPolicy, kind: str, level: str) -> int | None:
    """The nominal amount of one event (None = the policy leaves it unset)."""
    if kind in ("complaint", "disturbance"):
        return policy.deductions.complaint
    if kind == "finding":
        return int(getattr(policy.deductions, level))
    raise ValueError(f"unknown event kind {kind!r}")


def _payments(policy: ConductBonusPolicy, period: Period) -> list[tuple[tuple[int, int], ...]]:
    """The pools of the period: one per payment of the rhythm, or one per month (floor_each_month)."""
    size = 1 if policy.floor_each_month else PERIOD_MONTHS[policy.paid_every]
    if len(period.months) % size:
        raise InputError(
            "--quarter",
            f"the policy pays the conduct bonus every {policy.paid_every} "
            f"(evaluation.conduct_bonus.paid_every, EVAL-5): {period.label} is not a whole payment period",
        )
    return [period.months[i : i + size] for i in range(0, len(period.months), size)]


def _scope(policy: ConductBonusPolicy, at_fault: RosterEntry, roster: Sequence[RosterEntry]) -> list[str]:
    if policy.scope == "centre":
        return [p.staff_id for p in roster]
    if policy.scope == "unit" and at_fault.unit:
        return [p.staff_id for p in roster if p.unit == at_fault.unit]
    if policy.scope == "window" and at_fault.window:
        return [p.staff_id for p in roster if p.window == at_fault.window]
    return [at_fault.staff_id]


def compute_bonus(
    policy: ConductBonusPolicy,
    *,
    period: Period,
    roster: Sequence[RosterEntry],
    events: Iterable[BonusEvent],
    policy_ref: str = "",
) -> BonusResult:
    """The conduct bonus of every person on the roster for `period` (EVAL-5)."""
    if not policy.enabled:
        raise RuleViolation(
            "EVAL-5", "the policy pays no conduct bonus (evaluation.conduct_bonus.enabled is false)"
        )
    pools = _payments(policy, period)
    by_id = {p.staff_id: p for p in roster}
    warnings: list[str] = []
    per_person: dict[str, list[Deduction]] = {p.staff_id: [] for p in roster}
    extra: dict[str, int] = dict.fromkeys(by_id, 0)
    in_period = sorted(
        (e for e in events if period.contains(e.on)), key=lambda e: e.on
    )  # stable: same-day events keep their input order
    for event in in_period:
        at_fault = by_id.get(event.staff_id)
        if at_fault is None:
            raise InputError(
                event.where or "staff_id", f"{event.staff_id!r} is not on the staff roster of the period"
            )
        amount = event_amount(policy, event.kind, event.level)
        if amount is None:
            if policy.unset_complaint_amount == "refuse":
                raise RuleViolation(
                    "EVAL-5",
                    f"{event.where or event.on.isoformat()}: a {event.kind} needs a deduction amount, but "
                    "evaluation.conduct_bonus.deductions.complaint is not set (the seed leaves it blank) "
                    "and unset_complaint_amount is refuse",
                )
            warnings.append(
                f"{event.where or event.on.isoformat()}: {event.kind} on {event.on.isoformat()} counted as 0 — "
                "evaluation.conduct_bonus.deductions.complaint is not set (EVAL-5)"
            )
            amount = 0
        deduction = Deduction(event.on, event.kind, event.level, amount, at_fault.staff_id)
        for staff_id in _scope(policy, at_fault, roster):
            per_person[staff_id].append(deduction)
        extra_applies = event.kind == "finding" or policy.at_fault_extra_for_complaints
        if extra_applies and policy.at_fault_also_loses_from:
            extra[at_fault.staff_id] += amount
    results = []
    for person in roster:
        deductions = per_person[person.staff_id]
        base = policy.yuan_per_month * len(period.months)
        paid = 0
        for pool in pools:
            taken = sum(d.amount for d in deductions if (d.on.year, d.on.month) in pool)
            paid += max(0, policy.yuan_per_month * len(pool) - taken)  # EVAL-5 扣完为止
        results.append(StaffBonus(person, base, tuple(deductions), paid, extra[person.staff_id]))
    return BonusResult(period, policy_ref, tuple(results), tuple(warnings))
