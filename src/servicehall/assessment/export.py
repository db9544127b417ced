"""The annual result per unit (年度考核结果) for the home unit and the personnel department (ORG-2, 篇1 §十.6)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from servicehall.assessment.models import Result, Round
from servicehall.cases.pdf import cjk_font
from servicehall.core.exports import safe_cell, workbook_bytes


def _rows(results: Sequence[Result]) -> list[list[object]]:
    return [
        [
            r.staff.staff_no,
            r.staff.name,
            float(r.total),
            r.grade_label,
            "是" if r.excellence_eligible else "否（通报批评）",
        ]
        for r in results
    ]


HEAD = ["工号", "姓名", "总分", "等级", "年终评优资格"]


def unit_workbook(rnd: Round, unit_name: str, results: Sequence[Result]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核结果"  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    ws.append([safe_cell(f"{rnd.label} · {unit_name}（{rnd.policy_ref}）")])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    ws["A1"].font = Font(bold=True, size=14)  # type: ignore[index]  # Optional narrowing left to the domain's owner
    ws.append(HEAD)  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    for row in _rows(results):
        ws.append([safe_cell(v) for v in row])  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    detail = wb.create_sheet("输入明细")
    detail.append(["工号", "姓名", "输入", "数值", "权重", "得分"])
    for r in results:
        for line in r.lines:
            detail.append(
                [
                    safe_cell(r.staff.staff_no),
                    safe_cell(r.staff.name),
                    line["label"],
                    line["value"],
                    line["weight"],
                    line["points"],
                ]
            )
    return workbook_bytes(wb)


def unit_pdf(rnd: Round, centre_name: str, unit_name: str, results: Sequence[Result]) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("t", fontName=font, fontSize=16, leading=24, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=18)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=rnd.label)
    table = Table([HEAD, *_rows(results)], repeatRows=1)
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, "#999999")])
    )
    story = [
        Paragraph(escape(f"{centre_name}{rnd.label}结果"), title),
        Paragraph(escape(f"报送：{unit_name}、人事主管部门"), body),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(escape(f"考核期间 {rnd.starts_on} 至 {rnd.ends_on}，依据 {rnd.policy_ref}。"), body),
    ]
    doc.build(story)
    return buf.getvalue()
