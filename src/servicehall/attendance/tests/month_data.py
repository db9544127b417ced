"""Generated attendance months for the golden test (黄金样本): seeded, varied, and rich in findings.

`CASES` names each (seed, policy variant); `generate(seed, policy, calendar)` builds one month of punches,
leaves, off-post records and staff. `snapshot(results)` is the full output of the engine as plain JSON:
every count, every event with its rule, code, params, absence days and both sentences.

The committed fixture (data/golden_months.json.gz) was written from the engine as it was before its
steps were split out; `python -m servicehall.attendance.tests.month_data` rewrites it from the current code.
Changing this generator invalidates the fixture.
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from servicehall.policy.sections.attendance import AttendancePolicy, ServiceSession
from servicehall.workdays.calendar import DayKind, WorkCalendar

FIXTURE = Path(__file__).parent / "data" / "golden_months.json.gz"
MONTH = "2026-03"
FIRST = date(2026, 3, 1)
# A holiday on Monday 9 March and a make-up Saturday 14 March (调休), independent of any notice.
CALENDAR = WorkCalendar(
    {date(2026, 3, 9): DayKind.HOLIDAY, date(2026, 3, 14): DayKind.MAKEUP_WORKDAY}, years=[2025, 2026, 2027]
)


def _policies() -> dict[str, AttendancePolicy]:
    base = AttendancePolicy()
    friday_morning = {"fri": [ServiceSession(code="AM", start=time(8, 0), end=time(12, 0))]}
    return {
        "p2": base,
        "strict": base.model_copy(update={"single_punch_is_absence": True}),
        "every_group": base.model_copy(update={"cumulative_every_group": True, "cumulative_threshold": 3}),
        "window": base.model_copy(update={"punch_window_minutes": 45, "duplicate_collapse_minutes": 1}),
        "friday_am": base.model_copy(
            update={"weekday_sessions": friday_morning, "late_after_minutes": 0, "early_leave_minutes": 1}
        ),
    }


POLICIES = _policies()
CASES: list[tuple[int, str]] = [
    (1, "p2"),
    (2, "p2"),
    (3, "strict"),
    (4, "every_group"),
    (5, "window"),
    (6, "friday_am"),
]
STAFF = 60


def generate(seed: int, policy: AttendancePolicy, staff: int = STAFF) -> dict[str, Any]:
    """One month: punches as (staff_id, local datetime), leaves, off-post records, staff, `until`."""
    rng = random.Random(seed)
    days = [FIRST + timedelta(days=i) for i in range(31)]
    punches: list[tuple[str, datetime]] = []
    leaves: list[dict[str, Any]] = []
    off_post: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    for n in range(staff):
        sid = f"S{n:03d}"
        person: dict[str, Any] = {"staff_id": sid}
        if rng.random() < 0.1:
            person["active_from"] = days[rng.randrange(5, 20)].isoformat()
        if rng.random() < 0.1:
            person["active_until"] = days[rng.randrange(10, 28)]
        people.append(person)
        sloppy = rng.random() < 0.4
        p_late = 0.3 if sloppy else 0.03
        p_miss = 0.12 if sloppy else 0.01
        for _ in range(rng.choice((0, 0, 1, 2))):
            start = days[rng.randrange(31)]
            kind = rng.choice(("personal", "sick", "annual", "business", "training"))
            status = rng.choice(("approved", "approved", "approved", "pending", "rejected"))
            whole = rng.random() < 0.7
            if whole:
                span: dict[str, Any] = {
                    "start": start.isoformat(),
                    "end": (start + timedelta(days=rng.randint(0, 4))).isoformat(),
                }
            else:  # part of a day: a morning, an afternoon, or across lunch
                a = rng.choice((time(8, 0), time(10, 0), time(14, 0)))
                b = rng.choice((time(12, 0), time(16, 0), time(18, 30)))
                if b <= a:
                    a, b = b, a
                span = {
                    "start": datetime.combine(start, a).isoformat(),
                    "end": datetime.combine(start, b).isoformat(),
                }
            leaves.append(
                {
                    "staff_id": sid,
                    "kind": kind,
                    "status": status,
                    "certificate": rng.choice(("yes", "no")),
                    **span,
                }
            )
        for _ in range(rng.choice((0, 0, 0, 1, 2, 3))):
            kind = rng.choice(
                ("off_post", "off_post", "meeting_missed", "chief_meeting_missed", "study_missed")
            )
            off_post.append(
                {
                    "staff_id": sid,
                    "date": days[rng.randrange(31)],
                    "minutes": rng.choice((30, 61, 90, 121, 150)),
                    "note": rng.choice(("", "巡查", "窗口无人")),
                    "kind": kind,
                }
            )
        if rng.random() < 0.03:
            continue  # no punch all month
        for day in days:
            base = datetime.combine(day, time())
            if CALENDAR.is_workday(day):
                sessions = policy.sessions_for(day.weekday())
            else:
                sessions = []
                if rng.random() < 0.05:  # a stray punch on a day off
                    punches.append((sid, base + timedelta(hours=9, seconds=rng.randrange(3600))))
            for s in sessions:
                if rng.random() < 0.02:
                    continue  # absent for the session
                start = datetime.combine(day, s.start)
                end = datetime.combine(day, s.end)
                for side, point in ((0, start), (1, end)):
                    if rng.random() < p_miss:
                        continue
                    r = rng.random()
                    if side == 0:
                        if r < p_late:
                            t = point + timedelta(
                                seconds=rng.choice((300, 301, 3599, 3600, rng.randint(1, 90 * 60)))
                            )
                        else:
                            t = point - timedelta(seconds=rng.randint(0, 40 * 60))
                    elif r < p_late:
                        t = point - timedelta(seconds=rng.choice((300, 299, rng.randint(1, 50 * 60))))
                    else:
                        t = point + timedelta(seconds=rng.randint(0, 50 * 60))
                    if rng.random() < 0.01:
                        t += timedelta(microseconds=rng.randint(1, 999_999))
                    punches.append((sid, t))
                    for _ in range(rng.choice((0, 0, 0, 0, 1, 2))):  # duplicate reads of a burst
                        t += timedelta(seconds=rng.randint(1, 200))
                        punches.append((sid, t))
                if rng.random() < 0.02:  # a punch near the midpoint between the sessions' points
                    punches.append(
                        (sid, datetime.combine(day, time(13, 15)) + timedelta(seconds=rng.randint(-2, 2)))
                    )
        if rng.random() < 0.2:  # punches just outside the month
            punches.append((sid, datetime(2026, 2, 28, 17, 59)))
            punches.append((sid, datetime(2026, 4, 1, 8, 20)))
    rng.shuffle(punches)
    until = None if seed % 2 else FIRST + timedelta(days=24)
    return {"punches": punches, "leaves": leaves, "off_post": off_post, "staff": people, "until": until}


def snapshot(results: Any) -> list[dict[str, Any]]:
    """Every field of every result, events in order, as JSON-ready values."""
    out = []
    for r in results:
        out.append(
            {
                "staff_id": r.staff_id,
                "lates": r.lates,
                "early_leaves": r.early_leaves,
                "missed_punches": r.missed_punches,
                "absence_days": r.absence_days,
                "leave_days": dict(sorted(r.leave_days.items())),
                "leave_days_order": list(r.leave_days),
                "workdays": r.workdays,
                "sessions": r.sessions,
                "events": [
                    [
                        e.date.isoformat(),
                        e.session,
                        e.rule,
                        e.code,
                        list(e.params),
                        e.absence_days,
                        e.detail,
                        e.detail_zh,
                    ]
                    for e in r.events
                ],
            }
        )
    return out


def evaluate_case(seed: int, variant: str) -> list[dict[str, Any]]:
    from servicehall.attendance.rules import evaluate_month

    data = generate(seed, POLICIES[variant])
    results = evaluate_month(
        POLICIES[variant],
        CALENDAR,
        MONTH,
        None if seed == 2 else data["staff"],  # None: everyone in the records
        data["punches"],
        data["leaves"],
        data["off_post"],
        until=data["until"],
    )
    return json.loads(json.dumps(snapshot(results), ensure_ascii=False, default=str))


def write_fixture() -> None:
    doc = {f"{seed}-{variant}": evaluate_case(seed, variant) for seed, variant in CASES}
    FIXTURE.parent.mkdir(exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    FIXTURE.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def read_fixture() -> dict[str, Any]:
    return json.loads(gzip.decompress(FIXTURE.read_bytes()).decode("utf-8"))


if __name__ == "__main__":
    write_fixture()
