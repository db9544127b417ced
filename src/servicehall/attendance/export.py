"""Monthly attendance workbook (月度考勤汇总表, ATT-10) with openpyxl. Django-free.

One formatted sheet per unit (or one sheet for everyone), a centre summary sheet when there are
several units, and a sheet of evidence (明细) listing every event with its rule, its English text and its
Chinese text (说明).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from servicehall.attendance.rules import LEAVE_KIND_LABELS, LEAVE_KINDS, StaffMonthResult
from servicehall.core.exports import save_workbook, workbook_bytes

LEAVE_LABELS = LEAVE_KIND_LABELS
RULE_LABELS = {
    "ATT-3": "迟到/早退",
    "ATT-4": "累计迟到早退",
    "ATT-5": "迟到1小时/脱岗",
    "ATT-6": "漏打卡",
    "ATT-7": "单次打卡",
    "ATT-8": "旷工/请假",
    "ATT-11": "学习/例会缺席",
    "LEAVE-3": "病假无证明",
}

_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_TITLE_FONT = Font(bold=True, size=14)
_ALERT_FILL = PatternFill("solid", fgColor="FCE4D6")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _columns(kinds: Sequence[str]) -> list[str]:
    return [
        "工号",
        "姓名",
        "单位",
        "迟到(次)",
        "早退(次)",
        "漏打卡(次)",
        "旷工(天)",
        *[f"{LEAVE_LABELS.get(k, k)}(天)" for k in kinds],
        "说明",
    ]


def _sheet(ws: Any, title: str, rows: list[list[Any]], kinds: Sequence[str]) -> None:
    cols = _columns(kinds)
    ws.append([title])
    ws["A1"].font = _TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    ws.append(cols)
    for i in range(1, len(cols) + 1):
        cell = ws.cell(row=2, column=i)
        cell.fill, cell.font, cell.border = _HEAD_FILL, _HEAD_FONT, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = 2  # (ws.max_row scans every cell: too slow inside a loop)
    for row in rows:
        ws.append(row)
        r += 1
        for i in range(1, len(cols) + 1):
            cell = ws.cell(row=r, column=i)
            cell.border = _BORDER
            if row[6]:  # absence days
                cell.fill = _ALERT_FILL
    widths = [12, 10, 16, 9, 9, 10, 9, *[9] * len(kinds), 60]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(cols))}{r}"


def _row(result: StaffMonthResult, info: Mapping[str, Any], kinds: Sequence[str]) -> list[Any]:
    notes = "；".join(
        f"{RULE_LABELS.get(e.rule, e.rule)} {e.date:%m-%d}{' ' + e.session if e.session else ''}"
        for e in result.events
        if e.absence_days
    )
    return [
        str(info.get("staff_no", result.staff_id)),
        info.get("name", ""),
        info.get("unit", ""),
        result.lates,
        result.early_leaves,
        result.missed_punches,
        result.absence_days,
        *[result.leave_days.get(k, 0) or None for k in kinds],
        notes,
    ]


def write_month_workbook(
    target: Path | str | BinaryIO | None,
    *,
    month: str,
    policy_ref: str,
    results: Sequence[StaffMonthResult],
    staff_info: Mapping[Any, Mapping[str, Any]] | None = None,
    title: str = "考勤月汇总",
    by_unit: bool = True,
) -> bytes | None:
    """Write the workbook to `target` (path or binary stream); with target None return its bytes."""
    info = staff_info or {}
    kinds = [k for k in LEAVE_KINDS if any(r.leave_days.get(k) for r in results)]
    kinds += sorted({k for r in results for k in r.leave_days if k not in LEAVE_KINDS})
    wb = Workbook()
    units: dict[str, list[StaffMonthResult]] = {}
    for r in results:
        units.setdefault(str(info.get(r.staff_id, {}).get("unit", "") or "全部"), []).append(r)
    first = cast(Worksheet, wb.active)  # a new workbook always has its first sheet
    if by_unit and len(units) > 1:
        first.title = "中心汇总"
        summary = [
            [
                "",
                f"{len(rs)}人",
                unit,
                sum(r.lates for r in rs),
                sum(r.early_leaves for r in rs),
                sum(r.missed_punches for r in rs),
                sum(r.absence_days for r in rs),
                *[sum(r.leave_days.get(k, 0) for r in rs) or None for k in kinds],
                "",
            ]
            for unit, rs in units.items()
        ]
        _sheet(first, f"{title} {month}（{policy_ref}）", summary, kinds)
        used: set[str] = {first.title}
        for unit, rs in units.items():
            name = _sheet_name(unit, used)
            _sheet(
                wb.create_sheet(name),
                f"{unit} {title} {month}",
                [_row(r, info.get(r.staff_id, {}), kinds) for r in rs],
                kinds,
            )
    else:
        first.title = _sheet_name(next(iter(units), "考勤") if by_unit and units else "考勤", set())
        _sheet(
            first,
            f"{title} {month}（{policy_ref}）",
            [_row(r, info.get(r.staff_id, {}), kinds) for r in results],
            kinds,
        )
    ev = wb.create_sheet("明细")
    ev.append(["工号", "姓名", "日期", "时段", "规则", "Detail (English)", "说明", "旷工(天)"])
    for i in range(1, 9):
        c = ev.cell(row=1, column=i)
        c.fill, c.font = _HEAD_FILL, _HEAD_FONT
    n = 1
    for r in results:
        who = info.get(r.staff_id, {})
        name, number = who.get("name", ""), str(who.get("staff_no", r.staff_id))
        for e in r.events:
            row = [
                number,
                name,
                e.date,
                e.session or "",
                e.rule,
                e.detail,
                e.detail_zh,
                e.absence_days or None,
            ]
            ev.append(row)
            n += 1
            ev.cell(row=n, column=3).number_format = "yyyy-mm-dd"
    for col, w in zip("ABCDEFGH", [12, 10, 12, 6, 8, 50, 50, 9], strict=True):
        ev.column_dimensions[col].width = w
    ev.freeze_panes = "A2"
    if target is None:
        return workbook_bytes(wb)
    save_workbook(wb, target)
    return None


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:28] or "单位"
    out, n = clean, 2
    while out in used:
        out, n = f"{clean[:25]}({n})", n + 1
    used.add(out)
    return out
