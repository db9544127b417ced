"""A printable service guide (办事指南) built from an item's six publics, so the guide can always be
downloaded and reprinted even when no file was uploaded (CAT-3 不断档). Pure: plain data in, PDF bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from servicehall.core.fonts import cjk_font


@dataclass(frozen=True)
class GuideData:
    centre: str
    code: str
    name: str
    unit: str
    case_type: str
    promised_days: int
    statutory_days: int | None
    content: str
    procedure: str
    legal_basis: str
    fees: str
    joint_units: list[str] = field(default_factory=list)
    materials: list[tuple[int, str, str, int, bool, str]] = field(default_factory=list)
    phone: str = ""


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def render_guide_pdf(guide: GuideData) -> bytes:
    font = cjk_font()  # embedded TrueType: the CID font showed missing-glyph boxes in many readers
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    head = ParagraphStyle(
        "head", parent=body, fontSize=12, leading=18, spaceBefore=8, textColor=colors.darkred
    )
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1)
    sub = ParagraphStyle("sub", parent=body, alignment=1, textColor=colors.grey)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=f"{guide.name}办事指南", author=guide.centre,
    )  # fmt: skip
    limit = f"{guide.promised_days} 个工作日" if guide.promised_days else "即办（当场办结）"
    if guide.statutory_days is not None:
        limit += f"（法定时限 {guide.statutory_days} 个工作日）"
    story = [
        _para(f"{guide.name}办事指南", title),
        _para(f"{guide.centre} · 事项编码 {guide.code}", sub),
        Spacer(1, 6 * mm),
        _para("一、办理单位", head),
        _para(
            guide.unit + (f"；联办单位：{'、'.join(guide.joint_units)}" if guide.joint_units else ""), body
        ),
        _para("二、办件类型", head),
        _para(guide.case_type, body),
        _para("三、办理内容", head),
        _para(guide.content, body),
        _para("四、法律依据", head),
        _para(guide.legal_basis, body),
        _para("五、申请材料", head),
    ]
    rows = [[_para(h, body) for h in ("序号", "材料名称", "形式", "份数", "是否必须", "说明")]]
    for pos, name, form, copies, required, note in guide.materials:
        cells = (str(pos), name, form, str(copies), "必须" if required else "可选", note)
        rows.append([_para(c, body) for c in cells])
    table = Table(rows, colWidths=[12 * mm, 55 * mm, 20 * mm, 12 * mm, 22 * mm, 53 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        _para("六、办理程序", head),
        _para(guide.procedure, body),
        _para("七、承诺时限", head),
        _para(limit, body),
        _para("八、收费标准及依据", head),
        _para(guide.fees, body),
    ]
    if guide.phone:
        story += [_para("九、咨询电话", head), _para(guide.phone, body)]
    doc.build(story)
    return buf.getvalue()
