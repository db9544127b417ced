"""Reading attendance files (考勤数据文件): punches, leaves, staff. Django-free.

Punch files (CSV or Excel .xlsx) come in three layouts, recognised by their header row:

| layout      | columns                                  | person key            |
|-------------|------------------------------------------|-----------------------|
| standard    | `staff_id,time` (or `badge_no,time`)     | 工号 / badge number    |
| zkteco      | `AC-No.,Name,Time` (extra columns ignored) | badge (AC-No. = enrolment no.) |
| cn-terminal | `工号,姓名,打卡时间` (or `考勤号,姓名,打卡时间`) | 工号 / badge number    |

Times are local (北京时间): ISO `2026-03-02T08:25:13`, `2026-03-02 08:25[:13]` or `2026/3/2 8:25[:13]`;
an offset such as `+08:00` is converted to Beijing time. Every error names file, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from servicehall.attendance.rules import LEAVE_KINDS, LEAVE_STATUSES
from servicehall.core.errors import InputError
from servicehall.core.uploads import MB, UploadLimits, check_size, is_xlsx, read_rows

BEIJING = ZoneInfo("Asia/Shanghai")
MAX_ROWS = 5_000_000
# The operator's own files on the command line; uploads through the web get the (smaller) settings limits.
FILE_LIMITS = UploadLimits(max_bytes=512 * MB, max_rows=MAX_ROWS, max_unpacked_bytes=2048 * MB)


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    key_column: str  # header text of the person column
    key_kind: str  # "staff_id" (工号) or "badge"
    time_column: str
    date_column: str | None = None  # some exports split date and time


# Order matters: the first layout whose columns are all in the header wins.
LAYOUTS: tuple[Layout, ...] = (
    Layout("standard", "staff_id", "staff_id", "time"),
    Layout("standard-badge", "badge_no", "badge", "time"),
    Layout("zkteco", "AC-No.", "badge", "Time"),
    Layout("cn-terminal", "工号", "staff_id", "打卡时间"),
    Layout("cn-terminal-badge", "考勤号", "badge", "打卡时间"),
)


@dataclass(frozen=True, slots=True)
class PunchRow:
    row: int  # 1-based line/row number in the file, header = 1
    key: str
    key_kind: str
    at: datetime


def _norm(header: str) -> str:
    return header.strip().lstrip("\ufeff").strip()


def detect_layout(header: Sequence[Any], *, where: str) -> tuple[Layout, int, int]:
    """The layout of a header row and the indexes of its key and time columns."""
    cols = {_norm(str(h)): i for i, h in enumerate(header) if h is not None}
    lower = {k.lower(): v for k, v in cols.items()}
    for layout in LAYOUTS:
        k = cols.get(layout.key_column, lower.get(layout.key_column.lower()))
        t = cols.get(layout.time_column, lower.get(layout.time_column.lower()))
        if k is not None and t is not None:
            return layout, k, t
    known = "; ".join(f"{lay.key_column},{lay.time_column}" for lay in LAYOUTS)
    shown = ",".join(_norm(str(h)) for h in header if h is not None)
    raise InputError(f"{where}, row 1", f"unknown header {shown!r}; expected columns: {known}")


_SLASHED = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_time(value: Any) -> datetime:
    """A local (Beijing) naive datetime from a cell; ValueError when unreadable."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        raise ValueError("a date without a time")
    else:
        text = str(value).strip()
        if not text:
            raise ValueError("empty")
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            m = _SLASHED.match(text)
            if not m:
                raise ValueError(f"{text!r} is not a date-time like 2026-03-02T08:25:13") from None
            y, mo, d, h, mi, s = m.groups()
            try:
                dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
            except ValueError as exc:
                raise ValueError(f"{text!r} is not a valid date-time ({exc})") from None
        if len(text) <= 10 and "T" not in text and ":" not in text:
            raise ValueError(f"{text!r} has no time of day")
    if dt.tzinfo is not None:
        dt = dt.astimezone(BEIJING).replace(tzinfo=None)
    return dt


