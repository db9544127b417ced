"""Printed notices (告知书) as PDF: 受理通知书, 一次性告知书, 不予受理决定书, 办结通知 (CASE-1/2/7/8).

One layout (centre letterhead, title, case number, body paragraphs, numbered table, signature line)
and four builders that turn a case into that layout. Chinese text uses a TrueType CJK font found on
the system (WenQuanYi Zen Hei, Noto Sans CJK TTF ...) or reportlab's built-in CID font STSong-Light.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from servicehall.cases.enums import DeliveryMethod, Outcome, RefusalKind
from servicehall.cases.models import Case, OneTimeNotice, RefusalReport
from servicehall.cases.policies import policies_for
from servicehall.core.fonts import cjk_font

KINDS = {
    "acceptance": "受理通知书",
    "correction": "一次性告知书",
    "refusal": "不予受理决定书",
    "completion": "办结通知书",
}


@dataclass
class NoticeDoc:
    """The printable content of one notice; rendering knows nothing about cases."""

    letterhead: str
    title: str
    number: str
    addressee: str
    paragraphs: list[str]
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    # Notices handed over at the window carry a line the applicant signs (签收), kept with the case file.
    receipt: bool = False
    rating_link: str = ""  # EVAL-1: QR code and short link to rate this case online


def render(doc: NoticeDoc) -> bytes:
    font = cjk_font()
    body = ParagraphStyle(
        "body", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK", firstLineIndent=23
    )
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    head = ParagraphStyle("head", parent=plain, fontSize=13, alignment=1, leading=20)
    title = ParagraphStyle("title", parent=plain, fontSize=20, alignment=1, leading=30, spaceAfter=4)
    small = ParagraphStyle("small", parent=plain, fontSize=10, alignment=2)
    cell = ParagraphStyle("cell", parent=plain, fontSize=10.5, leading=15)
    right = ParagraphStyle("right", parent=plain, alignment=2)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [p(doc.letterhead, head), p(doc.title, title), p(f"编号：{doc.number}", small), Spacer(1, 4 * mm)]
    story.append(p(f"{doc.addressee}：", plain))
    story += [p(text, body) for text in doc.paragraphs]
    if doc.table_rows:
        data = [[p(h, cell) for h in doc.table_head]] + [[p(c, cell) for c in row] for row in doc.table_rows]
        widths = [14 * mm, 55 * mm, None][: len(doc.table_head)]
        if len(widths) == 3:
            widths[2] = A4[0] - 50 * mm - 69 * mm
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [Spacer(1, 3 * mm), table, Spacer(1, 3 * mm)]
    story += [p(text, body) for text in doc.after]
    story.append(Spacer(1, 10 * mm))
    story += [p(text, right) for text in doc.signature]
    if doc.receipt:
        story += [
            Spacer(1, 12 * mm),
            p("申请人签收：____________________　　签收日期：______年____月____日", plain),
            p("（本告知书一式两份，申请人与窗口各执一份）", small),
        ]
    if doc.rating_link:
        story += [Spacer(1, 8 * mm), _rating_block(doc.rating_link, p, plain)]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=22 * mm, bottomMargin=20 * mm,
        title=f"{doc.title} {doc.number}", author=doc.letterhead,
    ).build(story)  # fmt: skip
    return out.getvalue()


def _rating_block(link: str, p, style: ParagraphStyle) -> Table:
    """EVAL-1: a QR code beside the short link, so the applicant can rate this service on a phone."""
    import segno
    from reportlab.platypus import Image

    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=4, border=2)
    png.seek(0)
    qr = Image(png, width=26 * mm, height=26 * mm)
    text = p(
        f"请对本次服务进行评价（非常满意、满意、基本满意、不满意、非常不满意）：扫描二维码或访问\n{link}",
        style,
    )
    table = Table([[qr, text]], colWidths=[30 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def rating_link(case: Case) -> str:
    """The short link printed on the acceptance and result notices (EVAL-1)."""
    from django.conf import settings
    from django.urls import reverse

    base = getattr(settings, "SERVICEHALL_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('evaluation:rate_case')}?n={case.number}"


# -- builders -------------------------------------------------------------------------------------------


def _day(value: datetime | None) -> str:
    if value is None:
        return ""
    return (
        f"{timezone.localtime(value):%Y年%m月%d日}" if timezone.is_aware(value) else f"{value:%Y年%m月%d日}"
    )


def _signature(case: Case, when: datetime | None) -> list[str]:
    window = f"{case.window.number}号窗口" if case.window else ""
    return [
        f"{case.centre.name}  {case.item.unit}{window}",
        f"经办人（第一责任人）：{case.responsible.name}  联系电话：{case.responsible.phone or case.centre.phone or '—'}",
        _day(when or timezone.now()),
    ]


def _base(case: Case, title: str) -> dict[str, Any]:
    return {
        "letterhead": case.centre.name,
        "title": title,
        "number": case.number,
        "addressee": case.applicant_name,
    }


def acceptance_notice(case: Case) -> bytes:
    """受理通知书 (CASE-1): case number, item, acceptance time, promised working days and due date."""
    policy = policies_for(case.centre).cases
    due = f"{case.due_on:%Y年%m月%d日}" if case.due_on else "—"
    if case.due_on and case.due_provisional:
        # CASE-5: counted over a year whose holidays are not published yet; the applicant is told.
        due += "（暂定：该年度节假日安排公布后按实际工作日重新计算并告知）"
    doc = NoticeDoc(
        **_base(case, KINDS["acceptance"]),
        paragraphs=[
            f"您于{_day(case.accepted_at or case.registered_at)}提交的「{case.item.name}」申请，"
            f"申请材料齐全、符合法定形式，本机关决定予以受理。办件编号：{case.number}。",
            f"本事项承诺办理时限为 {case.limit_days} 个工作日，预计于 {due} 前办结"
            "（依法需要听证、检验、检测、专家评审、公示的时间不计算在内）。",
            f"本件的第一责任人为 {case.responsible.name}，办理期间请与其联系；"
            f"您可凭办件编号和查询码 {case.query_code}（或手机号、证件号码后四位）"
            "在大厅查询机或网站查询办理进度。查询码请妥善保管。",
            f"依据：{policy.notice_legal_basis}。",
        ],
        **_fee_table(case),
        signature=_signature(case, case.accepted_at),
        rating_link=rating_link(case),
    )
    return render(doc)


def _fee_table(case: Case) -> dict[str, Any]:
    """收费告知 (SUP-2, 税费提前告知): every fee of the item's schedule, told at acceptance; none → 不收费."""
    lines = list(case.item.fee_lines.all())
    if not lines:
        return {"after": ["本事项不收取任何费用。"]}
    rows = [
        [str(n), line.name, f"{'不收费' if line.free else f'{line.amount} 元'}；依据：{line.legal_basis}"]
        for n, line in enumerate(lines, start=1)
    ]
    return {
        "table_head": ["序号", "收费项目", "金额及收费依据"],
        "table_rows": rows,
        "after": [
            "以上为本事项全部收费项目，一次性收取并出具票据；收费标准以外的任何收费，可向效能监察室投诉。"
        ],
    }


