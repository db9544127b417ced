"""The numbered public-criticism notice (通报批评) as a PDF (EVAL-6), in the project's CJK font."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from servicehall.accountability.models import Criticism
from servicehall.cases.pdf import cjk_font


def criticism_pdf(criticism: Criticism) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=20, leading=28, alignment=1, textColor="#b00000")  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner
    centred = ParagraphStyle("centred", fontName=font, fontSize=12, leading=18, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, firstLineIndent=24)
    right = ParagraphStyle("right", fontName=font, fontSize=12, leading=20, alignment=2)
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=12, textColor="#666666")  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner
    staff = criticism.staff
    unit = staff.unit.name if staff.unit_id else ""  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    centre = criticism.centre.name
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"{criticism.number} 通报批评",
    )
    story = [
        Paragraph(escape(centre), title),
        Paragraph("通报批评", title),
        Paragraph(escape(criticism.number), centred),
        Spacer(1, 8 * mm),
        Paragraph(escape(f"关于对{unit}{staff.name}同志的通报批评"), centred),
        Spacer(1, 6 * mm),
        Paragraph("各窗口单位、全体窗口工作人员：", ParagraphStyle("lead", parent=body, firstLineIndent=0)),
        Paragraph(escape(criticism.facts), body),
        Paragraph(
            escape(f"上述行为违反了{criticism.rule}。经研究，决定对{staff.name}同志予以通报批评。"), body
        ),
        Paragraph(
            "希望全体窗口工作人员引以为戒，严格遵守各项规章制度。累计受到通报批评达到规定次数者，取消年终评优资格。",
            body,
        ),
        Spacer(1, 14 * mm),
        Paragraph(escape(centre), right),
        Paragraph(
            f"{criticism.issued_on.year}年{criticism.issued_on.month}月{criticism.issued_on.day}日", right
        ),
        Spacer(1, 10 * mm),
        Paragraph(escape(f"依据：{criticism.policy_ref}"), small),
    ]
    doc.build(story)
    return buf.getvalue()
