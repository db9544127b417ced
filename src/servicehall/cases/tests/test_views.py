"""Staff pages and the JSON API of the case domain."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicehall.cases import services
from servicehall.cases.enums import CaseStatus
from servicehall.cases.models import Case, OneTimeNotice
from servicehall.cases.tests.factories import Hall, local
from servicehall.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, staff):
    staff.user = UserFactory()
    staff.save(update_fields=["user"])
    client.force_login(staff.user)


def test_case_2__register_page__problem_in_checklist_issues_one_time_notice(client):
    hall = Hall()
    login(client, hall.staff)
    m1, m2, m3 = hall.materials
    response = client.post(
        reverse("cases:register"),
        {
            "item_id": hall.item.pk, "applicant_name": "张三", "applicant_phone": "13812345678",
            f"m{m1.pk}_state": "ok", f"m{m2.pk}_state": "missing", f"m{m3.pk}_state": "ok",
        },
    )  # fmt: skip
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.status == CaseStatus.CORRECTION
    assert case.responsible == hall.staff
    assert OneTimeNotice.objects.filter(case=case).count() == 1
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "一次性告知书" in page
    assert "经营场所平面图" in page
    pdf = client.get(reverse("cases:notice", args=[case.pk, "correction"]))
    assert pdf["Content-Type"] == "application/pdf"


def test_case_1__register_page__complete_checklist_accepts_and_starts(client):
    hall = Hall(materials=1)
    login(client, hall.staff)
    client.post(reverse("cases:register"), {"item_id": hall.item.pk, "applicant_name": "张三"})
    case = Case.objects.get()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.due_on is not None


def test_case_1__item_search_and_checklist_fragments(client):
    hall = Hall()
    login(client, hall.staff)
    found = client.get(reverse("cases:item_search"), {"q": "食品"}).content.decode()
    assert "食品经营许可" in found
    checklist = client.get(reverse("cases:checklist", args=[hall.item.pk])).content.decode()
    assert "营业执照复印件" in checklist


def test_case_6__my_cases__overdue_red_urgent_first(client):
    hall = Hall(materials=0, promised_days=1)
    old = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="甲", at=local(2025, 9, 1, 9)
    )
    services.accept_case(case_id=old.pk, actor=hall.staff, at=local(2025, 9, 1, 9))
    urgent = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="乙", urgent_reason="外地群众当日返程"
    )
    login(client, hall.staff)
    html = client.get(reverse("cases:my_cases")).content.decode()
    assert html.index(urgent.number) < html.index(old.number)  # CASE-11 urgent first
    assert 'class="overdue' in html
    assert "已超期" in html


def test_case_9__detail_shows_timeline_and_rule_violation_as_message(client):
    hall = Hall(materials=0)
    case = services.register_case(actor=hall.staff, item=hall.item, applicant_name="张三")
    login(client, hall.staff)
    response = client.post(
        reverse("cases:act", args=[case.pk]), {"action": "deliver", "method": "window"}, follow=True
    )
    html = response.content.decode()
    assert "CASE-8" in html
    assert "申报登记" in html


def test_case_1__other_unit_staff_cannot_open_case(client):
    hall, other = Hall(materials=0), Hall(materials=0)
    case = services.register_case(actor=hall.staff, item=hall.item, applicant_name="张三")
    login(client, other.staff)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_case_9__api_transition__illegal_returns_rule_id(client):
    hall = Hall(materials=0)
    login(client, hall.staff)
    created = client.post(
        "/api/cases/", {"item_id": hall.item.pk, "applicant_name": "张三"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    bad = client.post(
        f"/api/cases/{case_id}/transition",
        {"action": "deliver", "method": "window"},
        content_type="application/json",
    )
    assert bad.status_code == 409
    assert bad.json()["rule_id"] == "CASE-8"
    ok = client.post(
        f"/api/cases/{case_id}/transition", {"action": "accept"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "accepted"
    detail = client.get(f"/api/cases/{case_id}").json()
    assert [e["action"] for e in detail["events"]] == ["register", "accept"]
    pdf = client.get(f"/api/cases/{case_id}/notices/acceptance.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_case_1__api_requires_login(client):
    assert client.get("/api/cases/mine").status_code == 401


def test_case_9__detail_page_renders_in_every_stage(client):
    hall = Hall(materials=0)
    login(client, hall.office)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", applicant_phone="13812345678"
    )
    url = reverse("cases:detail", args=[case.pk])
    assert "受理（出具受理通知书）" in client.get(url).content.decode()
    services.accept_case(case_id=case.pk, actor=hall.staff)
    services.start_processing(case_id=case.pk, actor=hall.staff)
    html = client.get(url).content.decode()
    assert "完成本单位环节" in html
    assert "受理通知书" in html
    response = client.post(
        reverse("cases:act", args=[case.pk]),
        {"action": "complete_step", "step_id": case.steps.get().pk, "reason": "同意"},
        follow=True,
    )
    assert "本单位办理环节已完成。当前状态：" in response.content.decode()  # says what happened
    client.post(reverse("cases:act", args=[case.pk]), {"action": "conclude", "outcome": "approved"})
    html = client.get(url).content.decode()
    assert "办结通知书" in html
    assert "送达" in html
    assert 'href="/rules/CASE-8/"' in html  # staff see the rule as a badge linking to its text
    client.post(reverse("cases:act", args=[case.pk]), {"action": "deliver", "method": "window"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED
    assert client.get(url).status_code == 200


def test_case_10__pages_render_for_their_audience(client):
    assert client.get(reverse("cases:progress")).status_code == 200  # public
    assert client.get(reverse("cases:my_cases")).status_code == 302  # staff only: to the login page
    hall = Hall(materials=0)
    login(client, hall.staff)
    html = client.get(reverse("cases:register")).content.decode()
    assert reverse("cases:item_search") in html


def test_case_list__centre_roles_watch_every_open_case_and_auditor_only_reads(client):
    from servicehall.org.models import Staff
    from servicehall.org.tests.factories import CentreStaffFactory

    hall = Hall(materials=1)
    login(client, hall.staff)
    client.post(reverse("cases:register"), {"item_id": hall.item.pk, "applicant_name": "张三"})
    case = Case.objects.get()
    client.logout()

    auditor = CentreStaffFactory(centre=hall.centre, name="孙审计", role=Staff.Role.AUDITOR)
    login(client, auditor)
    page = client.get(reverse("cases:my_cases")).content.decode()
    assert case.number in page  # the whole centre, read-only
    assert client.post(reverse("cases:register"), {"item_id": hall.item.pk}).status_code == 403

    client.logout()
    login(client, hall.office)
    assert case.number in client.get(reverse("cases:my_cases")).content.decode()
