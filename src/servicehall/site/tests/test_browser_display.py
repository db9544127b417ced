"""Hall display at 1920×1080 (Q-1, Q-4) and booking on a phone (Q-2), in a real browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from servicehall.core.tests.browser import (
    DISPLAY,
    PHONE,
    chromium,
    new_page,
    screenshot,
    serious_violations,
    wait_until,
)
from servicehall.queue import services
from servicehall.queue.tests.factories import hall as make_hall

RULE_CODE = re.compile(r"\b(ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)-\d")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_1__display_fits_1920x1080_with_calls_counts_and_notice(live_server, monkeypatch):
    """Q-1 叫号屏: eight recent calls, every line's count and the scrolling notice (Q-4) fit one 1920×1080
    screen with nothing cut or scrolled away; an empty line says 无人等候, not "0 人，约 0 分钟"."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    h = make_hall(lines=3, windows=2, code="disp")
    for _ in range(11):
        services.issue_ticket(line_id=h.lines[0].pk)
    for i in range(10):
        services.call_next(window_id=h.windows[i % 2].pk, actor=h.staff[i % 2].user)
    with chromium() as browser:
        page = new_page(browser, DISPLAY)
        page.goto(f"{live_server.url}/display/disp/")
        wait_until(page, "document.querySelectorAll('#calls tr').length === 8")
        wait_until(page, "document.querySelectorAll('#lines li').length === 3")
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert size == [DISPLAY["width"], DISPLAY["height"]]

        calls = page.locator("section.calls").bounding_box()
        for row in page.locator("#calls tr").all():
            box = row.bounding_box()
            assert box["y"] + box["height"] <= calls["y"] + calls["height"] + 1, "a recent call is cut"
        notice = page.locator("#notice")
        assert notice.inner_text().strip()
        foot = page.locator("footer.display-foot").bounding_box()
        assert foot["y"] + foot["height"] <= DISPLAY["height"]
        assert foot["height"] >= 40
        waiting = page.locator("section.waiting").bounding_box()
        assert calls["width"] > 0.4 * DISPLAY["width"]
        assert waiting["width"] > 0.4 * DISPLAY["width"]
        assert waiting["x"] - (calls["x"] + calls["width"]) < 80, "no wide empty gap between the columns"

        lines = page.locator("#lines li").all_inner_texts()
        assert any("1 人等候" in text for text in lines)
        empty = [text for text in lines if text.startswith(("B", "C"))]
        assert len(empty) == 2
        assert all("无人等候" in text for text in empty)
        assert not any("0 人" in text or "0 分钟" in text for text in empty)
        assert serious_violations(page) == []
        screenshot(page, "display")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_2__booking_late_in_the_day_offers_no_past_slot_and_keeps_what_was_typed(live_server, monkeypatch):
    """Q-2 预约: at 23:30 today is not offered and shows no slot; a refused choice keeps the name and phone
    and explains in plain Chinese (no rule ID)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_hall(lines=1, windows=1, code="book")
    today = timezone.localdate()
    late = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 30)))
    monkeypatch.setattr(timezone, "now", lambda: late)
    with chromium() as browser:
        page = new_page(browser, PHONE)
        page.goto(f"{live_server.url}/appointments/book/")
        days = page.locator("select[name=day] option").evaluate_all("os => os.map(o => o.value)")
        assert today.isoformat() not in days
        assert page.locator("input[name=slot_start]").count() > 0

        page.goto(f"{live_server.url}/appointments/book/?day={today.isoformat()}")
        assert page.locator("input[name=slot_start]").count() == 0, "no past slot is offered"

        page.goto(f"{live_server.url}/appointments/book/")
        page.locator("input[name=slot_start]:not([disabled])").first.check()
        page.fill("input[name=name]", "李四")
        page.fill("input[name=phone]", "13800001234")
        # The visitor's page went stale (e.g. left open past midnight): the server refuses the choice.
        page.evaluate(
            f"document.querySelector('form[method=post] input[name=day]').value = '{today.isoformat()}'"
        )
        page.get_by_role("button", name="预约", exact=True).click()
        page.wait_for_load_state()
        message = page.locator(".messages li").inner_text()
        assert "已过" in message
        assert not RULE_CODE.search(message)
        assert page.locator("input[name=name]").input_value() == "李四"
        assert page.locator("input[name=phone]").input_value() == "13800001234"
