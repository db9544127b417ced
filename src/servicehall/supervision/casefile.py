"""Read `cases.csv` for the card CLI (SUP-1): one case a row, every bad cell named by file, row and column.

Columns: case_id,accepted_at,limit_days,pauses,extension_days,concluded_at. Rows are numbered from the
header (row 1). Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from servicehall.cases.deadlines import Pause
from servicehall.core.errors import InputError
from servicehall.core.uploads import UploadLimits, csv_rows

COLUMNS = ("case_id", "accepted_at", "limit_days", "pauses", "extension_days", "concluded_at")
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CaseRow:
    row: int
    case_id: str
    accepted_at: datetime
    limit_days: int
    pauses: tuple[Pause, ...]
    extension_days: int
    concluded_at: datetime | None


def _instant(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")


def read_cases(path: Path) -> list[CaseRow]:
    """Every row of `path`, or InputError naming the first bad file/row/column."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(name, f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"无法读取文件: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "文件须为 UTF-8 编码") from None
    reader = csv_rows(text, name, UploadLimits(max_bytes=MAX_BYTES, max_rows=5_000_000))
    header = next(reader, None)
    if header is None:
        raise InputError(f"{name}, row 1", "文件为空，缺少表头 " + ",".join(COLUMNS))
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{name}, row 1, column {missing[0]}", "表头缺少列: " + ", ".join(missing))
    index = {c: header.index(c) for c in COLUMNS}
    rows: list[CaseRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(_parse_row(name, number, cells, index, seen))
    return rows


def _parse_row(
    name: str, number: int, cells: list[str], index: dict[str, int], seen: dict[str, int]
) -> CaseRow:
    def cell(column: str) -> str:
        i = index[column]
        return cells[i].strip() if i < len(cells) else ""

    def bad(column: str, message: str) -> InputError:
        return InputError(f"{name}, row {number}, column {column}", message)

    case_id = cell("case_id")
    if not case_id:
        raise bad("case_id", "办件编号不能为空")
    if case_id in seen:
        raise bad("case_id", f"办件编号 {case_id!r} 与第 {seen[case_id]} 行重复")
    seen[case_id] = number
    try:
        accepted = _instant(cell("accepted_at"))
    except ValueError:
        raise bad("accepted_at", f"受理时间应为 YYYY-MM-DD HH:MM，收到 {cell('accepted_at')!r}") from None
    try:
        limit = int(cell("limit_days"))
    except ValueError:
        raise bad("limit_days", f"承诺时限应为整数，收到 {cell('limit_days')!r}") from None
    if limit < 0:
        raise bad("limit_days", "承诺时限不能为负数")
    extension = 0
    if cell("extension_days"):
        try:
            extension = int(cell("extension_days"))
        except ValueError:
            raise bad("extension_days", f"延期天数应为整数，收到 {cell('extension_days')!r}") from None
        if extension < 0:
            raise bad("extension_days", "延期天数不能为负数")
    pauses: list[Pause] = []
    for part in filter(None, (p.strip() for p in cell("pauses").split(";"))):
        start, sep, end = part.partition(":")
        try:
            if not sep:
                raise ValueError
            first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
        except ValueError:
            raise bad("pauses", f"暂停应写作 START:END（ISO 日期，多段以 ; 分隔），收到 {part!r}") from None
        if last < first:
            raise bad("pauses", f"暂停结束日 {last} 早于开始日 {first}")
        pauses.append(Pause(first, last))
    concluded = None
    if cell("concluded_at"):
        try:
            concluded = _instant(cell("concluded_at"))
        except ValueError:
            raise bad(
                "concluded_at", f"办结时间应为 YYYY-MM-DD HH:MM，收到 {cell('concluded_at')!r}"
            ) from None
        if concluded < accepted:
            raise bad("concluded_at", "办结时间早于受理时间")
    return CaseRow(number, case_id, accepted, limit, tuple(pauses), extension, concluded)