def one_time_notice(notice: OneTimeNotice) -> bytes:
    """一次性告知书 (CASE-2): every missing or defective material, numbered, with what to fix."""
    case = notice.case
    rows = [
        [str(line.position), line.case_material.name, _problem(line.get_state_display(), line.what_to_fix)]
        for line in notice.lines.select_related("case_material").order_by("position")
    ]
    seq = "" if notice.sequence == 1 else f"（第{notice.sequence}次，仅限首次告知内容）"
    doc = NoticeDoc(
        **_base(case, KINDS["correction"] + seq),
        paragraphs=[
            f"您于{_day(case.registered_at)}申请办理的「{case.item.name}」（办件编号：{case.number}），"
            f"经审查，申请材料不齐全或者不符合法定形式。现一次性告知您需要补正的全部内容如下（共 {len(rows)} 项）：",
        ],
        table_head=["序号", "材料名称", "问题及补正要求"],
        table_rows=rows,
        after=[
            "请按上述要求补正后，携带本告知书到原窗口提交。补正材料齐全、符合法定形式的，本机关将予以受理；"
            "本机关不会再要求提交本告知书以外的材料（一次告知、两次终结）。",
            f"依据：{notice.legal_basis}。" + (f" 说明：{notice.note}" if notice.note else ""),
        ],
        signature=_signature(case, notice.issued_at),
        receipt=True,
    )
    return render(doc)


