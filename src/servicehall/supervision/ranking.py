"""Unit and window ranking (每月考核、评比, 篇6 §29–30; EVAL-4): pure functions, no Django.

Score = 100 − yellow × w_yellow − red × w_red − overdue rate × w_overdue − months without a leader's
office day × w_leader (篇6 §14: 分管领导每月到窗口现场办公不少于一次), never below 0. Withdrawn cards
are not counted (the caller passes counting cards only). Ties share a rank.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date

from servicehall.core.errors import InputError


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # "month" | "quarter"
    first: date
    last: date
    label: str

    @property
    def months(self) -> list[tuple[int, int]]:
        out, (y, m) = [], (self.first.year, self.first.month)
        while (y, m) <= (self.last.year, self.last.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def parse_period(text: str) -> Period:
    """`2025-10` (a month) or `2025-Q4` (a quarter)."""
    raw = text.strip().upper()
    try:
        if "-Q" in raw:
            year, quarter = int(raw[:4]), int(raw.split("-Q")[1])
            if not 1 <= quarter <= 4:
                raise ValueError
            first = date(year, 3 * quarter - 2, 1)
            last_month = 3 * quarter
            last = date(year, last_month, month_calendar.monthrange(year, last_month)[1])
            return Period("quarter", first, last, f"{year}年第{quarter}季度")
        year, month = int(raw[:4]), int(raw[5:7])
        if len(raw) != 7 or raw[4] != "-":
            raise ValueError
        first = date(year, month, 1)
        return Period(
            "month", first, date(year, month, month_calendar.monthrange(year, month)[1]), f"{year}年{month}月"
        )
    except (ValueError, IndexError):
        raise InputError("period", f"考核期间应为 YYYY-MM 或 YYYY-Qn，收到 {text!r}") from None


@dataclass(slots=True)
class UnitStats:
    key: int
    name: str
    yellow: int = 0
    red: int = 0
    concluded: int = 0
    on_time: int = 0
    handling_working_days: list[int] = field(default_factory=list)
    leader_days_by_month: dict[tuple[int, int], int] = field(default_factory=dict)
    is_unit: bool = True


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: int
    key: int
    name: str
    score: float
    yellow: int
    red: int
    concluded: int
    on_time_rate: float | None
    overdue_rate: float | None
    avg_handling_working_days: float | None
    months_without_leader: list[str]
    rule_id: str = "SUP-1"


def score_units(
    stats: list[UnitStats], period: Period, *, weights: dict[str, int], leader_days_per_month: int
) -> list[RankRow]:
    """Rank units (or windows: `is_unit=False` skips the leader rule) by score, best first."""
    rows = []
    for s in stats:
        overdue = s.concluded - s.on_time
        on_time_rate = s.on_time / s.concluded if s.concluded else None
        overdue_rate = overdue / s.concluded if s.concluded else None
        avg = sum(s.handling_working_days) / len(s.handling_working_days) if s.handling_working_days else None
        missing = []
        if s.is_unit and leader_days_per_month > 0:
            missing = [
                f"{y}-{m:02d}"
                for (y, m) in period.months
                if s.leader_days_by_month.get((y, m), 0) < leader_days_per_month
            ]
        score = 100.0
        score -= s.yellow * weights.get("yellow", 0) + s.red * weights.get("red", 0)
        score -= (overdue_rate or 0) * weights.get("overdue_rate", 0)
        score -= len(missing) * weights.get("leader_absent", 0)
        rows.append(
            (
                round(max(score, 0.0), 1),
                s,
                on_time_rate,
                overdue_rate,
                None if avg is None else round(avg, 1),
                missing,
            )
        )
    rows.sort(key=lambda r: (-r[0], r[1].name))
    ranked: list[RankRow] = []
    for position, (score, s, on_time_rate, overdue_rate, avg, missing) in enumerate(rows, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else position
        ranked.append(
            RankRow(
                rank,
                s.key,
                s.name,
                score,
                s.yellow,
                s.red,
                s.concluded,
                on_time_rate,
                overdue_rate,
                avg,
                missing,
            )
        )
    return ranked
