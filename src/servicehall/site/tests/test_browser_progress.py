"""The progress query on a phone (CASE-10): a vertical timeline at 390×844, no horizontal scroll, zero serious
axe-core findings, a provisional promised day marked 暂定."""

from __future__ import annotations

import itertools

import pytest

from servicehall.core.tests.browser import (
    PHONE,
    chromium,
    horizontal_overflow,
    new_page,
    screenshot,
    serious_violations,
)
from servicehall.site.tests.browser_support import build_demo_centre


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_10__phone_progress_query_shows_a_vertical_timeline(live_server, monkeypatch):
    """CASE-10 进度查询 at 390×844: stages stacked top to bottom, the current one marked, dates beside them;
    CASE-5: a provisional promised day reads 暂定."""
    from servicehall.cases.enums import CaseStatus
    from servicehall.cases.models import Case

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    build_demo_centre(activity=True)
    case = Case.objects.filter(status=CaseStatus.ACCEPTED).exclude(query_code="").order_by("pk").first()
    assert case is not None, "the demo centre has an accepted case"
    Case.objects.filter(pk=case.pk).update(due_provisional=True)
    with chromium() as browser:
        page = new_page(browser, PHONE)
        page.goto(f"{live_server.url}/progress/")
        page.get_by_label("办件编号").fill(case.number)
        page.get_by_label("查询码或手机号、证件号码后四位").fill(case.query_code)
        page.get_by_role("button", name="查询").click()
        stages = page.locator("ol.progress-timeline > li")
        stages.first.wait_for()
        names = page.locator("ol.progress-timeline .stage-name").evaluate_all(
            "els => els.map(e => e.firstChild.textContent)"
        )
        assert names[:4] == ["申报登记", "受理", "审查", "办结"]
        boxes = [stages.nth(i).bounding_box() for i in range(stages.count())]
        assert all(b is not None for b in boxes)
        xs = {round(b["x"]) for b in boxes}
        assert len(xs) == 1, "one column: every stage starts at the same x"
        assert all(a["y"] + a["height"] <= b["y"] + 1 for a, b in itertools.pairwise(boxes))
        current = page.locator("ol.progress-timeline li[aria-current=step]")
        assert current.count() == 1
        assert "审查" in current.inner_text()
        assert "暂定" in stages.last.inner_text()
        assert page.locator("ol.progress-timeline time").count() >= 3
        assert horizontal_overflow(page) == 0
        assert serious_violations(page) == []
        page.locator(".progress-result").scroll_into_view_if_needed()
        screenshot(page, "phone-progress")
