"""The statistics page's charts (排队统计图): the numbers each chart is drawn from (Q-1, Q-4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory, UserFactory
from servicehall.queue import services
from servicehall.queue.selectors import queue_trends
from servicehall.queue.tests.factories import hall as make_hall

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: float = 0) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=TZ) + timedelta(minutes=minute)


@pytest.fixture
def ten_windows(db):
    return make_hall(lines=2, windows=10, code="trend")


def serve(h, *, window: int, line: int, issued: datetime, wait: float, service: float = 5) -> None:
    """Take a ticket, call it at window number `window` after `wait` minutes, finish after `service`."""
    services.issue_ticket(item_ids=[h.items[line].pk], now=issued)
    w = h.windows[window - 1]
    staff = h.staff[window - 1]
    services.call_next(window_id=w.pk, actor=staff, now=issued + timedelta(minutes=wait))
    services.finish(window_id=w.pk, actor=staff, now=issued + timedelta(minutes=wait + service))


def test_q_4__wait_by_hour__mean_of_first_call_minus_issue__by_local_hour_taken(ten_windows):
    """Q-4 等候时间: a 9 o'clock ticket called after 10 and one after 20 minutes average 15; 14 o'clock 6;
    hours without tickets are gaps (None), not zeros."""
    h = ten_windows
    serve(h, window=1, line=0, issued=at(2, 9, 5), wait=10)
    serve(h, window=1, line=0, issued=at(2, 9, 40), wait=20)
    serve(h, window=2, line=1, issued=at(3, 14), wait=6)
    t = queue_trends(centre_id=h.centre.pk, first=date(2026, 3, 2), last=date(2026, 3, 3))
    by_hour = dict(zip(t.hours, t.wait_by_hour, strict=True))
    assert t.hours[0] == "8时"
    assert t.hours[-1] == "17时"
    assert by_hour["9时"] == pytest.approx(15.0)
    assert by_hour["14时"] == pytest.approx(6.0)
    assert by_hour["10时"] is None


def test_q_1__served_by_window__counts_finished_only_in_natural_window_order(ten_windows):
    """Q-1 各窗口办结量: only finished tickets count; 2号 comes before 10号."""
    h = ten_windows
    serve(h, window=10, line=0, issued=at(2, 9), wait=1)
    serve(h, window=2, line=0, issued=at(2, 10), wait=1)
    serve(h, window=2, line=1, issued=at(2, 11), wait=1)
    services.issue_ticket(item_ids=[h.items[0].pk], now=at(2, 12))  # called nowhere: not served
    t = queue_trends(centre_id=h.centre.pk, first=date(2026, 3, 2), last=date(2026, 3, 2))
    assert t.windows == ["2号", "10号"]
    assert t.served_by_window == [2, 1]


def test_q_1__tickets_by_line__one_value_per_day_of_the_range_including_empty_days(ten_windows):
    """Q-1 各队列每日取号量: every day of the range is a label; a day without tickets counts 0."""
    h = ten_windows
    for minute in range(3):
        services.issue_ticket(item_ids=[h.items[0].pk], now=at(2, 9, minute))
    services.issue_ticket(item_ids=[h.items[1].pk], now=at(4, 9))
    t = queue_trends(centre_id=h.centre.pk, first=date(2026, 3, 2), last=date(2026, 3, 4))
    assert t.days == ["03-02", "03-03", "03-04"]
    assert t.tickets_by_line == {"A 业务1": [3, 0, 0], "B 业务2": [0, 0, 1]}


def test_q_1__trends__other_centres_and_days_outside_the_range_are_left_out(ten_windows):
    """ORG-1: another centre's tickets never reach this centre's charts; the date range bounds them."""
    h = ten_windows
    other = make_hall(lines=1, windows=1, code="other")
    services.issue_ticket(item_ids=[other.items[0].pk], now=at(2, 9))
    services.issue_ticket(item_ids=[h.items[0].pk], now=at(1, 9))
    t = queue_trends(centre_id=h.centre.pk, first=date(2026, 3, 2), last=date(2026, 3, 2))
    assert t.tickets_by_line == {}
    assert t.windows == []


def test_q_1__stats_page__draws_three_charts_with_a_data_table_each(client, ten_windows):
    """The page shows the three charts as inline SVG (no script) with their numbers as a table."""
    h = ten_windows
    serve(h, window=2, line=0, issued=at(2, 9), wait=4)
    admin = StaffFactory(centre=h.centre, unit=h.unit, role=Staff.Role.CENTRE_ADMIN, user=UserFactory())
    client.force_login(admin.user)
    body = client.get("/queue/stats/?hall=trend&first=2026-03-01&last=2026-03-03").content.decode()
    for chart_id in ("chart-wait-by-hour", "chart-served-by-window", "chart-tickets-by-line"):
        assert f'id="{chart_id}"' in body
    assert body.count("<svg") == 3
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert '<th scope="row">2号</th><td>1</td>' in body
