"""Real browser (EVAL-1): rate a finished ticket on the window's pad, see it on the supervisor's dashboard
and, aggregated, on the public satisfaction page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from servicehall.core.tests.browser import PHONE, TABLET, chromium, new_page, sign_in
from servicehall.evaluation.tests.conftest import make_voice


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_eval_1__pad_rating_reaches_dashboard_and_public_page(live_server, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # factories run beside Playwright's event loop
    v = make_voice(code="e2e-voice")
    with chromium() as browser:
        pad = new_page(browser, TABLET)
        pad.goto(f"{live_server.url}/pad/e2e-voice/{v.window_a.number}/")
        expect(pad.locator(".pad-idle")).to_be_visible()
        ticket = v.finished_ticket(at=timezone.now())  # the clerk presses 办结 at the window
        # the idle pad polls and offers the finished ticket without a reload
        expect(pad.get_by_role("button", name="不满意", exact=True)).to_be_visible(timeout=10000)
        expect(pad.locator(".pad-service")).to_contain_text(v.clerk_a.name)
        box = pad.get_by_role("button", name="不满意", exact=True).bounding_box()
        assert box["height"] >= 100  # big buttons on the 1280x800 tablet
        pad.get_by_text("等候太久").click()
        pad.get_by_role("button", name="不满意", exact=True).click()
        expect(pad.locator(".thanks")).to_contain_text("感谢您的评价")
        expect(pad.locator(".thanks")).to_contain_text("不满意")

        office = new_page(browser)
        sign_in(office, live_server.url, v.supervisor.user.username, "pw-servicehall")
        figure = office.locator("a.figure", has_text="待整改差评").first
        expect(figure.locator("b")).to_have_text("1")
        expect(office.locator("a.figure", has_text="今日评价").locator("b")).to_have_text("1")
        figure.click()
        expect(office.locator("#task-table")).to_contain_text("不满意")
        expect(office.locator("#task-table")).to_contain_text(f"{v.window_a.number}号")

        phone = new_page(browser, PHONE, is_mobile=True)
        phone.goto(f"{live_server.url}/satisfaction/e2e-voice/")
        row = phone.locator("#unit-figures tr", has_text="市场监管")
        expect(row).to_contain_text("0.00%")
        expect(phone.locator("#total-counted")).to_have_text("1")
        assert phone.locator(".chart svg").count() == 1
        assert ticket.number not in phone.content()