def read_table(
    path: Path | str,
    *,
    data: bytes | None = None,
    name: str | None = None,
    limits: UploadLimits = FILE_LIMITS,
) -> Iterator[list[Any]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB18030) or .xlsx file, header first, within
    `limits` (size, rows, unpacked xlsx size, field length: `core.uploads`)."""
    path = Path(path)
    label = name or str(path)
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(label, f"cannot read: {exc.strerror or exc}") from None
        check_size(size, label, limits)  # before reading a huge file into memory
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(label, f"cannot read: {exc.strerror or exc}") from None
    if not is_xlsx(label) and is_xlsx(path.name):
        label = str(path)
    yield from read_rows(data, label, limits)


def read_punches(
    path: Path | str,
    *,
    data: bytes | None = None,
    name: str | None = None,
    errors: list[str] | None = None,
    limits: UploadLimits = FILE_LIMITS,
) -> tuple[Layout, list[PunchRow]]:
    """All punch rows of a file. A bad row raises InputError naming file, row and column, or, when an
    `errors` list is given, is reported there ("row 7, column time: ...") and skipped."""
    label = name or str(path)
    rows = read_table(path, data=data, name=name, limits=limits)
    try:
        header = next(rows)
    except StopIteration:
        raise InputError(label, "the file is empty (expected a header row staff_id,time)") from None
    layout, ki, ti = detect_layout(header, where=label)
    out: list[PunchRow] = []
    for n, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row):
            continue
        if n > MAX_ROWS:
            raise InputError(f"{label}, row {n}", f"more than {MAX_ROWS} rows; split the file by month")
        key = str(row[ki]).strip() if ki < len(row) else ""
        if isinstance(row[ki] if ki < len(row) else None, float) and key.endswith(".0"):
            key = key[:-2]  # Excel stores numeric badge numbers as floats
        if not key:
            _bad(errors, label, n, layout.key_column, "is empty")
            continue
        cell = row[ti] if ti < len(row) else ""
        try:
            at = parse_time(cell)
        except ValueError as exc:
            _bad(errors, label, n, layout.time_column, str(exc))
            continue
        out.append(PunchRow(n, key, layout.key_kind, at))
    return layout, out


def _bad(errors: list[str] | None, label: str, row: int, column: str, message: str) -> None:
    if errors is None:
        raise InputError(f"{label}, row {row}, column {column}", message)
    errors.append(f"row {row}, column {column}: {message}")


def _dict_rows(
    path: Path | str, required: Sequence[str], *, optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    label = str(path)
    rows = read_table(path)
    try:
        header = [_norm(str(h)) for h in next(rows)]
    except StopIteration:
        raise InputError(label, f"the file is empty (expected a header row {','.join(required)})") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"{label}, row 1", f"missing column(s) {', '.join(missing)}; expected {','.join(required)}"
        )
    idx = {c: header.index(c) for c in (*required, *optional) if c in header}
    for n, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row):
            continue
        yield n, {c: (str(row[i]).strip() if i < len(row) else "") for c, i in idx.items()}


def read_leaves(path: Path | str) -> list[dict[str, Any]]:
    """leaves.csv: staff_id,kind,start,end,status,certificate (ATT-8, LEAVE-3)."""
    label = str(path)
    out = []
    for n, rec in _dict_rows(path, ("staff_id", "kind", "start", "end", "status"), optional=("certificate",)):
        where = f"{label}, row {n}, column "
        if not rec["staff_id"]:
            raise InputError(where + "staff_id", "is empty")
        if rec["kind"] not in LEAVE_KINDS:
            raise InputError(where + "kind", f"{rec['kind']!r} is not one of {', '.join(LEAVE_KINDS)}")
        if rec["status"] not in LEAVE_STATUSES:
            raise InputError(where + "status", f"{rec['status']!r} is not one of {', '.join(LEAVE_STATUSES)}")
        cert = rec.get("certificate", "").lower() or "no"
        if cert not in {"yes", "no"}:
            raise InputError(where + "certificate", f"{rec['certificate']!r} is not yes or no")
        bounds = {}
        for col in ("start", "end"):
            try:
                bounds[col] = _leave_bound(rec[col], end=col == "end")
            except ValueError:
                raise InputError(
                    where + col,
                    f"{rec[col]!r} is not an ISO date (2026-03-02) or date-time (2026-03-02T08:30)",
                ) from None
        if bounds["end"] <= bounds["start"]:
            raise InputError(where + "end", f"{rec['end']!r} is not after start {rec['start']!r}")
        out.append(
            {
                "staff_id": rec["staff_id"],
                "kind": rec["kind"],
                "start": bounds["start"],
                "end": bounds["end"],
                "status": rec["status"],
                "certificate": cert == "yes",
                "row": n,
            }
        )
    return out


def _leave_bound(text: str, *, end: bool) -> datetime:
    text = text.strip()
    if len(text) == 10:
        d = date.fromisoformat(text)
        return datetime.combine(d + timedelta(days=1) if end else d, time())  # a date is the whole day
    return parse_time(text)


STAFF_ROLES = ("chief_rep", "staff")


def read_staff(path: Path | str) -> list[dict[str, Any]]:
    """staff.csv: staff_id,name,role,unit — role ∈ chief_rep, staff."""
    label = str(path)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for n, rec in _dict_rows(path, ("staff_id", "name", "role", "unit")):
        where = f"{label}, row {n}, column "
        if not rec["staff_id"]:
            raise InputError(where + "staff_id", "is empty")
        if rec["staff_id"] in seen:
            raise InputError(where + "staff_id", f"{rec['staff_id']!r} repeats row {seen[rec['staff_id']]}")
        if rec["role"] not in STAFF_ROLES:
            raise InputError(where + "role", f"{rec['role']!r} is not one of {', '.join(STAFF_ROLES)}")
        seen[rec["staff_id"]] = n
        out.append({**rec, "row": n})
    return out
