"""The centre office's calendar page (工作日历, CASE-5): paste, preview as a calendar, confirm."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.cases.tests.factories import Hall
from servicehall.cases.tests.test_views import login
from servicehall.ops.tests.test_rollover import TEST_NOTICE_2027, _accepted_case
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreStaffFactory
from servicehall.workdays import selectors
from servicehall.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _december_2026(monkeypatch):
    now = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    selectors.forget_calendar()
    yield
    selectors.forget_calendar()


def _office(client):
    office = CentreStaffFactory(with_user=True)
    client.force_login(office.user)
    return office


def test_case_5__dashboard__centre_office_warned_next_year_not_loaded(client):
    _office(client)
    page = client.get(reverse("dashboard")).content.decode()
    assert "2027 年工作日历尚未加载" in page


def test_case_5__dashboard__window_staff_not_warned(client):
    hall = Hall()
    login(client, hall.staff)
    assert "工作日历尚未加载" not in client.get(reverse("dashboard")).content.decode()


def test_case_5__calendar_page__preview_then_confirm_loads_and_recounts(client):
    case = _accepted_case(5)
    _office(client)
    preview = client.post(reverse("ops:calendar"), {"text": TEST_NOTICE_2027, "action": "preview"})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "2027 年预览" in body
    assert 'class="holiday changed"' in body
    assert 'class="makeup changed"' in body
    assert not CalendarDay.objects.filter(date__year=2027).exists()  # a preview writes nothing
    done = client.post(reverse("ops:calendar"), {"text": TEST_NOTICE_2027, "action": "confirm"})
    assert done.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    case.refresh_from_db()
    assert not case.due_provisional


def test_case_5__calendar_page__bad_notice__400_names_the_sentence(client):
    _office(client)
    bad = TEST_NOTICE_2027.replace("1月9日（周六）", "1月9日（周日）")
    response = client.post(reverse("ops:calendar"), {"text": bad, "action": "confirm"})
    assert response.status_code == 400
    assert "1月9日" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_case_5__calendar_page__window_staff_forbidden(client):
    hall = Hall()
    login(client, hall.staff)
    assert client.get(reverse("ops:calendar")).status_code == 403
    auditor = CentreStaffFactory(role=Staff.Role.AUDITOR, with_user=True)
    client.force_login(auditor.user)
    assert (
        client.post(reverse("ops:calendar"), {"text": TEST_NOTICE_2027, "action": "confirm"}).status_code
        == 403
    )
