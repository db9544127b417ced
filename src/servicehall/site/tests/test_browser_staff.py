"""Staff pages on a tablet (1280×800): lists you can search and page through, rule IDs as badges linking to
the rule's text, no English and no policy codes, a case page with a stepper, and an auditor who meets no 403."""

from __future__ import annotations

import re

import pytest

from servicehall.core.tests.browser import TABLET, chromium, new_page, screenshot, sign_in
from servicehall.site.tests.browser_support import DEMO_PASSWORD, build_demo_centre

# Latin words staff may meet: product names and the catalogue's own search example.
ENGLISH = re.compile(r"\b(?!servicehall\b|Excel\b|yyzz\b|PDF\b)[A-Za-z][A-Za-z_]{3,}\b")
POLICY_CODE = re.compile(r"[a-z0-9-]+@\d{4}")
BARE_RULE = re.compile(r"\b(ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)-\d+")
TEXT_WITHOUT_BADGES = """() => { const c = document.querySelector('main').cloneNode(true);
  c.querySelectorAll('.rule-badge, code, script, style').forEach(e => e.remove()); return c.innerText; }"""


def _count(page) -> int:
    text = page.locator(".pager, p.muted").filter(has_text="共").last.inner_text()
    return int(re.search(r"共 (\d+) 条", text).group(1))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_6__staff_lists_badges_and_case_page_at_tablet_size(live_server, monkeypatch):
    """CASE-6 超期办件 links to the filtered list; CASE-9 every state is listed, searchable, paged; staff,
    attendance and the ASK ledger search and page; rule IDs are badges linking to /rules/<ID>/."""
    from servicehall.cases.models import Case

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    build_demo_centre(activity=True)
    every_case = Case.objects.filter(centre__code="demo-county").count()
    delivered = Case.objects.filter(centre__code="demo-county", status="delivered").count()
    sample = Case.objects.filter(centre__code="demo-county").order_by("pk").first()
    open_case = Case.objects.filter(centre__code="demo-county", status="in_progress").order_by("pk").first()
    base = live_server.url
    with chromium() as browser:
        page = new_page(browser, TABLET)
        sign_in(page, base, "office", DEMO_PASSWORD)
        screenshot(page, "dashboard")

        overdue = page.locator("a.figure", has_text="超期办件").first
        shown = int(overdue.locator("b").inner_text())
        overdue.click()
        page.wait_for_url("**/cases/?flag=overdue")
        assert page.locator("h1").inner_text().startswith("中心办件")
        assert _count(page) == shown
        assert page.locator("#case-list tbody tr.overdue").count() == min(shown, 25)

        page.goto(f"{base}/cases/")
        assert _count(page) == every_case, "closed cases are listed too (history)"
        if every_case > 25:
            assert page.locator(".pager a[rel=next]").count() == 1
        page.goto(f"{base}/cases/?status=delivered")
        assert _count(page) == delivered
        page.goto(f"{base}/cases/")
        page.fill("input[name=q]", sample.applicant_name)
        page.click("form.filters button[type=submit]")
        assert page.locator("#case-list tbody tr", has_text=sample.number).count() == 1

        page.goto(f"{base}/cases/{open_case.pk}/")
        assert page.locator(".stepper li").count() == 5
        assert page.locator(".stepper [aria-current=step]").inner_text().strip().endswith("办理")
        assert page.locator(".actions button.primary").count() == 1, "one next action stands out"
        wraps = page.evaluate(
            "Array.from(document.querySelectorAll('.material-state')).filter(td => td.getClientRects().length"
            " && td.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(td).lineHeight || 20))"
            ".length"
        )
        assert wraps == 0, "material status never wraps (齐全合/格)"
        screenshot(page, "case-detail")
        badge = page.locator("a.rule-badge").first
        rule_id = badge.inner_text().strip()
        assert re.fullmatch(r"[A-Z]+-\d+", rule_id)
        assert "：" in badge.get_attribute("title")
        badge.click()
        page.wait_for_url(f"**/rules/{rule_id}/")
        assert re.search(r"[\u4e00-\u9fff]{2,}", page.locator("h1").inner_text())
        assert "出处" in page.inner_text("main")

        page.goto(f"{base}/org/staff/")
        staff_total = _count(page)
        assert staff_total > 25
        assert page.locator(".pager a[rel=next]").count() == 1
        page.fill("input[name=q]", "周建国")
        page.click("form.filters button[type=submit]")
        assert page.locator("#staff-list tbody tr").count() == 1

        page.goto(f"{base}/attendance/centre/")
        assert _count(page) > 25
        assert page.locator(".pager a[rel=next]").count() == 1
        page.goto(f"{base}/cases/inquiries/")
        assert page.locator("#inquiry-list tbody tr").count() >= 1

        problems = []
        links = page.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href'))")
        for path in dict.fromkeys(["/dashboard/", *links]):
            if not path.startswith("/") or path.startswith("/admin"):
                continue
            page.goto(base + path)
            text = page.evaluate(TEXT_WITHOUT_BADGES)
            for pattern in (ENGLISH, POLICY_CODE, BARE_RULE):
                found = pattern.search(text)
                if found:
                    problems.append(f"{path}: {found.group(0)!r}")
        assert problems == [], "\n".join(problems)

        auditor = new_page(browser, TABLET)
        sign_in(auditor, base, "auditor", DEMO_PASSWORD)
        forbidden = []
        for path in ("/dashboard/", "/cases/", f"/cases/{sample.pk}/", "/cases/inquiries/"):
            auditor.goto(base + path)
            hrefs = auditor.eval_on_selector_all(
                "main a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
            )
            for href in dict.fromkeys(hrefs):
                if auditor.request.get(base + href).status == 403:
                    forbidden.append(f"{path} → {href}")
            if auditor.locator("main form[method=post] button").count():
                forbidden.append(f"{path}: a write button")
        assert forbidden == []
