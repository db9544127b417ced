"""Charts in a real browser at desktop size (1440×900): queue statistics (Q-1, Q-4) and attendance (ATT-3)
draw their SVG offline with data points, and each has its numbers as a table for screen readers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from servicehall.attendance.models import Punch
from servicehall.core.tests.browser import (
    DESKTOP,
    chromium,
    new_page,
    screenshot,
    serious_violations,
    sign_in,
)
from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory, UnitFactory
from servicehall.queue import services
from servicehall.queue.tests.factories import hall as make_hall

PASSWORD = "pw-servicehall"  # the factories' password
MARKS = "svg .dots circle, svg rect.rect"  # pygal's line points and bars


def _queue_week(h, first: date) -> None:
    """Five days of tickets on two lines, taken between 9 and 16 o'clock, served at windows 1..3."""
    for offset in range(5):
        day = first + timedelta(days=offset)
        for i in range(6 + offset):
            issued = timezone.make_aware(datetime.combine(day, time(9 + i % 7, 5 * (i % 3))))
            services.issue_ticket(item_ids=[h.items[i % 2].pk], now=issued)
            w = i % 3
            services.call_next(
                window_id=h.windows[w].pk, actor=h.staff[w], now=issued + timedelta(minutes=3 + i)
            )
            services.finish(
                window_id=h.windows[w].pk, actor=h.staff[w], now=issued + timedelta(minutes=9 + i)
            )


def _marks(page, chart_id: str) -> int:
    return page.locator(f"#{chart_id}").locator(MARKS).count()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_1__queue_statistics_charts_render_with_data_points_and_a_data_table(live_server):
    """Q-1, Q-4 排队统计图: three SVG charts with points and bars, no script, a table of their numbers."""
    h = make_hall(lines=2, windows=3, code="charts")
    office = StaffFactory(centre=h.centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True)
    first = timezone.localdate() - timedelta(days=6)
    _queue_week(h, first)
    with chromium() as browser:
        page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, office.user.username, PASSWORD)
        page.goto(
            f"{live_server.url}/queue/stats/?hall=charts&first={first}&last={first + timedelta(days=6)}"
        )
        for chart_id in ("chart-wait-by-hour", "chart-served-by-window", "chart-tickets-by-line"):
            svg = page.locator(f"#{chart_id} svg")
            box = svg.bounding_box()
            assert box is not None
            assert box["width"] > 300, chart_id
            assert box["height"] > 150, chart_id
            assert _marks(page, chart_id) > 0, f"{chart_id} draws no data point"
        assert _marks(page, "chart-served-by-window") == 3  # one bar per window
        assert _marks(page, "chart-tickets-by-line") == 2 * 7  # two lines × seven days
        assert page.locator("main script").count() == 0
        table = page.locator("#chart-served-by-window table")
        assert not table.is_visible()  # folded under 查看图表数据, yet read by screen readers
        page.locator("#chart-served-by-window summary").click()
        assert table.is_visible()
        assert table.locator("tbody th").all_inner_texts() == ["1号", "2号", "3号"]
        assert serious_violations(page) == []
        screenshot(page, "queue-charts", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_att_3__attendance_charts_render_lates_per_unit_and_trend(live_server):
    """ATT-3 迟到统计图: this month's lates per unit as bars, the months since the first punch as lines."""
    h = make_hall(lines=1, windows=1, code="att-charts")
    other = UnitFactory(centre=h.centre, name="公安")
    office = StaffFactory(centre=h.centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True)
    clerk = StaffFactory(centre=h.centre, unit=other)
    rows = []
    for month, late in ((3, 2), (4, 4)):
        for d in range(8, 25):
            day = date(2026, month, d)
            if day.weekday() >= 5:
                continue
            first = time(8, 45) if d < 8 + late * 2 and d % 2 == 0 else time(8, 20)
            for person in (h.staff[0], clerk):
                for t in (first, time(12, 2), time(14, 20), time(18, 1)):
                    rows.append(
                        Punch(centre=h.centre, staff=person, at=timezone.make_aware(datetime.combine(day, t)))
                    )
    Punch.objects.bulk_create(rows)
    with chromium() as browser:
        page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, office.user.username, PASSWORD)
        page.goto(f"{live_server.url}/attendance/centre/?month=2026-04")
        assert _marks(page, "chart-lates-now") == 2  # 测试单位 and 公安
        assert _marks(page, "chart-lates-trend") == 2 * 2  # two units × March and April
        months = page.locator("#chart-lates-trend tbody th").all_text_contents()
        assert months == ["2026-03", "2026-04"]
        assert serious_violations(page) == []
