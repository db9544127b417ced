"""Public queue pages read in a fixed number of queries, whatever the size of the hall (Q-4 figures).

Each page is requested for a small hall and one ten times larger (lines, windows, staff and tickets);
the number of SQL statements must be the same and at most ten.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
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


# -- the hot path: issue and call-next (Q-1, Q-3) ------------------------------------------------------------

MAX_ISSUE_STATEMENTS = 10
MAX_CALL_NEXT_STATEMENTS = 12


def _statements(fn) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    return response, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lines", [1, 3])
def test_q_1__issue_and_call_next_stay_within_their_statement_budget(client, lines):
    """Q-1, Q-3: `POST /api/queue/tickets` runs at most 10 SQL statements and `call-next` at most 12 —
    every one counted: session and user, the transaction's BEGIN, the events, the response — however
    many lines the window serves, with priority and ordinary tickets waiting and a ticket in hand to
    finish. (Transactional, so the service's transaction is the outermost one, as in production.)"""
    h = make_hall(lines=lines, windows=2, code=f"hot{lines}")
    staff_client = Client()
    staff_client.force_login(h.staff[0].user)
    call_url = f"/api/queue/windows/{h.windows[0].pk}/call-next"
    for line in h.lines:
        services.issue_ticket(line_id=line.pk)
        services.issue_ticket(line_id=line.pk, priority="green_channel", actor=h.staff[0])
    assert staff_client.post(call_url).status_code == 200  # a ticket in hand, finished by the next call

    response, issue = _statements(
        lambda: client.post(
            "/api/queue/tickets", {"item_ids": [h.items[0].pk]}, content_type="application/json"
        )
    )
    assert response.status_code == 201, response.content
    assert len(issue) <= MAX_ISSUE_STATEMENTS, "\n".join(issue)

    response, call = _statements(lambda: staff_client.post(call_url))
    assert response.status_code == 200, response.content
    assert response.json()["ticket"] is not None
    assert len(call) <= MAX_CALL_NEXT_STATEMENTS, "\n".join(call)
    # the waiting tickets of every line the window serves are read once, not once per line and class
    assert sum(sql.startswith("SELECT") and 'FROM "queue_ticket"' in sql for sql in call) == 1
