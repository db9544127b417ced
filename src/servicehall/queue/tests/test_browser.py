"""Real browser (Q-1): take a ticket at the kiosk, call it from the window page, see it on the open display."""

from __future__ import annotations

import time

import pytest

from servicehall.core.tests.browser import chromium, new_page, wait_until
from servicehall.queue.tests.factories import hall as make_hall


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_1__kiosk_ticket_called_at_window_appears_on_display_within_2s(live_server, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # factories run beside Playwright's event loop
    h = make_hall(lines=1, windows=2, code="e2e")
    with chromium() as browser:
        display = new_page(browser)
        display.goto(f"{live_server.url}/display/e2e/")
        expect(display.locator("#lines li")).to_have_count(1)
        wait_until(display, "document.getElementById('link-state') && window.queueAnnouncements")

        kiosk = new_page(browser)
        kiosk.goto(f"{live_server.url}/kiosk/e2e/")
        kiosk.get_by_role("button", name="事项1").click()
        number = kiosk.locator(".ticket-number").inner_text().strip()
        assert number == "A001"
        expect(display.locator("#lines li").first).to_contain_text("1 人", timeout=5000)

        staff = new_page(browser)
        staff.goto(f"{live_server.url}/accounts/login/?next=/queue/windows/{h.windows[1].pk}/")
        staff.fill("input[name=username]", h.staff[1].user.username)
        staff.fill("input[name=password]", "pw-servicehall")
        staff.click("button[type=submit]")
        staff.wait_for_url(f"**/queue/windows/{h.windows[1].pk}/")
        staff.click("#btn-call-next")
        clicked = time.monotonic()
        expect(staff.locator("#current-number")).to_have_text(number)

        row = display.locator(f'#calls tr[data-number="{number}"]')
        expect(row).to_be_visible(timeout=2000)
        expect(display.locator("#latest-text")).to_have_text("请 A001 号到 2 号窗口办理", timeout=2000)
        assert time.monotonic() - clicked < 2.5
        wait_until(display, "window.queueAnnouncements.length >= 1", timeout=10000)
        assert display.evaluate("window.queueAnnouncements[0]") == "请 A001 号到 2 号窗口办理"
