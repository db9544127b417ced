"""Navigation entries of consultation; shown in the 办件 menu."""

from __future__ import annotations

from servicehall.cases.nav import STAFF

ENTRIES = [
    ("咨询登记", "consultation:inquiry_new", STAFF),
    ("待办", "consultation:todo", STAFF),
]
