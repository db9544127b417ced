"""Public queue pages read in a fixed number of queries, whatever the size of the hall (Q-4 figures).

Each page is requested for a small hall and one ten times larger (lines, windows, staff and tickets);
the number of SQL statements must be the same and at most ten.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicehall.queue import services
from servicehall.queue.tests.factories import hall as make_hall

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def _busy_hall(code: str, size: int):
    h = make_hall(lines=size, windows=size, code=code)
    now = timezone.now()
    for line in h.lines:
        for minutes in (50, 40, 30):
            services.issue_ticket(line_id=line.pk, now=now - timedelta(minutes=minutes))
    for window, staff in zip(h.windows, h.staff, strict=True):
        services.call_next(window_id=window.pk, actor=staff.user, now=now - timedelta(minutes=20))
        services.call_next(window_id=window.pk, actor=staff.user, now=now - timedelta(minutes=10))
    return h


def _count(client, url: str) -> int:
    client.get(url)  # steady state: the policy in force is cached after the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/kiosk/{code}/", "/display/{code}/snapshot/", "/api/queue/lines?hall={code}"],
    ids=["kiosk", "display-snapshot", "lines-api"],
)
def test_q_4__public_queue_pages_run_the_same_few_queries_for_a_hall_ten_times_larger(client, url):
    """Q-4: the kiosk, the display snapshot and the lines API do not grow with lines, windows or tickets."""
    _busy_hall("small", 2)
    _busy_hall("large", 20)
    small = _count(client, url.format(code="small"))
    large = _count(client, url.format(code="large"))
    assert small == large
    assert large <= MAX_QUERIES


def test_q_1__policy_cache_follows_a_newly_saved_version(db):
    """Q-1: the queue policy is read from the cache (no query) until a policy version is saved here."""
    import datetime as dt

    import yaml

    from servicehall.policy_versions.services import publish_policy_version
    from servicehall.queue.config import queue_policy

    h = make_hall(lines=1, windows=1, code="cached")
    before = queue_policy(centre_id=h.centre.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert queue_policy(centre_id=h.centre.pk) is before
    assert len(ctx.captured_queries) == 0
    source = yaml.safe_dump(
        {"extends": "yuanzhou-p2", "version": "cache-test", "queue": {"announce_times": 3}},
        allow_unicode=True,
    )
    publish_policy_version(centre=h.centre, source=source, effective_from=dt.date(2001, 1, 1), actor=None)
    assert queue_policy(centre_id=h.centre.pk).announce_times == 3