def _problem(state: str, what_to_fix: str) -> str:
    """ "缺少" + "缺少全体股东签字" reads "缺少全体股东签字", not "缺少：缺少全体股东签字"."""
    what_to_fix = what_to_fix.strip()
    if not what_to_fix:
        return state
    if what_to_fix.startswith(state):
        return what_to_fix
    return f"{state}：{what_to_fix}"


def refusal_decision(report: RefusalReport) -> bytes:
    """不予受理决定书 / 不予许可决定书 (CASE-7): reasons, legal basis and the remedies from the policy."""
    case = report.case
    remedies = policies_for(case.centre).cases.remedies
    kind = RefusalKind(report.kind)
    title = KINDS["refusal"] if kind == RefusalKind.NOT_ACCEPTED else "不予许可决定书"
    verb = "不予受理" if kind == RefusalKind.NOT_ACCEPTED else "不予许可"
    doc = NoticeDoc(
        **_base(case, title),
        paragraphs=[
            f"您于{_day(case.registered_at)}申请办理的「{case.item.name}」（办件编号：{case.number}），经审查，决定{verb}。",
            f"理由：{report.reasons}",
            f"法律依据：{report.legal_basis}",
            f"如不服本决定，可以自收到本决定书之日起 {remedies.reconsideration_days} 日内向"
            f"{remedies.reconsideration_body}申请行政复议，或者在 {remedies.litigation_months} 个月内"
            f"向{remedies.litigation_court}提起行政诉讼。",
        ],
        signature=_signature(case, report.issued_at or report.reported_at),
    )
    return render(doc)


def completion_notice(case: Case) -> bytes:
    """办结通知书 (CASE-8): the outcome and how the result is delivered."""
    approved = case.outcome == Outcome.APPROVED
    if case.delivery_method == DeliveryMethod.POST:
        delivery = f"办理结果已邮寄至您指定的地址{('（邮件单号：' + case.tracking_no + '）') if case.tracking_no else ''}。"
    else:
        where = f"{case.window.number}号窗口（{case.window.place}）" if case.window else "受理窗口"
        delivery = f"请携带本人有效身份证件到{where}领取办理结果，也可申请邮寄送达。"
    paragraphs = [
        f"您申请办理的「{case.item.name}」（办件编号：{case.number}）已于{_day(case.concluded_at)}办结，"
        f"办理结果：{'准予许可/办理' if approved else '不予许可'}。",
        delivery,
    ]
    if case.decision_note:
        paragraphs.append(f"办理意见：{case.decision_note}")
    if not approved:
        remedies = policies_for(case.centre).cases.remedies
        paragraphs.append(
            f"如不服，可以在 {remedies.reconsideration_days} 日内申请行政复议，或者在 "
            f"{remedies.litigation_months} 个月内提起行政诉讼。"
        )
    return render(
        NoticeDoc(
            **_base(case, KINDS["completion"]),
            paragraphs=paragraphs,
            signature=_signature(case, case.concluded_at),
            rating_link=rating_link(case),
        )
    )


def notice_pdf(case: Case, kind: str) -> tuple[str, bytes]:
    """(file name, PDF bytes) of notice `kind` for `case`; LookupError when the case has none yet."""
    if kind == "acceptance":
        if case.accepted_at is None:
            raise LookupError("办件尚未受理")
        data = acceptance_notice(case)
    elif kind == "correction":
        notice = case.notices.order_by("-sequence").first()
        if notice is None:
            raise LookupError("办件没有一次性告知书")
        data = one_time_notice(notice)
    elif kind == "refusal":
        report = case.refusal_reports.filter(issued_at__isnull=False).order_by("-issued_at").first()
        if report is None:
            raise LookupError("办件没有已出具的不予受理/不予许可决定")
        data = refusal_decision(report)
    elif kind == "completion":
        if case.concluded_at is None or not case.outcome:
            raise LookupError("办件尚未办结")
        data = completion_notice(case)
    else:
        raise LookupError(f"未知的告知书类型: {kind}")
    return f"{case.number}-{kind}.pdf", data
