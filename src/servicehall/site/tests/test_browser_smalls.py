"""The smaller findings on staff pages at tablet size (1280×800), each in a real browser: window pick-lists
in natural order with the floor named once (ORG-6), nav dropdowns that close each other, 同意 and 不同意
styled apart (LEAVE-1), the leave slip showing only its kind's fields with the cover picked from colleagues
(LEAVE-5), attendance opening on the last complete month (ATT-10), a discreet pause control per window row
(ORG-6), transcripts as plain text and Excel (LANG-1, LANG-4), 不归我们管 caught live (LANG-4), a favicon."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from servicehall.core.tests.browser import TABLET, chromium, new_page, sign_in, wait_until
from servicehall.site.tests.browser_support import DEMO_PASSWORD, build_demo_centre

BRAND_RED = "rgb(179, 38, 30)"


def _numbers(texts: list[str]) -> list[int]:
    return [int(m.group(1)) for t in texts if (m := re.match(r"\s*(\d+)号", t))]


def _background(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_org_6__smaller_findings_on_staff_pages_at_tablet_size(live_server):
    from openpyxl import Workbook

    from servicehall.org.models import Window

    build_demo_centre(activity=True)
    base = live_server.url
    problems: list[str] = []
    with chromium() as browser:
        office = new_page(browser, TABLET)
        sign_in(office, base, "office", DEMO_PASSWORD)

        # favicon
        href = office.locator("link[rel=icon]").get_attribute("href")
        icon = office.request.get(base + href)
        assert icon.status == 200
        assert "svg" in icon.headers["content-type"]

        # nav dropdowns close each other
        menus = office.locator("header details.dropdown")
        assert menus.count() >= 2
        menus.nth(0).locator("summary").click()
        menus.nth(1).locator("summary").click()
        assert office.evaluate("[...document.querySelectorAll('header details.dropdown[open]')].length") == 1
        office.keyboard.press("Escape")
        assert office.evaluate("document.querySelectorAll('header details.dropdown[open]').length") == 0

        # window pick-lists: 2号 before 10号, 1楼 said once
        window = Window.objects.filter(centre__code="demo-county", number="1").get()
        office.goto(f"{base}/queue/windows/{window.pk}/")
        options = office.locator("select[name=to_window_id] option").all_inner_texts()[1:]
        numbers = _numbers(options)
        assert len(numbers) >= 20
        if numbers != sorted(numbers):
            problems.append(f"transfer pick-list order {numbers}")
        doubled = [o for o in options if re.search(r"(\d+楼)\s*\1", o)]
        if doubled:
            problems.append(f"floor twice: {doubled[:2]}")
        redirect = _numbers(office.locator("select[name=redirect_window_id] option").all_inner_texts()[1:])
        if redirect != sorted(redirect):
            problems.append(f"redirect pick-list order {redirect}")

        # the window list: rows in natural order, a discreet pause control (no wall of red buttons)
        office.goto(f"{base}/org/windows/")
        rows = _numbers(office.locator("tbody tr td:first-child").all_inner_texts())
        if rows != sorted(rows):
            problems.append(f"window rows order {rows}")
        pauses = office.locator("tbody a.button", has_text="暂停服务")
        assert pauses.count() >= 20
        red = [i for i in range(pauses.count()) if _background(pauses.nth(i)) == BRAND_RED]
        if red:
            problems.append(f"{len(red)} red 暂停服务 buttons")

        # 同意 and 不同意 look different
        office.goto(f"{base}/leave/approvals/")
        agree = office.get_by_role("button", name="同意", exact=True).first
        refuse = office.get_by_role("button", name="不同意", exact=True).first
        if _background(agree) == _background(refuse):
            problems.append("同意 and 不同意 share one colour")

        # attendance opens on the last complete month
        office.goto(f"{base}/attendance/centre/")
        last_complete = timezone.localdate().replace(day=1) - timedelta(days=1)
        if f"{last_complete:%Y-%m}" not in office.locator("h1").inner_text():
            problems.append(f"attendance opened on {office.locator('h1').inner_text()}")

        # transcripts: plain text with speaker prefixes, and Excel
        office.goto(f"{base}/language/review/")
        text = "工作人员：您好，请坐\n群众：我想办营业执照\n工作人员：这个不归我们管\n"
        office.set_input_files(
            "input[name=transcript]",
            files=[{"name": "会话.txt", "mimeType": "text/plain", "buffer": text.encode()}],
        )
        office.get_by_role("button", name="抽查").click()
        if "我不管" not in office.locator(".language-staff-stats").inner_text():  # 不归我们管 → that phrase
            problems.append("plain-text transcript: 不归我们管 not counted")
        wb = Workbook()
        ws = wb.active
        ws.append(["说话人", "内容"])
        ws.append(["工作人员", "您好，请坐"])
        ws.append(["工作人员", "我也不知道"])
        buffer = io.BytesIO()
        wb.save(buffer)
        office.set_input_files(
            "input[name=transcript]",
            files=[
                {"name": "会话.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}
            ],
        )
        office.get_by_role("button", name="抽查").click()
        if not office.locator(".language-staff-stats tbody tr").count():
            problems.append("xlsx transcript not reviewed")

        # the live reply check catches the pronoun variant
        office.goto(f"{base}/cases/inquiries/new/")
        office.fill("textarea[name=answer]", "这个不归我们管")
        wait_until(office, "document.getElementById('language-check-result').dataset.findings !== '0'")
        assert "不归我们管" in office.locator("#language-check-result mark").first.inner_text()

        # the leave slip: only the chosen kind's fields, the cover from a pick-list
        clerk = new_page(browser, TABLET)
        sign_in(clerk, base, "staff", DEMO_PASSWORD)
        clerk.goto(f"{base}/leave/apply/")
        clerk.select_option("select[name=kind]", "personal")
        for name in (
            "certificate_provided",
            "certificate_date",
            "training_document",
            "training_document_ref",
        ):
            if clerk.locator(f"[name={name}]").is_visible():
                problems.append(f"事假 shows {name}")
        clerk.select_option("select[name=kind]", "sick")
        assert clerk.locator("[name=certificate_date]").is_visible()
        assert not clerk.locator("[name=training_document_ref]").is_visible()
        clerk.select_option("select[name=kind]", "training")
        assert clerk.locator("[name=training_document_ref]").is_visible()
        cover = clerk.locator("select[name=cover_staff]")
        assert cover.locator("option").count() >= 3, "colleagues to pick from"
        assert not clerk.locator("[name=cover_name]").is_visible()
        cover.select_option(index=1)
        assert clerk.locator("[name=cover_start]").is_visible()
        assert not clerk.locator("[name=cover_name]").is_visible(), "a colleague is picked, not typed"
        cover.select_option("other")
        assert clerk.locator("[name=cover_name]").is_visible()

        # a refused leave explains itself in Chinese with the rule as a badge, no English (LEAVE-5)
        monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
        clerk.select_option("select[name=kind]", "personal")
        clerk.fill("input[name=start_date]", monday.isoformat())
        clerk.fill("input[name=end_date]", (monday + timedelta(days=1)).isoformat())
        cover.select_option("")
        clerk.get_by_role("button", name="提交").click()
        clerk.wait_for_load_state()
        message = clerk.locator(".messages li").first
        assert message.locator(".rule-badge").inner_text().strip() == "LEAVE-5"
        plain = message.evaluate(
            "el => { const c = el.cloneNode(true); c.querySelectorAll('.rule-badge').forEach(b => b.remove());"
            " return c.innerText; }"
        )
        if re.search(r"[A-Za-z]{3,}|LEAVE-\d", plain):
            problems.append(f"leave refusal reads {plain!r}")
    assert problems == [], "\n".join(problems)
