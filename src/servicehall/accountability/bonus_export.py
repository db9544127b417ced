"""Conduct-bonus payroll workbook (行风评议奖发放表, EVAL-5). Django-free.

Sheet 1 发放表: one row per person (base, deductions, paid, recommended extra deduction);
sheet 2 扣减明细: every deduction itemised; sheet 3 提示 only when the result carries warnings.
Every text cell is neutralised so a name such as `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from servicehall.accountability.bonus import BonusResult
from servicehall.core.exports import safe_cell, save_workbook

KIND_LABELS = {"complaint": "有效投诉", "disturbance": "引发群众吵闹", "finding": "检查发现问题"}
LEVEL_LABELS = {"street": "街道", "district": "区级", "city": "市级", "centre": "中心", "": ""}


def write_bonus_workbook(path: Path | str, result: BonusResult) -> None:
    wb = Workbook()
    pay = wb.active
    pay.title = "发放表"  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    pay.append([safe_cell(f"行风评议奖 {result.period.label}（{result.policy_ref}）")])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    pay["A1"].font = Font(bold=True, size=14)  # type: ignore[index]  # Optional narrowing left to the domain's owner
    head = ["工号", "姓名", "单位", "窗口", "基数(元)", "扣减合计(元)", "实发(元)", "建议另扣(元)"]
    pay.append(head)  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    for cell in pay[2]:  # type: ignore[index]  # Optional narrowing left to the domain's owner
        cell.font = Font(bold=True)
    for s in result.staff:
        p = s.person
        pay.append(  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
            [
                *(safe_cell(v) for v in (p.staff_id, p.name, p.unit, p.window)),
                s.base,
                sum(d.amount for d in s.deductions),
                s.paid,
                s.recommended_extra_deduction,
            ]
        )
    items = wb.create_sheet("扣减明细")
    items.append(["工号", "姓名", "日期", "类别", "发现层级", "规则", "金额(元)", "当事人工号"])
    for cell in items[1]:
        cell.font = Font(bold=True)
    for s in result.staff:
        for d in s.deductions:
            items.append(
                [
                    safe_cell(s.person.staff_id),
                    safe_cell(s.person.name),
                    d.on.isoformat(),
                    KIND_LABELS.get(d.kind, d.kind),
                    LEVEL_LABELS.get(d.level, d.level),
                    d.rule,
                    d.amount,
                    safe_cell(d.at_fault),
                ]
            )
    if result.warnings:
        notes = wb.create_sheet("提示")
        for text in result.warnings:
            notes.append([safe_cell(text)])
    for ws in wb.worksheets:
        for col, width in zip("ABCDEFGH", (10, 10, 16, 10, 12, 12, 12, 12), strict=True):
            ws.column_dimensions[col].width = width
    save_workbook(wb, path)
