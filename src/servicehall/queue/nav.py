"""Navigation entries of the queue (排队叫号)."""

from __future__ import annotations

ENTRIES = [
    ("排队取号", "queue:index", frozenset()),
    ("窗口叫号", "queue:windows", frozenset({"centre_admin", "supervisor", "chief_rep", "window_staff"})),
    (
        "帮办代办与上门服务",
        "queue:visits",
        frozenset({"centre_admin", "supervisor", "chief_rep", "window_staff", "auditor"}),
    ),
    ("排队统计", "queue:stats", frozenset({"centre_admin", "supervisor", "chief_rep", "auditor"})),
]
