"""Hall display: snapshot and the Server-Sent Events stream (Q-1, Q-4, LANG-2)."""

from __future__ import annotations

import json

from servicehall.policy.loader import load_policy
from servicehall.queue import services
from servicehall.queue.config import using_policy


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
