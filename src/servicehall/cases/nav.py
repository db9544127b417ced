"""Navigation entries of the case domain."""

from __future__ import annotations

STAFF = frozenset({"centre_admin", "supervisor", "chief_rep", "window_staff"})
READERS = STAFF | {"auditor"}

ENTRIES = [
    ("办件列表", "cases:my_cases", READERS),
    ("登记办件", "cases:register", frozenset({"window_staff", "chief_rep", "centre_admin"})),
    ("办件进度查询", "cases:progress", frozenset()),
]
