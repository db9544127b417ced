"""Concurrency on PostgreSQL (Q-1): a ticket is never called twice; a number is never issued twice."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client, override_settings

from servicehall.queue import services
from servicehall.queue.models import QueueEvent, Ticket
from servicehall.queue.tests.factories import hall as make_hall

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_concurrently(n: int, fn):
    barrier = threading.Barrier(n)

    def task(i: int):
        try:
            barrier.wait(timeout=30)
            return fn(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(task, range(n)))


def test_q_1__50_concurrent_call_next_from_10_windows__no_ticket_called_twice():
    assert connection.vendor == "postgresql"
    h = make_hall(lines=1, windows=10, code="pg-hall")
    for i in range(70):
        services.issue_ticket(item_ids=[h.items[0].pk], priority="green_channel" if i % 7 == 0 else "",
                              actor=h.staff[0])  # fmt: skip
    users = [s.user for s in h.staff]

    def call(i: int):
        window = h.windows[i % 10]
        client = Client()
        client.force_login(users[i % 10])
        r = client.post(f"/api/queue/windows/{window.pk}/call-next")
        assert r.status_code == 200, r.content
        return r.json()["ticket"]

    results = _run_concurrently(50, call)
    called_ids = [t["id"] for t in results if t is not None]
    assert len(called_ids) == 50  # 70 were waiting: every request got a ticket
    assert len(set(called_ids)) == 50  # ... and no two got the same one
    per_ticket = Counter(QueueEvent.objects.filter(kind="call").values_list("ticket_id", flat=True))
    assert max(per_ticket.values()) == 1
    assert sum(per_ticket.values()) == 50
    # every window holds exactly one ticket in hand; the other 40 were finished by the next call
    assert Ticket.objects.filter(status=Ticket.Status.CALLED).count() == 10
    assert Ticket.objects.filter(status=Ticket.Status.FINISHED).count() == 40
    assert Ticket.objects.filter(status=Ticket.Status.WAITING).count() == 20


@override_settings(SERVICEHALL_THROTTLES={"tickets": "1000/m", "appointments": "1000/h"})  # one test client
def test_q_1__50_concurrent_tickets_on_one_line__numbers_unique_and_contiguous():
    assert connection.vendor == "postgresql"
    h = make_hall(lines=1, windows=1, code="pg-issue", with_users=False)

    def take(i: int):
        r = Client().post(
            "/api/queue/tickets", {"item_ids": [h.items[0].pk]}, content_type="application/json"
        )
        assert r.status_code == 201, r.content
        return r.json()["number"]

    numbers = _run_concurrently(50, take)
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, 51)]
    assert Ticket.objects.count() == 50
