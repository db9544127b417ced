"""Exports of electronic supervision: the unit ranking and the daily fee ledger as Excel, and the
rectification notice (整改通知书) to a unit as PDF. Every text cell is neutralised so a value such as
`=HYPERLINK(...)` stays text."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from servicehall.cases.pdf import NoticeDoc, render
from servicehall.core.exports import safe_cell, workbook_bytes
from servicehall.supervision.ranking import RankRow


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


RANK_HEAD = ["名次", "名称", "得分", "黄牌", "红牌", "办结件数", "按时办结率", "超期率", "平均办理工作日"]


def _rank_values(row: RankRow) -> list[Any]:
    return [
        row.rank,
        safe_cell(row.name),
        row.score,
        row.yellow,
        row.red,
        row.concluded,
        _pct(row.on_time_rate),
        _pct(row.overdue_rate),
        "—" if row.avg_handling_working_days is None else row.avg_handling_working_days,
    ]


def ranking_workbook(ranking: dict[str, Any]) -> bytes:
    wb = Workbook()
    units = wb.active
    units.title = "单位排名"  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    units.append([safe_cell(f"窗口单位考核排名 {ranking['period'].label}（{ranking['policy']}）")])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    units["A1"].font = Font(bold=True, size=14)  # type: ignore[index]  # Optional narrowing left to the domain's owner
    units.append([*RANK_HEAD, "领导未到中心办公的月份"])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    for row in ranking["units"]:
        units.append([*_rank_values(row), safe_cell("、".join(row.months_without_leader) or "—")])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    windows = wb.create_sheet("窗口排名")
    windows.append(RANK_HEAD)
    for row in ranking["windows"]:
        windows.append(_rank_values(row))
    for sheet in (units, windows):
        for cell in sheet[2 if sheet is units else 1]:  # type: ignore[index]  # Optional narrowing left to the domain's owner
            cell.font = Font(bold=True)
    return workbook_bytes(wb)


def fee_ledger_workbook(ledger: dict[str, Any], *, centre_name: str) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "收费台账"  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    sheet.append([safe_cell(f"{centre_name} 收费台账 {ledger['day']:%Y-%m-%d}")])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    sheet["A1"].font = Font(bold=True, size=14)  # type: ignore[index]  # Optional narrowing left to the domain's owner
    sheet.append(  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
        ["收费时间", "办件编号", "单位", "窗口", "收费项目", "金额(元)", "票据号", "收费人", "符合收费标准"]
    )
    for fee in ledger["fees"]:
        sheet.append(  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
            [
                f"{timezone.localtime(fee.charged_at):%H:%M}",
                safe_cell(fee.case.number),
                safe_cell(str(fee.unit)),
                safe_cell(f"{fee.window.number}号窗口" if fee.window else ""),
                safe_cell(fee.name),
                float(fee.amount),
                safe_cell(fee.receipt_no),
                safe_cell(fee.charged_by.name),
                "是" if fee.on_schedule else "否",
            ]
        )
    totals = wb.create_sheet("汇总")
    totals.append(["按窗口", "金额(元)"])
    for name, amount in ledger["by_window"]:
        totals.append([safe_cell(name), float(amount)])
    totals.append([])
    totals.append(["按单位", "金额(元)"])
    for name, amount in ledger["by_unit"]:
        totals.append([safe_cell(name), float(amount)])
    totals.append(["合计", float(ledger["total"])])
    return workbook_bytes(wb)


def rectification_notice(
    *, centre_name: str, unit_name: str, row: RankRow, period_label: str, policy_ref: str, cards: list[Any]
) -> bytes:
    """整改通知书 (篇6 §30: 及时反馈窗口单位进行整改) listing the unit's counting cards of the period."""
    rows = [
        [
            str(n),
            f"{c.get_colour_display()} {c.case.number}",
            f"{c.get_trigger_display()}；办结期限 {c.due_date or '—'}；{c.get_status_display()}",
        ]
        for n, c in enumerate(cards, start=1)
    ]
    doc = NoticeDoc(
        letterhead=centre_name,
        title="整改通知书",
        number=f"{period_label}-{row.key}",
        addressee=unit_name,
        paragraphs=[
            f"经电子监察系统统计，贵单位窗口{period_label}考核得分 {row.score} 分，排名第 {row.rank} 位；"
            f"黄牌 {row.yellow} 张、红牌 {row.red} 张，按时办结率 {_pct(row.on_time_rate)}，超期率 {_pct(row.overdue_rate)}。",
            (
                "本期有以下月份分管领导未到中心窗口现场办公：" + "、".join(row.months_without_leader) + "。"
                if row.months_without_leader
                else "本期分管领导到中心窗口现场办公符合要求。"
            ),
            "请于收到本通知之日起五个工作日内查明原因、落实整改，并将整改情况书面报送中心效能监察室。",
        ],
        table_head=["序号", "监察牌", "情况"] if rows else [],
        table_rows=rows,
        after=[f"考核依据：{policy_ref}。"],
        signature=[f"{centre_name} 效能监察室", f"{timezone.localdate():%Y年%m月%d日}"],
    )
    return render(doc)
