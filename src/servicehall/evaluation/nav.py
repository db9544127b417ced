"""Navigation entries of the evaluation domain (评价考核)."""

from __future__ import annotations

STAFF = frozenset({"centre_admin", "supervisor", "chief_rep", "window_staff", "auditor"})
OFFICE = frozenset({"centre_admin", "supervisor", "auditor"})

ENTRIES = [
    ("评价总览", "evaluation:overview", STAFF),
    ("评价记录", "evaluation:ratings", STAFF),
    ("差评整改", "evaluation:rectifications", STAFF),
    ("投诉处理", "evaluation:complaints", OFFICE),
    ("异常评价", "evaluation:flags", OFFICE),
    ("意见箱", "evaluation:suggestions", OFFICE),
    ("回访名单", "evaluation:unserved", STAFF),
    ("投诉进度查询", "evaluation:complaint_track", frozenset()),
]
