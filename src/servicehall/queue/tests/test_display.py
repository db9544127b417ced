"""Hall display: snapshot and the Server-Sent Events stream (Q-1, Q-4, LANG-2)."""

from __future__ import annotations

import json
import threading
import time as clock

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from servicehall.core import bus
from servicehall.core.bus import Hub
from servicehall.policy.loader import load_policy
from servicehall.queue import services
from servicehall.queue.config import using_policy
from servicehall.queue.models import Ticket


def _events(raw: bytes) -> list[tuple[str, dict, str | None]]:
    out = []
    for block in raw.decode().split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":")
        )
        if "event" in fields:
            out.append((fields["event"], json.loads(fields["data"]), fields.get("id")))
    return out


def test_q_1__snapshot_lists_calls_and_waiting_counts(client, hall):
    for _ in range(3):
        services.issue_ticket(item_ids=[hall.items[0].pk])
    services.call_next(window_id=hall.windows[1].pk, actor=hall.staff[1])
    snap = client.get("/display/hall/snapshot/").json()
    assert snap["calls"][0] == {"number": "A001", "window": "2", "window_name": "综合窗口2", "status": "called",
                                "text": "请 A001 号到 2 号窗口办理"}  # fmt: skip
    assert {r["prefix"]: r["waiting"] for r in snap["lines"]} == {"A": 2, "B": 0}
    assert snap["last_event_id"] > 0
    assert not snap["crowded"]


def test_q_4__crowded_hall_shows_keep_order_notice(client, hall):
    with using_policy(load_policy("yuanzhou-p2").queue.model_copy(update={"crowding_waiting_count": 2})):
        services.issue_ticket(item_ids=[hall.items[0].pk])
        services.issue_ticket(item_ids=[hall.items[0].pk])
        snap = client.get("/display/hall/snapshot/").json()
    assert snap["crowded"]
    assert "休息区" in snap["notice"]


def test_q_1__stream_sends_calls_after_last_event_id_then_ends(client, hall):
    services.issue_ticket(item_ids=[hall.items[0].pk])
    before = client.get("/display/hall/snapshot/").json()["last_event_id"]
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0])
    services.recall(window_id=hall.windows[0].pk, actor=hall.staff[0])
    r = client.get("/display/hall/stream/?seconds=1", HTTP_LAST_EVENT_ID=str(before))
    assert r["Content-Type"].startswith("text/event-stream")
    assert r.streaming
    events = _events(b"".join(r.streaming_content))
    kinds = [e[0] for e in events]
    assert kinds[0] == "hello"
    assert kinds[-1] == "bye"
    calls = [e for e in events if e[0] in ("call", "recall")]
    assert [c[1]["text"] for c in calls] == ["请 A001 号到 1 号窗口办理"] * 2
    assert all(c[2] is not None and int(c[2]) > before for c in calls)


def test_q_1__fresh_stream_does_not_replay_old_calls(client, hall):
    services.issue_ticket(item_ids=[hall.items[0].pk])
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0])
    r = client.get("/display/hall/stream/?seconds=1")
    kinds = [e[0] for e in _events(b"".join(r.streaming_content))]
    assert "call" not in kinds
    assert kinds[-1] == "bye"


def _open_stream(client, seconds: float) -> tuple[object, list[bytes]]:
    """Open the stream and read up to its hello (the connect-time reads happen before it)."""
    r = client.get(f"/display/hall/stream/?seconds={seconds}")
    chunks = iter(r.streaming_content)
    head = [next(chunks), next(chunks)]
    assert b"event: hello" in head[1]
    return chunks, head


def test_q_1__idle_stream_makes_no_database_query(client, hall):
    """Q-1 叫号屏推送: a stream with nothing to say waits on its inbox; over three seconds it runs no query
    (it used to poll the event table twice a second)."""
    chunks, _ = _open_stream(client, 3)
    with CaptureQueriesContext(connection) as queries:
        rest = b"".join(chunks)
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert b"event: bye" in rest


