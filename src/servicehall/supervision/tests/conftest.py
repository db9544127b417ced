"""Supervision tests run at a fixed 'now' (Mon 2025-09-22 10:00 in the hall's time zone), like the case
tests, so due dates stay in years the `chinesecalendar` data covers. Browser tests keep the real clock:
the browser would otherwise drop a session cookie that expired in 2025."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

FIXED_NOW = datetime(2025, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _fixed_now(request, monkeypatch):
    if request.node.get_closest_marker("browser") is None:
        monkeypatch.setattr(timezone, "now", lambda: FIXED_NOW)
