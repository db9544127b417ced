"""The four printed notices render with Chinese text (CASE-1, CASE-2, CASE-7, CASE-8)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from servicehall.cases import pdf, services
from servicehall.cases.enums import MaterialState
from servicehall.cases.services import MaterialCheck
from servicehall.cases.tests.factories import Hall, local

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_case_2__one_time_notice_pdf__lists_every_missing_item_numbered():
    hall = Hall()
    _, m2, m3 = hall.materials
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10),
        checks={m2.pk: MaterialCheck(MaterialState.MISSING),
                m3.pk: MaterialCheck(MaterialState.DEFECTIVE, "身份证已过有效期")},
    )  # fmt: skip
    notice = services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 5))
    text = text_of(pdf.one_time_notice(notice))
    assert "一次性告知书" in text
    assert case.number in text
    assert "经营场所平面图" in text
    assert "法定代表人身份证" in text
    assert "身份证已过有效期" in text
    assert "营业执照复印件" not in text  # present material is not listed
    assert "共2项" in text
    assert hall.centre.name in text  # letterhead
    assert "食品经营许可" in text
    assert "王受理" in text  # staff
    assert "行政许可法" in text  # legal basis
    assert "2025年09月22日" in text


def test_case_1__acceptance_notice_pdf__has_number_and_due_date():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 30, 10)
    )
    case = services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 10))
    text = text_of(pdf.acceptance_notice(case))
    assert "受理通知书" in text
    assert case.number in text
    assert "2025年10月14日" in text  # 5 working days: Oct 9, 10, 11 (make-up), 13, 14
    assert "第一责任人" in text


def test_case_7__refusal_decision_pdf__reasons_basis_remedies():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    report = services.report_refusal(
        case_id=case.pk, actor=hall.staff, kind="not_accepted", reasons="申请事项依法不需要取得行政许可",
        legal_basis="《行政许可法》第三十二条第一款第（一）项", at=local(2025, 9, 22, 10, 5),
    )  # fmt: skip
    services.acknowledge_refusal_report(report_id=report.pk, actor=hall.office, at=local(2025, 9, 22, 10, 6))
    services.refuse_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 7))
    _, data = pdf.notice_pdf(case, "refusal")
    text = text_of(data)
    assert "不予受理决定书" in text
    assert case.number in text
    assert "申请事项依法不需要取得行政许可" in text
    assert "第三十二条" in text
    assert "60日内" in text
    assert "行政复议" in text
    assert "6个月内" in text
    assert "行政诉讼" in text


def test_case_8__completion_notice_pdf__outcome_and_pickup_window():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10))
    case = services.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10))
    services.complete_unit_step(step_id=case.steps.get().pk, actor=hall.staff, at=local(2025, 9, 23, 10))
    services.conclude_case(case_id=case.pk, actor=hall.staff, outcome="approved", at=local(2025, 9, 23, 11))
    case.refresh_from_db()
    name, data = pdf.notice_pdf(case, "completion")
    text = text_of(data)
    assert name == f"{case.number}-completion.pdf"
    assert "办结通知书" in text
    assert case.number in text
    assert "准予" in text
    assert "8号窗口" in text


def test_case_1__notice_not_yet_available__lookup_error():
    hall = Hall(materials=0)
    case = services.register_case(actor=hall.staff, item=hall.item, applicant_name="张三")
    for kind in ("acceptance", "correction", "refusal", "completion", "nonsense"):
        with pytest.raises(LookupError):
            pdf.notice_pdf(case, kind)


def test_pdf__falls_back_to_builtin_cid_font(monkeypatch):
    from servicehall.core import fonts

    monkeypatch.setattr(fonts, "FONT_CANDIDATES", ())
    fonts.cjk_font.cache_clear()
    try:
        doc = pdf.NoticeDoc(
            letterhead="某中心", title="办结通知书", number="X1", addressee="张三", paragraphs=["已办结"]
        )
        assert fonts.cjk_font() == fonts.CID_FALLBACK
        assert "已办结" in text_of(pdf.render(doc))
    finally:
        fonts.cjk_font.cache_clear()


def test_case_2__one_time_notice_reads_plainly_and_has_a_receipt_line():
    """一次性告知书: the state is not repeated before a requirement that already names it, and the applicant
    signs for the notice (签收)."""
    assert pdf._problem("缺少", "缺少全体股东签字") == "缺少全体股东签字"
    assert pdf._problem("不符合要求", "复印件不清晰") == "不符合要求：复印件不清晰"
    assert pdf._problem("缺少", "") == "缺少"
    doc = pdf.NoticeDoc(
        letterhead="某中心",
        title="一次性告知书",
        number="X2",
        addressee="张三",
        paragraphs=["请补正"],
        receipt=True,
    )
    text = text_of(pdf.render(doc))
    assert "申请人签收" in text
    assert "签收日期" in text
