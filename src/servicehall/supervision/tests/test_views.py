"""Supervision office pages, exports and the dashboard link (SUP-1, SUP-2, EVAL-4)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from servicehall.cases import pdf
from servicehall.cases import services as cases
from servicehall.cases.tests.factories import Hall, local
from servicehall.cases.tests.test_pdf import text_of
from servicehall.catalog.models import FeeScheduleLine
from servicehall.org.models import Staff
from servicehall.org.tests.factories import UserFactory
from servicehall.supervision import services
from servicehall.supervision.jobs import run_sweep
from servicehall.supervision.models import Card, LeaderOfficeDay
from servicehall.supervision.ranking import parse_period

pytestmark = pytest.mark.django_db


def login(client, staff):
    staff.user = UserFactory()
    staff.save(update_fields=["user"])
    client.force_login(staff.user)


def world():
    hall = Hall(promised_days=2)
    hall.office.role = Staff.Role.SUPERVISOR
    hall.office.save()
    case = cases.register_case(
        actor=hall.staff,
        item=hall.item,
        applicant_name="=HYPERLINK(1)",
        window=hall.window,
        at=local(2025, 9, 30, 10),
    )
    cases.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 10))
    run_sweep(at=local(2025, 10, 11, 0, 0))
    return hall, case


def test_sup_1__dashboard_card_links_to_supervision_pages(client):
    hall, _ = world()
    login(client, hall.office)
    body = client.get("/dashboard/").content.decode()
    for url in ("/supervision/", "/supervision/ranking/", "/supervision/fees/"):
        assert f'href="{url}"' in body


def test_sup_1__today_page_lists_cards_of_the_day_and_staff_sees_only_own(client):
    hall, case = world()
    login(client, hall.office)
    body = client.get("/supervision/?day=2025-10-11").content.decode()
    assert body.count(case.number) >= 2
    assert "红牌" in body
    assert "黄牌" in body
    other = Hall()
    login(client, other.staff)
    card = Card.objects.filter(case=case).first()
    assert client.get(f"/supervision/cards/{card.pk}/").status_code == 404


def test_eval_4__ranking_counts_cards_missing_leader_month_and_exports(client):
    hall, _ = world()
    LeaderOfficeDay.objects.create(
        centre=hall.centre,
        unit=hall.unit,
        leader_name="孙局长",
        on=date(2025, 11, 3),
        recorded_by=hall.office,
    )
    login(client, hall.office)
    body = client.get("/supervision/ranking/?period=2025-Q4").content.decode()
    assert "<svg" in body
    assert "未到：2025-10、2025-12" in body
    xlsx = client.get("/supervision/ranking.xlsx?period=2025-10")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    unit_row = next(r for r in rows if r[1] == hall.unit.name)
    assert unit_row[3:5] == (1, 1)  # one yellow, one red
    # 100 − 1 (yellow) − 3 (red) − 5 (October without a leader's office day)
    assert unit_row[2] == 91.0
    notice = client.get(f"/supervision/ranking/{hall.unit.pk}/notice.pdf?period=2025-10")
    assert notice["Content-Type"] == "application/pdf"
    text = text_of(notice.content)
    assert "整改通知书" in text


def test_sup_2__fee_on_acceptance_notice_and_ledger_export_neutralises_formulas(client):
    hall = Hall(promised_days=2)
    hall.office.role = Staff.Role.SUPERVISOR
    hall.office.save()
    FeeScheduleLine.objects.create(
        item=hall.item, position=1, name="工本费", legal_basis="收费依据文件", amount="10.00"
    )
    case = cases.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", window=hall.window, at=local(2025, 9, 22, 9)
    )
    cases.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 9))
    assert "工本费" in text_of(pdf.acceptance_notice(case))
    services.charge_fee(
        case_id=case.pk,
        actor=hall.staff,
        name="工本费",
        amount="10",
        receipt_no="=1+1",
        at=local(2025, 9, 22, 9, 30),
    )
    login(client, hall.office)
    body = client.get("/supervision/fees/?day=2025-09-22").content.decode()
    assert "10.00" in body
    sheet = load_workbook(io.BytesIO(client.get("/supervision/fees.xlsx?day=2025-09-22").content)).active
    receipts = [r[6] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert receipts == ["'=1+1"]


def test_eval_4__period_parsing():
    assert parse_period("2025-Q4").first == date(2025, 10, 1)
    assert parse_period("2025-Q4").last == date(2025, 12, 31)
    assert parse_period("2025-02").last == date(2025, 2, 28)
    with pytest.raises(Exception, match="YYYY-MM"):
        parse_period("2025-13")


def test_sup_1__api_lists_own_cards_and_reply_through_the_service(client):
    hall, case = world()
    login(client, hall.staff)
    cards = client.get("/api/supervision/cards").json()
    assert {c["colour"] for c in cards} == {"yellow", "red"}
    assert all(c["case_number"] == case.number and c["rule_id"] == "SUP-1" for c in cards)
    red = next(c for c in cards if c["colour"] == "red")
    short = client.post(
        f"/api/supervision/cards/{red['id']}/reply", {"text": "短"}, content_type="application/json"
    )
    assert short.status_code == 400
    ok = client.post(
        f"/api/supervision/cards/{red['id']}/reply",
        {"text": "节假日后材料流转延误，已整改完毕。"},
        content_type="application/json",
    )
    assert ok.json()["status"] == "replied"
    other = Hall()
    login(client, other.staff)
    assert client.get(f"/api/supervision/cards/{red['id']}").status_code == 404
