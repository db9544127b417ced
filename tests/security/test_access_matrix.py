"""The access matrix (权限矩阵, ORG-1, INT-2) against every route.

1. Every URL pattern and every API route has an entry in `core.access.ROUTES` whose cell exists in
   `MATRIX`: a route added without one fails here (docs/security.md says how to add it).
2. For every role, every route that takes an object id is requested (GET and POST) with records outside
   the role's scope — the other centre's for everyone, another unit's for unit-scoped roles — and must
   answer 403/404 (405 for a method the route does not serve, 422 for a body it cannot read) with
   nothing in the database changed. This test decides "outside the scope" from the matrix cell alone
   and checks the outcome over HTTP; it does not call the enforcement code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from servicehall.attendance.models import Punch, PunchCorrection
from servicehall.cases.models import Case, CaseEvent, CaseExtension
from servicehall.core.access import MATRIX, ROUTES, STAFF_ROLES, Scope
from servicehall.core.models import AuditEntry
from servicehall.leave.models import LeaveRequest
from servicehall.org.models import Staff, Window
from servicehall.queue.models import Ticket
from tests.security.world import SecurityWorld, build

pytestmark = pytest.mark.django_db

# Routes whose cell lets anyone (or any signed-in person) reach any record: nothing is out of scope.
OPEN_SCOPES = {Scope.ALL}
KWARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def walk(patterns: list[Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) == "admin/":
                continue  # the admin is scoped by core.admin (tests/security/test_findings.py)
            out += walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def all_routes() -> list[str]:
    return sorted(set(walk(get_resolver().url_patterns)))


def test_org_1__every_route_has_an_access_matrix_entry():
    """ORG-1: a route with no entry in core.access.ROUTES (or whose cell is missing) fails the build."""
    missing = [r for r in all_routes() if r not in ROUTES]
    assert not missing, f"add these routes to core.access.ROUTES: {missing}"
    bad_cells = {r: e.key for r, e in ROUTES.items() if e.key not in MATRIX}
    assert not bad_cells, f"routes naming no matrix cell: {bad_cells}"


def test_org_1__no_stale_route_entries():
    """Entries for routes that no longer exist are removed, so the table stays the map of the site."""
    debug_only = {"^media/(?P<path>.*)$"}  # served by Django only with DEBUG on
    stale = sorted(set(ROUTES) - set(all_routes()) - debug_only)
    assert not stale, f"remove from core.access.ROUTES: {stale}"


def _foreign_ids(w: SecurityWorld, place: Any) -> dict[str, int]:
    """Ids of one place's private records, by the URL keyword that names them."""
    step = place.leave.steps.first()
    cover = place.leave.covers.first()
    return {
        "case_id": place.case.pk,
        "punch_id": place.punch.pk,
        "ticket_id": place.ticket.pk,
        "leave_id": place.leave.pk,
        "staff_id": place.clerk.pk,
        "window_id": place.window.pk,
        "unit_id": place.unit.pk,
        "item_id": place.case.item_id,
        "step_id": step.pk if step else 10**9,
        "cover_id": cover.pk if cover else 10**9,
    }


def _fill(route: str, ids: dict[str, int]) -> str | None:
    """The route with its keywords replaced by the place's ids; None if a keyword names no record
    (a slug such as a hall code or a file kind, which names public things)."""

    def sub(m: re.Match[str]) -> str:
        name = m.group("name")
        if name in ids:
            return str(ids[name])
        if m.group("conv") in ("int", None) and name.endswith("id"):
            return str(10**9)  # an id of a kind this world does not build: absent for everyone
        raise KeyError(name)

    try:
        path = KWARG.sub(sub, route)
    except KeyError:
        return None
    if path.startswith("^"):
        return None
    return "/" + path


def _fingerprint(w: SecurityWorld) -> tuple[Any, ...]:
    rows = []
    for place in (w.t, w.b):
        for obj in (place.case, place.punch, place.ticket, place.leave, place.window, place.clerk):
            fresh = type(obj).objects.filter(pk=obj.pk).first()
            rows.append(model_to_dict(fresh) if fresh else None)
    counts = tuple(
        m.objects.count()
        for m in (
            Case,
            CaseEvent,
            CaseExtension,
            Punch,
            PunchCorrection,
            Ticket,
            LeaveRequest,
            Window,
            Staff,
            AuditEntry,
        )
    )
    return (repr(rows), counts)


ALLOWED = {403, 404, 405, 422}


@pytest.mark.parametrize("role", [str(r) for r in STAFF_ROLES])
def test_org_1_int_2__every_role__records_outside_scope__403_or_404_and_nothing_changed(role):
    """ORG-1, INT-2: for each role, every id-taking route with another centre's (and, for unit-scoped
    cells, another unit's) record answers 403/404 and writes nothing."""
    w = build()
    client = Client(raise_request_exception=False)
    client.force_login(w.role_user(role))
    failures = []
    for route in all_routes():
        entry = ROUTES.get(route)
        if entry is None or "<" not in route:
            continue
        scope = MATRIX[entry.key].get(role, Scope.NONE)
        scope = Scope.OWN if isinstance(scope, str) and scope.startswith("policy:") else Scope(scope)
        if scope in OPEN_SCOPES or entry.domain in ("public", "account"):
            continue
        places = [w.t]  # another centre: outside every scope but ALL
        if scope in (Scope.OWN_UNIT, Scope.OWN_WINDOW, Scope.OWN, Scope.NONE):
            places.append(w.b)  # another unit of the same centre
        for place in places:
            path = _fill(route, _foreign_ids(w, place))
            if path is None:
                continue
            for method in ("get", "post"):
                before = _fingerprint(w)
                response = (
                    getattr(client, method)(
                        path, content_type="application/json", data="{}" if method == "post" else None
                    )
                    if path.startswith("/api/")
                    else getattr(client, method)(path)
                )
                changed = _fingerprint(w) != before
                # an id that exists nowhere may also be refused as bad input or with a message and a
                # redirect: nothing about any record is revealed by that
                allowed = ALLOWED | ({302, 400} if str(10**9) in path else set())
                if response.status_code not in allowed or changed:
                    failures.append(
                        f"{method.upper()} {path} [{entry.domain}.{entry.action}={scope}] → {response.status_code}{' CHANGED' if changed else ''}"
                    )
    assert not failures, "\n".join(failures)
