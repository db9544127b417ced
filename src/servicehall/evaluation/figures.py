"""Satisfaction figures (满意度) from rating rows, and the checks behind them (EVAL-1, EVAL-7). Django-free.

- EVAL-1 one rating per service: a service's ratings are ordered earliest first (ties keep file order);
  one at most `replace_minutes` after the first (inclusive) replaces it, any later one is refused.
  A rating without a service id is never deduplicated.
- EVAL-1 satisfaction rate = good / counted, rounded half-up to 4 decimals.
- EVAL-1 manipulation flags (刷评): more than `burst_max_ratings` ratings from one device (or phone) within
  `burst_minutes` (inclusive); a staff member whose share of the top level exceeds the unit's by more
  than `top_share_margin`. Flags are reported, never used to drop a rating.
- EVAL-7 monthly ranking of windows; those last for `talk_after_months_last` months running are listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from servicehall.core.dates import check_date
from servicehall.core.errors import InputError

COLUMNS = ("rated_at", "unit", "window", "staff_id", "level", "service_id", "channel", "device")
REQUIRED = ("rated_at", "unit", "level")
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One rating as read from a file; `row` is its line number with the header as row 1."""

    row: int
    rated_at: datetime
    unit: str
    level: str
    window: str = ""
    staff_id: str = ""
    service_id: str = ""
    channel: str = ""
    device: str = ""


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int
    reason: str
    rule: str = "EVAL-1"


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str  # "device_burst" | "phone_burst" | "top_share"
    detail: dict[str, Any]
    rule: str = "EVAL-1"


@dataclass(frozen=True, slots=True)
class UnitFigures:
    unit: str
    counted: int
    good: int
    bad: int

    @property
    def satisfaction_rate(self) -> Decimal:
        return satisfaction_rate(self.good, self.counted)


@dataclass(frozen=True)
class Summary:
    month: str
    units: list[UnitFigures]
    rejected: list[Rejected]
    flags: list[Flag]
    used: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:  # a summary is a value, not a verdict
        raise TypeError("Summary has no truth value; look at its fields")

    def as_dict(self, *, policy_ref: str) -> dict[str, Any]:
        return {
            "month": self.month,
            "policy": policy_ref,
            "units": [
                {
                    "unit": u.unit,
                    "counted": u.counted,
                    "good": u.good,
                    "bad": u.bad,
                    "satisfaction_rate": float(u.satisfaction_rate),
                }
                for u in self.units
            ],
            "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected],
            "flags": [{"kind": f.kind, "detail": f.detail} for f in self.flags],
        }


def satisfaction_rate(good: int, counted: int) -> Decimal:
    """EVAL-1: good / counted, half-up to 4 decimals; 0 when nothing was counted."""
    if counted <= 0:
        return Decimal("0.0000")
    return (Decimal(good) / Decimal(counted)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def parse_month(text: str) -> tuple[date, date]:
    """'2026-03' → (first day, first day of the next month); InputError naming --month otherwise."""
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        raise InputError("--month", f"{text!r} is not a month like 2026-03") from None
    check_date(first, "--month")
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, nxt


def parse_rated_at(text: str) -> datetime:
    """`YYYY-MM-DD HH:MM` (seconds and a `T` separator are accepted too); ValueError otherwise."""
    raw = text.strip()
    if len(raw) < 16 or raw[10] not in " T":
        raise ValueError(f"{raw!r} is not a time like 2026-03-02 09:15")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a time like 2026-03-02 09:15") from None
    if value.tzinfo is not None:
        raise ValueError(f"{raw!r}: give local time without an offset")
    return value


def parse_rows(rows: Iterable[Sequence[Any]], *, where: str, level_codes: Iterable[str]) -> list[RatingRow]:
    """Rows of a ratings table (header first) → RatingRow; InputError names file, row and column."""
    levels = list(level_codes)
    it = iter(rows)
    try:
        header = [str(h).strip().lstrip("\ufeff").strip().lower() for h in next(it)]
    except StopIteration:
        raise InputError(f"{where}, row 1", "the file is empty; expected a header row") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"{where}, row 1", f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"
        )
    index = {c: header.index(c) for c in COLUMNS if c in header}
    out: list[RatingRow] = []
    for n, raw in enumerate(it, start=2):
        cells = ["" if v is None else str(v).strip() for v in raw]
        if not any(cells):
            continue  # blank line

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        try:
            at = parse_rated_at(cell("rated_at"))
        except ValueError as exc:
            raise InputError(f"{where}, row {n}, column rated_at", str(exc)) from None
        if not cell("unit"):
            raise InputError(f"{where}, row {n}, column unit", "empty; every rating names its unit")
        level = cell("level")
        if level not in levels:
            raise InputError(
                f"{where}, row {n}, column level",
                f"unknown level {level!r}; the policy's scale is {', '.join(levels)}",
            )
        out.append(
            RatingRow(
                row=n,
                rated_at=at,
                unit=cell("unit"),
                level=level,
                window=cell("window"),
                staff_id=cell("staff_id"),
                service_id=cell("service_id"),
                channel=cell("channel"),
                device=cell("device"),
            )
        )
    return out


