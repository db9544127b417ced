"""Hall display in a real browser (Q-1): live events applied without refetching the snapshot, and a
stream that answered 502 (an app server restarting behind nginx) reopened by the display itself."""

from __future__ import annotations

import itertools
import time

import pytest

from servicehall.core.tests.browser import DISPLAY, chromium, new_page, wait_until
from servicehall.policy.loader import load_policy
from servicehall.queue import services
from servicehall.queue.config import using_policy
from servicehall.queue.tests.factories import hall as make_hall

STATS = "window.displayStats"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_q_1__display_applies_events_and_reopens_after_502(live_server, monkeypatch):
    """Q-1 叫号屏: issues and calls change the counts and the call list with no snapshot request; while the
    stream answers 502 the display keeps trying every few seconds (not only through its 15 s watchdog),
    and once the server answers again it reconnects, resyncs once and shows the next call."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    h = make_hall(lines=2, windows=2, code="live")
    short = load_policy("yuanzhou-p2").queue.model_copy(update={"stream_seconds": 5})
    with using_policy(short), chromium() as browser:
        page = new_page(browser, DISPLAY)
        page.goto(f"{live_server.url}/display/live/")
        wait_until(page, f"{STATS}.snapshots === 1 && document.querySelectorAll('#lines li').length === 2")
        wait_until(page, "!document.getElementById('link-state').classList.contains('down')")
        time.sleep(0.3)

        # Applied, not refetched: two issues, one call.
        services.issue_ticket(line_id=h.lines[0].pk)
        services.issue_ticket(line_id=h.lines[0].pk)
        wait_until(page, "document.querySelector('#lines li').textContent.includes('2 人等候')")
        services.call_next(window_id=h.windows[0].pk, actor=h.staff[0].user)
        wait_until(page, "document.querySelector('#calls tr')?.dataset.number === 'A001'")
        wait_until(page, "document.querySelector('#lines li').textContent.includes('1 人等候')")
        assert page.evaluate(f"{STATS}.snapshots") == 1, "the display refetched the snapshot for an event"

        # The app server restarts: every stream request answers 502 for a while.
        refused: list[float] = []

        def bad_gateway(route):
            refused.append(time.monotonic())
            route.fulfill(status=502, body="Bad Gateway", content_type="text/html")

        page.route("**/display/live/stream/**", bad_gateway)
        deadline = time.monotonic() + 20
        while len(refused) < 3:  # the current stream ends within 5 s, then each retry is refused
            assert time.monotonic() < deadline, f"the display stopped retrying after {len(refused)} refusals"
            page.wait_for_timeout(200)
        gaps = [b - a for a, b in itertools.pairwise(refused)]
        assert max(gaps) < 8, f"retries {gaps} s apart: left to the 15 s watchdog"
        wait_until(page, "document.getElementById('link-state').classList.contains('down')")

        page.unroute("**/display/live/stream/**")
        back = time.monotonic()
        wait_until(page, "!document.getElementById('link-state').classList.contains('down')", timeout=8000)
        assert time.monotonic() - back < 8
        wait_until(page, f"{STATS}.snapshots === 2")  # one resync after the reconnect

        services.call_next(window_id=h.windows[1].pk, actor=h.staff[1].user)
        wait_until(page, "document.querySelector('#calls tr')?.dataset.number === 'A002'")
        wait_until(page, "document.querySelector('#lines li').textContent.includes('无人等候')")
        assert page.evaluate(f"{STATS}.snapshots") == 2
        assert page.evaluate("window.queueAnnouncements").count("请 A002 号到 2 号窗口办理") >= 1
