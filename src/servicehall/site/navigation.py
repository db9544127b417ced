"""Template context: the navigation a signed-in person sees depends on their role.

Each domain with pages lists its entries in `servicehall/<domain>/nav.py` as
`ENTRIES = [("label", "namespace:url_name", frozenset({roles}) or frozenset())]` (empty = everyone) and
is added to `DOMAIN_NAV` below; entries are shown grouped under the domain's menu (`GROUPS`), so the bar
stays short.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from servicehall.accountability import nav as accountability_nav
from servicehall.assessment import nav as assessment_nav
from servicehall.attendance import nav as attendance_nav
from servicehall.cases import nav as cases_nav
from servicehall.catalog import nav as catalog_nav
from servicehall.consultation import nav as consultation_nav
from servicehall.core import nav as core_nav
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.evaluation import nav as evaluation_nav
from servicehall.inspections import nav as inspections_nav
from servicehall.language import nav as language_nav
from servicehall.leave import nav as leave_nav
from servicehall.ops import nav as ops_nav
from servicehall.org import nav as org_nav
from servicehall.queue import nav as queue_nav
from servicehall.rotation import nav as rotation_nav
from servicehall.study import nav as study_nav
from servicehall.supervision import nav as supervision_nav

GROUPS = {
    "catalog": "办事指南",
    "cases": "办件",
    "consultation": "办件",
    "queue": "排队叫号",
    "org": "窗口与人员",
    "attendance": "考勤请假",
    "leave": "考勤请假",
    "language": "文明用语",
    "supervision": "效能监察",
    "inspections": "效能监察",
    "accountability": "效能监察",
    "study": "考勤请假",
    "rotation": "窗口与人员",
    "assessment": "评价考核",
    "evaluation": "评价考核",
    "reports": "报表",
    "ops": "工作日历",
    "core": "效能监察",
}
# In menu order (the order of the bar).
DOMAIN_NAV = {
    "org": org_nav,
    "catalog": catalog_nav,
    "cases": cases_nav,
    "consultation": consultation_nav,
    "supervision": supervision_nav,
    "queue": queue_nav,
    "attendance": attendance_nav,
    "leave": leave_nav,
    "evaluation": evaluation_nav,
    "language": language_nav,
    "inspections": inspections_nav,
    "accountability": accountability_nav,
    "study": study_nav,
    "rotation": rotation_nav,
    "assessment": assessment_nav,
    "ops": ops_nav,
    "core": core_nav,
}
ADMIN_ENTRY = ("管理后台", "admin:index", frozenset({Role.CENTRE_ADMIN}))


@dataclass
class NavGroup:
    label: str
    links: list[dict[str, str]] = field(default_factory=list)


@cache
def all_entries() -> tuple[tuple[str, str, str, frozenset[str]], ...]:
    """(group, label, url name, roles) for every domain's entries, in domain order."""
    entries: list[tuple[str, str, str, frozenset[str]]] = []
    for name, module in DOMAIN_NAV.items():
        group = GROUPS.get(name, name)
        entries.extend((group, label, url, frozenset(roles)) for label, url, roles in module.ENTRIES)
    return tuple(entries)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None and user.is_authenticated else None
    # Domain pages work on a Staff record; a bare superuser gets the public pages and the admin.
    staff = staff_of(user) if role is not None else None
    nav_role = staff.role if staff is not None else None
    groups: dict[str, NavGroup] = {}
    for group, label, url_name, roles in all_entries():
        if roles and nav_role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(group, NavGroup(group)).links.append({"label": label, "url": url})
    admin = None
    if role in ADMIN_ENTRY[2] or getattr(user, "is_superuser", False):
        admin = {"label": ADMIN_ENTRY[0], "url": reverse(ADMIN_ENTRY[1])}
    return {
        "nav_groups": list(groups.values()),
        "nav_admin": admin,
        "viewer_role": role,
        "viewer_role_label": Role(role).label if role else "",
    }
