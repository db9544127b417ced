"""Attendance pages and API: each role sees its scope; Excel summary; import form."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from servicehall.attendance.models import Punch
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    centre = CentreFactory()
    a, b = UnitFactory(centre=centre, name="税务"), UnitFactory(centre=centre, name="公安")
    w = {
        "a": a,
        "b": b,
        "alice": StaffFactory(centre=centre, unit=a, with_user=True, staff_no="A1", name="王芳"),
        "bob": StaffFactory(centre=centre, unit=b, with_user=True, staff_no="B1", name="李强"),
        "chief_a": StaffFactory(
            centre=centre, unit=a, role=Staff.Role.CHIEF_REP, with_user=True, staff_no="A0"
        ),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }
    Punch.objects.create(
        centre=centre,
        staff=w["alice"],
        at=timezone.make_aware(datetime.combine(date(2026, 3, 12), time(8, 41))),
    )
    return w


def get_march(client, person: Staff, view: str, *args: int):
    """Log in as `person` and GET the attendance view `view` (with `args`) for March 2026."""
    client.force_login(person.user)
    return client.get(reverse(f"attendance:{view}", args=args), {"month": "2026-03"})


def test_att_3__staff_page__shows_own_events(client, world):
    page = get_march(client, world["alice"], "my_month")
    assert page.status_code == 200
    text = page.content.decode()
    assert "迟到 11 分" in text
    assert "min late" not in text  # staff read Chinese; the rule ID is a badge
    assert 'href="/rules/ATT-3/"' in text


def test_scope__staff_page_of_a_colleague__404(client, world):
    page = get_march(client, world["alice"], "staff_detail", world["bob"].pk)
    assert page.status_code == 404


def test_scope__chief_rep_unit_page__own_unit_only(client, world):
    page = get_march(client, world["chief_a"], "unit_month")
    assert page.status_code == 200
    assert "王芳" in page.content.decode()
    assert "李强" not in page.content.decode()
    other = client.get(reverse("attendance:unit_month_of", args=[world["b"].pk]), {"month": "2026-03"})
    assert other.status_code == 404


def test_att_10__monthly_excel__a_sheet_per_unit(client, world):
    resp = get_march(client, world["office"], "month_xlsx")
    assert resp.status_code == 200
    wb = load_workbook(BytesIO(resp.content))
    assert wb.sheetnames == ["中心汇总", "税务", "公安", "明细"]
    rows = list(wb["税务"].iter_rows(min_row=3, values_only=True))
    alice = next(r for r in rows if r[0] == "A1")
    assert alice[1] == "王芳"
    assert (alice[3], alice[5]) == (1, 1)  # one late (08:41) and its missing out-punch
    evidence = [r for r in wb["明细"].iter_rows(min_row=2, values_only=True) if r[0] == "A1"]
    assert ("ATT-3", "in-punch 08:41, 11 min late") in {(r[4], r[5]) for r in evidence}


def test_att_10__weekly_notice_page__office(client, world):
    client.force_login(world["office"].user)
    page = client.get(reverse("attendance:weekly"), {"week": "2026-03-09"})
    assert page.status_code == 200
    assert "2026-03-09 至 2026-03-15" in page.content.decode()


def test_centre_page__window_staff_redirected_to_own_month(client, world):
    client.force_login(world["alice"].user)
    assert client.get(reverse("attendance:centre_month")).url == reverse("attendance:my_month")


def test_att_2__office_upload__imports_and_reports_bad_rows(client, world):
    client.force_login(world["office"].user)
    good = BytesIO(b"staff_id,time\nB1,2026-03-02T08:20:00\n")
    good.name = "good.csv"
    client.post(reverse("attendance:upload"), {"file": good})
    assert Punch.objects.filter(staff=world["bob"]).count() == 1
    bad = BytesIO(b"staff_id,time\nB1,2026-03-02T08:20:00\nZZ,2026-03-02T08:20:00\n")
    bad.name = "bad.csv"
    resp = client.post(reverse("attendance:upload"), {"file": bad}, follow=True)
    assert "row 3, column staff_id" in resp.content.decode()


def test_api__month__cli_shape_with_staff_numbers(client, world):
    client.force_login(world["chief_a"].user)
    body = client.get("/api/attendance/month", {"month": "2026-03"}).json()
    assert body["month"] == "2026-03"
    assert {s["staff_id"] for s in body["staff"]} == {"A0", "A1"}
    assert set(body["staff"][0]) >= {
        "lates",
        "early_leaves",
        "missed_punches",
        "absence_days",
        "leave_days",
        "events",
    }


def test_api__other_unit__403_with_message(client, world):
    client.force_login(world["chief_a"].user)
    resp = client.get("/api/attendance/month", {"month": "2026-03", "unit_id": world["b"].pk})
    assert resp.status_code == 403
    assert resp.json()["code"] == "forbidden"


def test_centre_page__office__every_unit(client, world):
    page = get_march(client, world["office"], "centre_month")
    assert page.status_code == 200
    text = page.content.decode()
    assert "税务" in text
    assert "公安" in text


def test_att_6__office_adds_punch_from_staff_page__recorded(client, world):
    client.force_login(world["office"].user)
    url = reverse("attendance:staff_detail", args=[world["alice"].pk])
    assert "补录" in client.get(url, {"month": "2026-03"}).content.decode()
    client.post(
        reverse("attendance:add_punch", args=[world["alice"].pk]),
        {"at": "2026-03-12T12:01", "reason": "考勤机故障", "month": "2026-03"},
    )
    assert Punch.objects.filter(staff=world["alice"], source=Punch.Source.CORRECTION).count() == 1


def test_att_6__window_staff__cannot_add_punches(client, world):
    """ATT-6: only the centre office adds corrections; staff may see their own record, so the refusal is a
    403 (404 is for records outside one's scope, whose existence is not revealed)."""
    client.force_login(world["alice"].user)
    resp = client.post(
        reverse("attendance:add_punch", args=[world["alice"].pk]),
        {"at": "2026-03-12T12:01", "reason": "我忘了", "month": "2026-03"},
    )
    assert resp.status_code == 403
    assert Punch.objects.filter(source=Punch.Source.CORRECTION).count() == 0


def test_att_3__staff_page__chinese_only_rule_as_badge(client, world):
    """考勤明细: staff read the Chinese evidence; the rule ID is a badge, the English line is gone."""
    text = get_march(client, world["alice"], "my_month").content.decode()
    assert "上班打卡 08:41，迟到 11 分钟" in text
    assert "无打卡且无已批准请假：旷工半天" in text
    assert "(ATT-3)" not in text
    assert 'lang="en"' not in text
    assert "in-punch 08:41" not in text


def test_att_10__monthly_excel__evidence_in_chinese(client, world):
    wb = load_workbook(BytesIO(get_march(client, world["office"], "month_xlsx").content))
    sheet = wb["明细"]
    assert [c.value for c in sheet[1]] == [
        "工号",
        "姓名",
        "日期",
        "时段",
        "规则",
        "Detail (English)",
        "说明",
        "旷工(天)",
    ]
    evidence = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "A1"]
    assert ("ATT-3", "上班打卡 08:41，迟到 11 分钟 (ATT-3)") in {(r[4], r[6]) for r in evidence}


def test_api__month__events_carry_detail_and_detail_zh(client, world):
    client.force_login(world["alice"].user)
    body = client.get("/api/attendance/month", {"month": "2026-03"}).json()
    events = body["staff"][0]["events"]
    late = next(e for e in events if e["rule"] == "ATT-3")
    assert late["detail"] == "in-punch 08:41, 11 min late"
    assert late["detail_zh"] == "上班打卡 08:41，迟到 11 分钟 (ATT-3)"
