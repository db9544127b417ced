"""Navigation entries of electronic supervision (效能监察)."""

from __future__ import annotations

from servicehall.core.roles import Role

OFFICE = frozenset({Role.SUPERVISOR, Role.CENTRE_ADMIN, Role.AUDITOR})

ENTRIES = [
    ("黄牌/红牌预警", "supervision:today", frozenset({*OFFICE, Role.CHIEF_REP, Role.WINDOW_STAFF})),
    ("单位考核排名", "supervision:ranking", OFFICE),
    ("收费台账", "supervision:fees", frozenset({*OFFICE, Role.CHIEF_REP})),
]
