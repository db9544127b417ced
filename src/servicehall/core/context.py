"""Template context: the navigation a signed-in person sees depends on their role.

Each domain may add entries in `servicehall/<domain>/nav.py` as
`ENTRIES = [("label", "namespace:url_name", frozenset({roles}) or frozenset())]` (empty = everyone).
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from servicehall.core.roles import Role, role_of

BASE_ENTRIES: list[tuple[str, str, frozenset[str]]] = [("工作台", "dashboard", frozenset(Role.values))]
ADMIN_ENTRIES: list[tuple[str, str, frozenset[str]]] = [
    ("管理后台", "admin:index", frozenset({Role.CENTRE_ADMIN}))
]


@cache
def all_entries() -> tuple[tuple[str, str, frozenset[str]], ...]:
    from servicehall.api import DOMAINS

    entries = list(BASE_ENTRIES)
    for name in DOMAINS:
        module = f"servicehall.{name}.nav"
        if importlib.util.find_spec(module) is not None:
            entries.extend(importlib.import_module(module).ENTRIES)
    return tuple(entries + ADMIN_ENTRIES)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None and user.is_authenticated else None
    entries = []
    for label, url_name, roles in all_entries():
        if roles and role not in roles:
            continue
        try:
            entries.append({"label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return {
        "nav_entries": entries,
        "viewer_role": role,
        "viewer_role_label": Role(role).label if role else "",
    }