def deduplicate(
    rows: Sequence[RatingRow], *, replace_minutes: int
) -> tuple[list[RatingRow], list[Rejected], list[RatingRow]]:
    """EVAL-1 one rating per service, over all rows: (counted, rejected, replaced), counted in file order.

    Within a service the earliest rating is the first (ties keep file order); each later one at most
    `replace_minutes` after the first (inclusive) replaces the one before it, any later one is rejected.
    """
    window = timedelta(minutes=replace_minutes)
    by_service: dict[str, list[RatingRow]] = defaultdict(list)
    counted: list[RatingRow] = []
    for r in rows:
        if r.service_id:
            by_service[r.service_id].append(r)
        else:
            counted.append(r)  # no service id: nothing to deduplicate against
    rejected: list[Rejected] = []
    replaced: list[RatingRow] = []
    for service_id, group in by_service.items():
        ordered = sorted(group, key=lambda r: (r.rated_at, r.row))
        first = current = ordered[0]
        for r in ordered[1:]:
            if r.rated_at - first.rated_at <= window:  # EVAL-1 inclusive
                replaced.append(current)
                current = r
            else:
                rejected.append(
                    Rejected(
                        r.row,
                        f"service {service_id} was already rated at {first.rated_at:%Y-%m-%d %H:%M} "
                        f"(row {first.row}); a new rating is accepted only within {replace_minutes} minutes",
                    )
                )
        counted.append(current)
    counted.sort(key=lambda r: r.row)
    rejected.sort(key=lambda r: r.row)
    return counted, rejected, replaced


def tally(rows: Iterable[RatingRow], *, good_levels: Iterable[str]) -> list[UnitFigures]:
    """Counted, good and bad per unit, units sorted by code."""
    good_set = set(good_levels)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        c = counts[r.unit]
        c[0] += 1
        c[1] += r.level in good_set
    return [UnitFigures(unit, n, g, n - g) for unit, (n, g) in sorted(counts.items())]


def burst_flags(
    events: Iterable[tuple[str, datetime, int]], *, max_ratings: int, minutes: int, kind: str = "device_burst"
) -> list[Flag]:
    """EVAL-1: per key (device or phone), the largest run of more than `max_ratings` ratings within
    `minutes` (inclusive). `events` are (key, time, row or id); empty keys are skipped."""
    span = timedelta(minutes=minutes)
    by_key: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for key, at, ref in events:
        if key:
            by_key[key].append((at, ref))
    out: list[Flag] = []
    label = "device" if kind == "device_burst" else "phone"
    for key in sorted(by_key):
        times = sorted(by_key[key])
        best: tuple[int, int] | None = None
        j = 0
        for i in range(len(times)):
            j = max(j, i)
            while j + 1 < len(times) and times[j + 1][0] - times[i][0] <= span:
                j += 1
            size = j - i + 1
            if size > max_ratings and (best is None or size > best[1] - best[0] + 1):  # EVAL-1 "more than"
                best = (i, j)
        if best is not None:
            run = times[best[0] : best[1] + 1]
            out.append(
                Flag(
                    kind,
                    {
                        label: key,
                        "count": len(run),
                        "from": f"{run[0][0]:%Y-%m-%d %H:%M}",
                        "to": f"{run[-1][0]:%Y-%m-%d %H:%M}",
                        "rows": [ref for _, ref in run],
                        "max_ratings": max_ratings,
                        "minutes": minutes,
                    },
                )
            )
    return out


