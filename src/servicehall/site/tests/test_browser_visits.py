"""帮办代办 and 上门服务 in the browser (Q-2, CASE-9): a citizen asks for a home visit on a phone (390×844, axe,
no horizontal scroll); the chief representative approves it and the assigned staff member records the visit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from servicehall.core.tests.browser import (
    PHONE,
    TABLET,
    chromium,
    horizontal_overflow,
    new_page,
    serious_violations,
    sign_in,
)
from servicehall.site.tests.browser_support import DEMO_CENTRE, DEMO_PASSWORD, build_demo_centre


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_2__home_visit_requested_on_a_phone_approved_and_recorded(live_server, monkeypatch):
    """Q-2 上门服务: the phone form is plain Chinese and accessible; the centre office approves with a staff
    member and a day, and the record closes it; CASE-9 帮办代办 is offered on the booking page."""
    from django.utils import timezone

    from servicehall.queue.models import HomeVisit

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    build_demo_centre(activity=False)
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    with chromium() as browser:
        page = new_page(browser, PHONE)
        page.goto(f"{live_server.url}/appointments/{DEMO_CENTRE}/")
        page.get_by_role("link", name="申请上门服务").click()
        page.wait_for_url(f"**/appointments/{DEMO_CENTRE}/home-visit/")
        assert horizontal_overflow(page) == 0
        assert serious_violations(page) == []
        page.get_by_label("办理事项").select_option(index=1)
        page.get_by_label("申请理由类别").select_option("sick")
        page.get_by_label("具体情况").fill("住院治疗，行动不便，无法到大厅")
        page.get_by_label("申请人姓名").fill("马桂兰")
        page.get_by_label("联系电话").fill("13812345678")
        page.get_by_label("上门地址").fill("原州区中山街12号")
        page.get_by_label("希望上门日期").fill(day)
        page.get_by_role("button", name="提交申请").click()
        code = page.locator("#visit-code").inner_text().strip()
        assert len(code) == 6
        assert horizontal_overflow(page) == 0

        staff = new_page(browser, TABLET)
        sign_in(staff, live_server.url, "office", DEMO_PASSWORD)
        staff.goto(f"{live_server.url}/queue/visits/")
        staff.get_by_role("link", name=code).click()
        assert "待审批" in staff.locator("#visit-status").inner_text()
        assert serious_violations(staff) == []
        staff.get_by_role("button", name="批准并安排上门").click()
        staff.wait_for_url("**/queue/visits/*/")
        assert "已批准" in staff.locator("#visit-status").inner_text()
        staff.get_by_label("办理情况").fill("上门核验身份，代为填写申请表")
        staff.get_by_label("收取材料").fill("身份证复印件")
        staff.get_by_label("申请人签名（姓名）").fill("马桂兰")
        staff.get_by_label("办理结果").select_option("accepted")
        staff.get_by_role("button", name="保存记录").click()
        assert "已上门" in staff.locator("#visit-status").inner_text()
    visit = HomeVisit.objects.get(appointment__code=code)
    assert visit.status == HomeVisit.Status.DONE
    assert visit.signature_name == "马桂兰"
