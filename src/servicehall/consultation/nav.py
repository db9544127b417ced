"""Navigation entries of consultation; shown in the 办件 menu."""

from __future__ import annotations

from servicehall.cases.nav import READERS, STAFF

ENTRIES = [
    ("咨询登记", "consultation:inquiry_new", STAFF),
    ("咨询台账", "consultation:inquiries", READERS),
    ("待办", "consultation:todo", STAFF),
]