def top_share_flags(
    ratings: Iterable[tuple[str, str, str]], *, top_level: str, margin: float | Decimal | str
) -> list[Flag]:
    """EVAL-1: (unit, staff, level) → a flag per staff member whose share of `top_level` is more than
    `margin` above their unit's share (the unit's share counts every rating of the unit)."""
    limit = Fraction(Decimal(str(margin)))
    unit_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    staff_counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for unit, staff, level in ratings:
        top = int(level == top_level)
        unit_counts[unit][0] += 1
        unit_counts[unit][1] += top
        if staff:
            staff_counts[(unit, staff)][0] += 1
            staff_counts[(unit, staff)][1] += top
    out: list[Flag] = []
    for (unit, staff), (n, top) in sorted(staff_counts.items()):
        un, ut = unit_counts[unit]
        staff_share, unit_share = Fraction(top, n), Fraction(ut, un)
        if staff_share - unit_share > limit:  # EVAL-1 "more than the margin above"
            out.append(
                Flag(
                    "top_share",
                    {
                        "unit": unit,
                        "staff_id": staff,
                        "level": top_level,
                        "ratings": n,
                        "staff_share": _four(staff_share),
                        "unit_share": _four(unit_share),
                        "margin": float(Decimal(str(margin))),
                    },
                )
            )
    return out


def _four(value: Fraction) -> float:
    return float(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    )


def summarize(
    rows: Sequence[RatingRow],
    *,
    month: str,
    levels: Sequence[tuple[str, bool]],
    replace_minutes: int,
    burst_max_ratings: int,
    burst_minutes: int,
    top_share_margin: float,
) -> Summary:
    """The month's figures per unit (EVAL-1): dedup over every row first, then the month filter.

    `levels` is the policy scale, best first, as (code, satisfied). Ratings whose counted row lies
    outside the month are ignored, not listed as rejected; replaced ratings are not listed either.
    """
    first, nxt = parse_month(month)
    counted, rejected, _ = deduplicate(rows, replace_minutes=replace_minutes)

    def in_month(r: RatingRow) -> bool:
        return first <= r.rated_at.date() < nxt

    month_rows = [r for r in counted if in_month(r)]
    good = [code for code, satisfied in levels if satisfied]
    flags = burst_flags(
        ((r.device, r.rated_at, r.row) for r in rows if in_month(r)),
        max_ratings=burst_max_ratings,
        minutes=burst_minutes,
    )
    flags += top_share_flags(
        ((r.unit, r.staff_id, r.level) for r in month_rows), top_level=levels[0][0], margin=top_share_margin
    )
    return Summary(
        month=f"{first:%Y-%m}",
        units=tally(month_rows, good_levels=good),
        rejected=rejected,
        flags=flags,
        used={
            "replace_minutes": replace_minutes,
            "burst_max_ratings": burst_max_ratings,
            "burst_minutes": burst_minutes,
            "top_share_margin": top_share_margin,
        },
    )


# -- EVAL-7 monthly window ranking ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RankedWindow:
    window: Any
    counted: int
    good: int
    rank: int

    @property
    def satisfaction_rate(self) -> Decimal:
        return satisfaction_rate(self.good, self.counted)


def rank_windows(counts: Mapping[Any, tuple[int, int]]) -> list[RankedWindow]:
    """EVAL-7: windows by satisfaction rate, best first (ties share a rank; more ratings first within a
    tie). `counts` maps window → (counted, good); windows with no rating are not ranked."""
    items = [(w, n, g) for w, (n, g) in counts.items() if n > 0]
    items.sort(key=lambda t: (-Fraction(t[2], t[1]), -t[1], str(t[0])))
    out: list[RankedWindow] = []
    prev: Fraction | None = None
    rank = 0
    for i, (w, n, g) in enumerate(items, start=1):
        rate = Fraction(g, n)
        if rate != prev:
            rank, prev = i, rate
        out.append(RankedWindow(w, n, g, rank))
    return out


def last_windows(ranking: Sequence[RankedWindow]) -> set[Any]:
    """The windows sharing the lowest satisfaction rate of a month (none when fewer than two ranked)."""
    if len(ranking) < 2:
        return set()
    worst = min(Fraction(r.good, r.counted) for r in ranking)
    return {r.window for r in ranking if Fraction(r.good, r.counted) == worst}


def talk_list(rankings_oldest_first: Sequence[Sequence[RankedWindow]], *, months: int) -> set[Any]:
    """EVAL-7: windows last in each of the latest `months` rankings (约谈名单)."""
    if len(rankings_oldest_first) < months:
        return set()
    recent = [last_windows(r) for r in rankings_oldest_first[-months:]]
    return set.intersection(*recent) if recent else set()
