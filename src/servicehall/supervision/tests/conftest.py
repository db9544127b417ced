"""Case tests run at a fixed 'now' (Mon 2025-09-22 10:00 in the hall's time zone), so due dates never
reach a calendar year the `chinesecalendar` data does not cover yet, whatever day the suite runs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

FIXED_NOW = datetime(2025, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FIXED_NOW)