def test_q_1__published_event_reaches_the_stream_without_a_query(client, hall):
    """A payload published on the centre's channel goes out as it is: no lookup in the database."""
    chunks, _ = _open_stream(client, 2)
    payload = {
        "id": 10**9,
        "kind": "call",
        "number": "A099",
        "window_number": "3",
        "text": "请 A099 号到 3 号窗口办理",
    }
    timer = threading.Timer(0.3, bus.publish, args=(services.event_channel(hall.centre.pk), payload))
    timer.start()
    with CaptureQueriesContext(connection) as queries:
        events = _events(b"".join(chunks))
    timer.join()
    assert len(queries) == 0
    calls = [e for e in events if e[0] == "call"]
    assert [(c[1]["number"], c[2]) for c in calls] == [("A099", str(10**9))]


@pytest.mark.django_db(transaction=True)
def test_q_1__call_committed_elsewhere_is_pushed_with_its_line(client, hall):
    """A call made by another thread reaches an open stream once committed, carrying `line_id` so the
    display can lower that line's waiting count by itself."""
    services.issue_ticket(item_ids=[hall.items[0].pk])
    services.issue_ticket(item_ids=[hall.items[0].pk])
    chunks, _ = _open_stream(client, 2)

    def call() -> None:
        services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0])
        connection.close()

    worker = threading.Timer(0.3, call)
    worker.start()
    events = _events(b"".join(chunks))
    worker.join()
    calls = [e[1] for e in events if e[0] == "call"]
    assert [(c["number"], c["window_number"]) for c in calls] == [("A001", "1")]
    line = Ticket.objects.get(number="A001").line_id
    assert calls[0]["line_id"] == line


def test_file_bus_wakes_another_process_hub(tmp_path):
    """Worker processes of one machine (no Redis): a publication in one hub wakes the other's streams
    through the signal file; the publisher's own streams get the payload itself."""
    a = Hub("file", signal_dir=tmp_path)
    b = Hub("file", signal_dir=tmp_path)
    with a.subscribe("queue.1") as mine, b.subscribe("queue.1") as theirs, b.subscribe("queue.2") as other:
        a.publish("queue.1", {"id": 1})
        assert mine.drain() == [{"id": 1}]
        deadline = clock.monotonic() + 3
        while not theirs.drain():
            assert clock.monotonic() < deadline, "the other process's stream was never woken"
            theirs.wait(0.1)
        assert other.drain() == []


@pytest.mark.django_db(transaction=True)
def test_q_1__asgi_stream_is_pushed_too_and_idle_without_queries(hall):
    """Under uvicorn (ASGI) the stream is an async generator that checks its inbox without a thread or a
    query, and relays a published call. Queries are counted in every thread (the ASGI handler runs the
    view's database work in an executor thread)."""
    import asyncio

    from django.db.backends.utils import CursorWrapper
    from django.test import AsyncClient

    executed: list[str] = []
    real_execute = CursorWrapper._execute

    def counting(self, sql, *args, **kwargs):
        executed.append(sql)
        return real_execute(self, sql, *args, **kwargs)

    channel = services.event_channel(hall.centre.pk)
    payload = {"id": 10**9 + 1, "kind": "call", "number": "B007", "window_number": "2",
               "text": "请 B007 号到 2 号窗口办理"}  # fmt: skip

    async def scenario() -> list:
        from asgiref.sync import sync_to_async

        # The executor thread may keep a connection from an earlier test; start it afresh.
        await sync_to_async(connections.close_all)()
        response = await AsyncClient().get("/display/hall/stream/?seconds=2")
        assert response.is_async
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        await anext(chunks)  # hello: the connect-time reads are done
        CursorWrapper._execute = counting
        try:
            asyncio.get_running_loop().call_later(0.5, bus.publish, channel, payload)
            rest = [chunk async for chunk in chunks]
        finally:
            CursorWrapper._execute = real_execute
        await sync_to_async(connections.close_all)()
        return _events(b"".join(rest))

    events = asyncio.run(scenario())
    assert executed == []
    assert [(e[1]["number"], e[2]) for e in events if e[0] == "call"] == [("B007", str(10**9 + 1))]
    assert events[-1][0] == "bye"
