"""Real-browser check (EVAL-4): compute a round, open a result sheet, follow an input to its source record."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from servicehall.assessment.services import open_round
from servicehall.inspections.services import record_finding
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_eval_4__browser__round_computed__sheet_input_links_to_its_source_record(live_server, page):
    centre = CentreFactory(name="原州区政务服务中心")
    unit = UnitFactory(centre=centre, name="税务局")
    alice = StaffFactory(centre=centre, unit=unit, staff_no="A1", name="王芳")
    office = StaffFactory(
        centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
    )
    inspector = StaffFactory(
        centre=centre, unit=None, role=Staff.Role.SUPERVISOR, with_user=True, staff_no="J1"
    )
    finding = record_finding(
        actor=inspector.user,
        staff=alice,
        found_at=timezone.make_aware(datetime.combine(date(2026, 3, 12), time(9, 0))),
        inspection_kind="patrol",
        finder_level="street",
        prohibition_code="eating",
    )
    rnd = open_round(actor=office.user, centre=centre, period="year", starts_on=date(2026, 1, 1))
    office.user.set_password("Office-pass-2026")
    office.user.save()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", office.user.username)
    page.fill("input[name=password]", "Office-pass-2026")
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/assessment/{rnd.pk}/")
    page.click("#compute")
    page.locator("#results").get_by_text("王芳").click()
    row = page.locator("#sheet tr[data-input=findings]")
    row.wait_for()
    assert "巡查发现问题" in row.inner_text()
    assert page.locator("#sheet tbody tr").count() == 11  # every input of the policy, each with its weight
    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/inspections/{finding.pk}/")
    assert "在大厅吃东西" in page.locator("h1").inner_text()
