"""Navigation entries of attendance (考勤)."""

from __future__ import annotations

from servicehall.core.roles import Role

ENTRIES = [
    ("我的考勤", "attendance:my_month", frozenset({Role.WINDOW_STAFF, Role.CHIEF_REP})),
    ("单位考勤", "attendance:unit_month", frozenset({Role.CHIEF_REP})),
    ("中心考勤", "attendance:centre_month", frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR})),
    (
        "考勤周通报",
        "attendance:weekly",
        frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR, Role.CHIEF_REP}),
    ),
    ("考勤导入/巡查", "attendance:office", frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR})),
]
