"""Kiosk at 1080×1920 portrait (Q-1, Q-2, ASK-1): search and chips filter, one screen, ticket prints and resets."""

from __future__ import annotations

import re

import pytest

from servicehall.core.tests.browser import (
    KIOSK,
    chromium,
    new_page,
    screenshot,
    serious_violations,
    wait_until,
)
from servicehall.site.tests.browser_support import DEMO_CENTRE, build_demo_centre

RULE_CODE = re.compile(r"\b(ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)-\d")
VISIBLE_ITEMS = ".item-btn:visible"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_1__kiosk_filters_fits_one_portrait_screen_prints_and_resets(live_server, monkeypatch):
    """Q-1 取号机: `yyzz`, 营业执照 and the 税务 chip narrow the 62 items; waiting counts and 预约签到 stay on the
    1080×1920 screen; the ticket prints at once and returns to the start screen after kiosk_reset_seconds."""
    from servicehall.policy.loader import load_policy
    from servicehall.queue.config import using_policy

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    build_demo_centre(activity=False)
    policy = load_policy("yuanzhou-p2").queue.model_copy(update={"kiosk_reset_seconds": 5})
    with using_policy(policy), chromium() as browser:
        page = new_page(browser, KIOSK)
        page.add_init_script("window.__printed = 0; window.print = function () { window.__printed += 1; };")
        page.goto(f"{live_server.url}/kiosk/{DEMO_CENTRE}/")
        total = page.locator(".item-btn").count()
        assert total >= 60
        assert page.locator(VISIBLE_ITEMS).count() == total

        # One screen: nothing below the fold, the waiting counts and 预约签到 visible.
        assert page.evaluate("document.documentElement.scrollHeight") <= KIOSK["height"]
        for heading in ("当前等候", "预约签到"):
            box = page.get_by_role("heading", name=heading).bounding_box()
            assert box is not None, heading
            assert box["y"] + box["height"] <= KIOSK["height"], heading
        assert page.locator(".kiosk-lines li").count() >= 1
        body = page.inner_text("body")
        assert not RULE_CODE.search(body), "citizens never see rule IDs"
        assert "ESC/POS" not in body
        assert "API" not in body
        assert serious_violations(page) == []
        screenshot(page, "kiosk")

        page.fill("#kiosk-search", "yyzz")
        names = page.locator(f"{VISIBLE_ITEMS} .item-name").all_inner_texts()
        assert "企业设立登记" in names
        assert "个体工商户注册登记" in names
        assert 0 < len(names) < total / 4
        page.fill("#kiosk-search", "营业执照")
        assert "企业设立登记" in page.locator(f"{VISIBLE_ITEMS} .item-name").all_inner_texts()
        page.fill("#kiosk-search", "zzzzqqq")
        assert page.locator(VISIBLE_ITEMS).count() == 0
        assert page.locator("#no-match").is_visible()
        page.fill("#kiosk-search", "")

        page.get_by_role("button", name="税务", exact=True).click()
        units = set(page.locator(VISIBLE_ITEMS).evaluate_all("els => els.map(e => e.dataset.unit)"))
        assert units == {"税务"}
        assert page.locator(VISIBLE_ITEMS).count() < total / 4
        page.get_by_role("button", name="全部单位").click()
        assert page.locator(VISIBLE_ITEMS).count() == total

        # 长者模式: larger type, still no serious accessibility findings.
        before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.item-name')).fontSize)")
        page.get_by_role("button", name="长者模式").click()
        after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.item-name')).fontSize)")
        assert after > before * 1.15
        assert serious_violations(page) == []
        page.get_by_role("button", name="标准模式").click()

        page.locator(".item-btn", has_text="企业设立登记").click()
        page.wait_for_url("**/queue/tickets/*/")
        assert re.fullmatch(r"A\d{3}", page.locator(".ticket-number").inner_text().strip())
        wait_until(page, "window.__printed >= 1")
        ticket_text = page.inner_text("body")
        assert "ESC/POS" not in ticket_text
        assert "escpos" not in page.content()
        assert not RULE_CODE.search(ticket_text)
        assert page.locator("#reset-seconds").inner_text().strip() in {"5", "4", "3"}
        page.wait_for_url(f"**/kiosk/{DEMO_CENTRE}/", timeout=9000)
        assert page.locator(".ticket-number").count() == 0
