"""Navigation entries of the catalogue: the public service guide (办事指南) and the CAT-1 change workflow."""

from __future__ import annotations

from servicehall.core.roles import Role

ENTRIES = [
    ("办事指南", "catalog:item_list", frozenset()),
    ("事项变更", "catalog:propose", frozenset({Role.CHIEF_REP, Role.WINDOW_STAFF})),
    ("事项审核", "catalog:review", frozenset({Role.CENTRE_ADMIN, Role.CHIEF_REP})),
    ("样表盘点", "catalog:stock", frozenset({Role.CENTRE_ADMIN, Role.CHIEF_REP, Role.WINDOW_STAFF})),
]
