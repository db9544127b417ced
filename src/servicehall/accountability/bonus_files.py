"""Reading the conduct-bonus inputs (EVAL-5): staff.csv and events.csv. Django-free.

staff.csv: `staff_id,name,role,unit,window`; events.csv: `date,kind,level,staff_id`. A bad row is an
`InputError` naming the file, the row (the header is row 1) and the column; nothing is computed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from servicehall.accountability.bonus import FINDING_LEVELS, KINDS, BonusEvent, RosterEntry
from servicehall.attendance.formats import read_table
from servicehall.core.errors import InputError

STAFF_COLUMNS = ("staff_id", "name", "role", "unit", "window")
EVENT_COLUMNS = ("date", "kind", "level", "staff_id")


def _rows(path: Path | str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    label = str(path)
    rows = read_table(path)
    try:
        header = [str(h).strip().lstrip("\ufeff").strip() for h in next(rows)]
    except StopIteration:
        raise InputError(label, f"the file is empty (expected a header row {','.join(columns)})") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            f"{label}, row 1", f"missing column(s) {', '.join(missing)}; expected {','.join(columns)}"
        )
    idx = {c: header.index(c) for c in columns}
    for n, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row):
            continue
        yield n, {c: (str(row[i]).strip() if i < len(row) else "") for c, i in idx.items()}


def read_roster(path: Path | str) -> list[RosterEntry]:
    """staff.csv → the roster of the period, in file order; staff_id must be present and unique."""
    out: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for n, rec in _rows(path, STAFF_COLUMNS):
        where = f"{path}, row {n}, column "
        if not rec["staff_id"]:
            raise InputError(where + "staff_id", "is empty")
        if rec["staff_id"] in seen:
            raise InputError(where + "staff_id", f"{rec['staff_id']!r} repeats row {seen[rec['staff_id']]}")
        seen[rec["staff_id"]] = n
        out.append(RosterEntry(**rec))
    return out


def read_events(path: Path | str, *, known_staff: set[str] | None = None) -> list[BonusEvent]:
    """events.csv → events, every row checked (also rows outside the period: a bad file is refused)."""
    out: list[BonusEvent] = []
    for n, rec in _rows(path, EVENT_COLUMNS):
        where = f"{path}, row {n}, column "
        try:
            on = date.fromisoformat(rec["date"])
        except ValueError:
            raise InputError(
                where + "date", f"{rec['date']!r} is not an ISO date such as 2026-01-15"
            ) from None
        kind, level = rec["kind"], rec["level"]
        if kind not in KINDS:
            raise InputError(where + "kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        if kind == "finding" and level not in FINDING_LEVELS:
            raise InputError(where + "level", f"a finding needs a level, one of {', '.join(FINDING_LEVELS)}")
        if kind != "finding" and level:
            raise InputError(where + "level", f"a {kind} has no level (leave it empty), got {level!r}")
        if not rec["staff_id"]:
            raise InputError(where + "staff_id", "is empty: name the person at fault")
        if known_staff is not None and rec["staff_id"] not in known_staff:
            raise InputError(where + "staff_id", f"{rec['staff_id']!r} is not in the staff file")
        out.append(BonusEvent(on, kind, level, rec["staff_id"], where=f"{path}, row {n}"))
    return out
