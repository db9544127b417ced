"""Navigation entries of the operations pages (centre office only)."""

from __future__ import annotations

ENTRIES = [
    ("工作日历", "ops:calendar", frozenset({"centre_admin"})),
]
