"""The access matrix (权限矩阵): role × domain × action → scope, in one place (ORG-1, INT-2).

A scope says which records an action may touch: own records, own windows, own unit, own centre,
supervised centres (own centre plus every centre that granted this one management, `CentreGrant`), or all.
Services call `ensure()` before a write, selectors and views call `allows()` / `scope_for()`.

Existence rule (ORG-1, INT-2): when the actor may not even *read* a record, `ensure()` raises NotFound, so
another unit's or centre's private record answers 404 exactly like an absent one; when the actor may read
it but not do this action, it raises Forbidden (403).

Every URL pattern and API route has an entry in `ROUTES` (domain, action), and `tests/test_access_matrix.py`
fails for a route without one. See docs/security.md ("Roles and scopes") for the table and how to add one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from servicehall.core.errors import Forbidden, NotFound
from servicehall.core.roles import Role, role_of, staff_of

ANONYMOUS = "anonymous"
INSTALLATION_ADMIN = "installation_admin"  # a superuser without a Staff record: operates the installation


class Scope(StrEnum):
    NONE = "none"
    OWN = "own"  # records the person owns (their cases, leave, punches)
    OWN_WINDOW = "own_window"  # records of the windows the person is seated at
    OWN_UNIT = "own_unit"  # records of the person's stationed unit
    OWN_CENTRE = "own_centre"
    SUPERVISED = "supervised"  # own centre + centres that granted this centre management (off by default)
    ALL = "all"


WIDTH = {s: i for i, s in enumerate(Scope)}  # ALL is widest

# A matrix cell may name a policy value instead of a fixed scope; the caller passes the centre's policy.
POLICY = "policy:"

A, S, C, W, U = Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.WINDOW_STAFF, Role.AUDITOR
STAFF_ROLES = (A, S, C, W, U)


def _row(**by_role: Scope | str) -> dict[str, Scope | str]:
    row: dict[str, Scope | str] = {INSTALLATION_ADMIN: Scope.ALL}
    for key, scope in by_role.items():
        row[key] = scope
    return row


def _everyone(scope: Scope, *, anonymous: bool = False) -> dict[str, Scope | str]:
    row = _row(**{r: scope for r in STAFF_ROLES})
    if anonymous:
        row[ANONYMOUS] = Scope.ALL
    return row


# (domain, action) → role → scope. A role missing from a row has Scope.NONE.
MATRIX: dict[tuple[str, str], dict[str, Scope | str]] = {
    # public pages and the citizen's own requests: no record of anyone else is reachable through them
    ("public", "read"): _everyone(Scope.ALL, anonymous=True),
    ("account", "self"): _everyone(Scope.OWN),
    ("dashboard", "read"): _everyone(Scope.OWN_CENTRE),
    # organisation (ORG-1..6)
    ("org", "read"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_CENTRE,
                             W: Scope.OWN_CENTRE, U: Scope.OWN_CENTRE}),
    ("org", "read_private"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_UNIT,
                                     W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("org", "manage"): _row(**{A: Scope.SUPERVISED}),
    ("org", "manage_unit_staff"): _row(**{A: Scope.SUPERVISED, C: Scope.OWN_UNIT}),
    ("org", "pause_window"): _row(**{A: Scope.SUPERVISED, C: Scope.OWN_UNIT, W: Scope.OWN_WINDOW}),
    ("org", "grant"): _row(**{A: Scope.OWN_CENTRE}),
    # policy versions (every value a decision used)
    ("policy", "read"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_CENTRE,
                                W: Scope.OWN_CENTRE, U: Scope.OWN_CENTRE}),
    ("policy", "publish"): _row(**{A: Scope.SUPERVISED}),
    # catalogue (CAT-1)
    ("catalog", "read"): _everyone(Scope.ALL, anonymous=True),
    ("catalog", "propose"): _row(**{A: Scope.SUPERVISED, C: Scope.OWN_UNIT}),
    ("catalog", "approve"): _row(**{A: Scope.SUPERVISED}),
    ("catalog", "stock"): _row(**{A: Scope.SUPERVISED, S: Scope.OWN_CENTRE, U: Scope.OWN_CENTRE}),
    # the working-day calendar is one table for the whole installation
    ("workdays", "read"): _everyone(Scope.ALL, anonymous=True),
    ("workdays", "write"): _row(**{A: Scope.ALL}),
    # cases (CASE-1..11); window staff see and handle the cases the policy gives them (default: own)
    ("cases", "read"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_UNIT,
                               W: POLICY + "window_staff_cases", U: Scope.OWN_CENTRE}),
    ("cases", "handle"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                 W: POLICY + "window_staff_cases"}),
    ("cases", "register"): _row(**{A: Scope.OWN_CENTRE, C: Scope.OWN_CENTRE, W: Scope.OWN_CENTRE}),
    ("cases", "acknowledge_refusal"): _row(**{A: Scope.OWN_CENTRE}),
    ("cases", "inquiry"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_CENTRE,
                                  W: Scope.OWN_CENTRE}),
    ("cases", "progress"): _everyone(Scope.ALL, anonymous=True),  # needs the applicant's secret (CASE-10)
    # who sees an applicant's ID number and phone in full (INT-2); everyone else gets them masked
    ("cases", "personal_data"): _row(**{A: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                        W: POLICY + "window_staff_cases"}),
    # queue (Q-1..)
    ("queue", "public"): _everyone(Scope.ALL, anonymous=True),
    ("queue", "read"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_CENTRE,
                               W: Scope.OWN_CENTRE, U: Scope.OWN_CENTRE}),
    ("queue", "serve"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                W: Scope.OWN_UNIT}),
    ("queue", "priority"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                   W: Scope.OWN_WINDOW}),
    ("queue", "stats"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_UNIT,
                                U: Scope.OWN_CENTRE}),
    # 帮办代办 and 上门服务 (Q-2, CASE-9): anyone may ask; approval per the policy's approver (checked again in
    # the service); the assigned staff member records the visit; staff record assisted registrations
    ("visits", "request"): _everyone(Scope.OWN_CENTRE, anonymous=True),
    ("visits", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT, W: Scope.OWN,
                                U: Scope.OWN_CENTRE}),
    ("visits", "approve"): _row(**{A: Scope.OWN_CENTRE, C: Scope.OWN_UNIT}),
    ("visits", "record"): _row(**{A: Scope.OWN_CENTRE, C: Scope.OWN_UNIT, W: Scope.OWN}),
    ("visits", "assist"): _row(**{A: Scope.OWN_CENTRE, C: Scope.OWN_CENTRE, W: Scope.OWN_CENTRE}),
    # attendance (ATT-*)
    ("attendance", "read"): _row(**{A: Scope.SUPERVISED, S: Scope.SUPERVISED, C: Scope.OWN_UNIT,
                                    W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("attendance", "correct"): _row(**{A: Scope.SUPERVISED, S: Scope.OWN_CENTRE}),
    # leave (LEAVE-*)
    ("leave", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                               W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("leave", "apply"): _row(**{A: Scope.OWN, S: Scope.OWN, C: Scope.OWN, W: Scope.OWN}),
    ("leave", "decide"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT}),
    ("leave", "own"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT, W: Scope.OWN}),
    ("leave", "check_in"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT}),
    # service language (LANG-*)
    ("language", "check"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_CENTRE,
                                   W: Scope.OWN_CENTRE}),
    ("language", "review"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                    U: Scope.OWN_CENTRE}),
    # evaluation (EVAL-*): citizens rate and complain in public; the centre reads and handles
    ("evaluation", "public"): _everyone(Scope.ALL, anonymous=True),
    ("evaluation", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.SUPERVISED, C: Scope.OWN_UNIT,
                                    W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("evaluation", "handle"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT}),
    # supervision (SUP-*): cards, fees, ranking
    ("supervision", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.SUPERVISED, C: Scope.OWN_UNIT,
                                     U: Scope.OWN_CENTRE}),
    ("supervision", "act"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT}),
    # inspections (EVAL-3): findings recorded by supervision, contested by the person, decided once
    ("inspections", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                     W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("inspections", "record"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE}),
    ("inspections", "contest"): _row(**{C: Scope.OWN_UNIT, W: Scope.OWN}),
    ("inspections", "decide"): _row(**{S: Scope.OWN_CENTRE}),
    # accountability, assessment, rotation, study (EVAL-*, ORG-5): people's own files, their unit, the centre
    ("accountability", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                        W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("assessment", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                    W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("assessment", "handle"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE}),
    ("rotation", "read"): _row(**{A: Scope.OWN_CENTRE, S: Scope.OWN_CENTRE, C: Scope.OWN_UNIT,
                                  W: Scope.OWN, U: Scope.OWN_CENTRE}),
    ("rotation", "handle"): _row(**{A: Scope.OWN_CENTRE, C: Scope.OWN_UNIT, W: Scope.OWN}),
    ("study", "read"): _everyone(Scope.OWN_CENTRE),
    # the operation log (CASE-9): read by audit and supervision, written by nobody but the services
    ("audit", "read"): _row(**{S: Scope.SUPERVISED, U: Scope.OWN_CENTRE}),
}  # fmt: skip


@dataclass(frozen=True)
class Route:
    """What a URL pattern does: the matrix cell it is checked against."""

    domain: str
    action: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.domain, self.action)


def _r(domain: str, action: str, note: str = "") -> Route:
    return Route(domain, action, note)


PUBLIC = _r("public", "read")
SELF = _r("account", "self")

# Every URL pattern (as Django prints it, namespaces dropped) → its matrix cell. The Django admin is
# covered separately: its model admins scope by `centres_for()` (core.admin). Add a line for each new route.
ROUTES: dict[str, Route] = {
    "": PUBLIC,
    "dashboard/": _r("dashboard", "read"),
    "accounts/login/": PUBLIC,
    "accounts/logout/": PUBLIC,
    "accounts/password_change/": SELF,
    "accounts/password_change/done/": SELF,
    "accounts/password_reset/": PUBLIC,
    "accounts/password_reset/done/": PUBLIC,
    "accounts/reset/<uidb64>/<token>/": PUBLIC,
    "accounts/reset/done/": PUBLIC,
    "api/": PUBLIC,
    "api/openapi.json": PUBLIC,
    "api/docs": PUBLIC,
    "^media/(?P<path>.*)$": PUBLIC,  # DEBUG only
    # org
    "api/org/centres/<code>/windows": _r("org", "read", "public window board"),
    "api/org/units": _r("org", "read"),
    "api/org/staff": _r("org", "read"),
    "api/org/staff/<staff_id>": _r("org", "read_private"),
    "api/org/windows/<window_id>/pause": _r("org", "pause_window"),
    "api/org/windows/<window_id>/resume": _r("org", "pause_window"),
    "api/org/posts": _r("org", "manage_unit_staff"),
    "windows/": PUBLIC,
    "windows/<slug:centre_code>/": PUBLIC,
    "org/staff/": _r("org", "read"),
    "org/staff/<int:staff_id>/": _r("org", "read_private"),
    "org/windows/": _r("org", "read"),
    "org/windows/<int:window_id>/row": _r("org", "pause_window"),
    "org/windows/<int:window_id>/pause": _r("org", "pause_window"),
    "org/windows/<int:window_id>/resume": _r("org", "pause_window"),
    # catalogue
    "api/catalog/items": _r("catalog", "read"),
    "api/catalog/items/<item_id>": _r("catalog", "read"),
    "api/catalog/revisions": _r("catalog", "propose"),
    "api/catalog/revisions/<revision_id>/approve": _r("catalog", "approve"),
    "api/catalog/revisions/<revision_id>/reject": _r("catalog", "approve"),
    "catalog/": _r("catalog", "read"),
    "catalog/review/": _r("catalog", "propose"),
    "catalog/review/<int:pk>/": _r("catalog", "propose"),
    "catalog/review/<int:pk>/decide/": _r("catalog", "approve"),
    "catalog/propose/": _r("catalog", "propose"),
    "catalog/propose/<int:item_id>/": _r("catalog", "propose"),
    "catalog/stock/": _r("catalog", "stock"),
    "catalog/attachments/<int:pk>/": _r("catalog", "stock"),
    "catalog/<slug:centre_code>/": _r("catalog", "read"),
    "catalog/<slug:centre_code>/items/<str:code>/": _r("catalog", "read"),
    "catalog/<slug:centre_code>/items/<str:code>/guide.pdf": _r("catalog", "read"),
    # workdays
    "api/workdays/days/<day>": _r("workdays", "read"),
    "api/workdays/add": _r("workdays", "read"),
    "api/workdays/between": _r("workdays", "read"),
    # cases
    "api/cases/": _r("cases", "register"),
    "api/cases/mine": _r("cases", "read"),
    "api/cases/<int:case_id>": _r("cases", "read"),
    "api/cases/<int:case_id>/transition": _r("cases", "handle"),
    "api/cases/<int:case_id>/materials": _r("cases", "handle"),
    "api/cases/<int:case_id>/steps/<step_id>/complete": _r("cases", "handle"),
    "api/cases/<int:case_id>/refusal-report": _r("cases", "handle"),
    "api/cases/refusal-reports/<report_id>/acknowledge": _r("cases", "acknowledge_refusal"),
    "api/cases/<int:case_id>/extensions": _r("cases", "handle"),
    "api/cases/<int:case_id>/notices/<kind>.pdf": _r("cases", "read"),
    "api/cases/progress": _r("cases", "progress"),
    "api/cases/inquiries": _r("cases", "inquiry"),
    "api/cases/inquiries/todo": _r("cases", "inquiry"),
    "progress/": _r("cases", "progress"),
    "cases/": _r("cases", "read"),
    "cases/new/": _r("cases", "register"),
    "cases/items/": _r("cases", "register"),
    "cases/items/<int:item_id>/checklist/": _r("catalog", "read", "an item's published checklist"),
    "cases/todo/": _r("cases", "inquiry"),
    "cases/inquiries/new/": _r("cases", "inquiry"),
    "cases/inquiries/<int:inquiry_id>/answer/": _r("cases", "inquiry"),
    "cases/notifications/<int:notification_id>/read/": SELF,
    "cases/<int:case_id>/": _r("cases", "read"),
    "cases/<int:case_id>/act/": _r("cases", "handle"),
    "cases/<int:case_id>/notices/<str:kind>.pdf": _r("cases", "read"),
    # queue
    "api/queue/tickets": _r("queue", "public"),
    "api/queue/tickets/<ticket_id>": _r("queue", "public", "a ticket is public by its number"),
    "api/queue/tickets/<ticket_id>/escpos": _r("queue", "public"),
    "api/queue/tickets/<ticket_id>/priority": _r("queue", "priority"),
    "api/queue/windows/<window_id>/call-next": _r("queue", "serve"),
    "api/queue/windows/<window_id>/recall": _r("queue", "serve"),
    "api/queue/windows/<window_id>/skip": _r("queue", "serve"),
    "api/queue/windows/<window_id>/transfer": _r("queue", "serve"),
    "api/queue/windows/<window_id>/finish": _r("queue", "serve"),
    "api/queue/windows/<window_id>/pause": _r("queue", "serve"),
    "api/queue/windows/<window_id>/resume": _r("queue", "serve"),
    "api/queue/display/<hall>/snapshot": _r("queue", "public"),
    "api/queue/lines": _r("queue", "public"),
    "api/queue/appointments/slots": _r("queue", "public"),
    "api/queue/appointments": _r("queue", "public"),
    "api/queue/appointments/check-in": _r("queue", "public"),
    "api/queue/stats": _r("queue", "stats"),
    "queue/": _r("queue", "read"),
    "queue/tickets/<int:ticket_id>/": _r("queue", "public"),
    "queue/tickets/<int:ticket_id>/escpos/": _r("queue", "public"),
    "queue/windows/": _r("queue", "read"),
    "queue/windows/<int:window_id>/": _r("queue", "serve"),
    "queue/windows/<int:window_id>/<slug:action>/": _r("queue", "serve"),
    "queue/stats/": _r("queue", "stats"),
    "kiosk/<slug:hall>/": _r("queue", "public"),
    "kiosk/<slug:hall>/take/": _r("queue", "public"),
    "kiosk/<slug:hall>/check-in/": _r("queue", "public"),
    "display/<slug:hall>/": _r("queue", "public"),
    "display/<slug:hall>/snapshot/": _r("queue", "public"),
    "display/<slug:hall>/stream/": _r("queue", "public"),
    "appointments/<slug:hall>/": _r("queue", "public"),
    "appointments/<slug:hall>/home-visit/": _r("visits", "request"),
    "queue/visits/": _r("visits", "read"),
    "queue/visits/phone/": _r("visits", "request", "staff register a request taken by phone"),
    "queue/visits/assist/": _r("visits", "assist"),
    "queue/visits/<int:visit_id>/": _r("visits", "read"),
    "queue/visits/<int:visit_id>/decide/": _r("visits", "approve"),
    "queue/visits/<int:visit_id>/record/": _r("visits", "record"),
    "api/queue/visits": _r("visits", "read"),
    "api/queue/visits/home": _r("visits", "request"),
    "api/queue/visits/assisted": _r("visits", "request"),
    "api/queue/visits/assist-records": _r("visits", "assist"),
    "api/queue/visits/<visit_id>/decide": _r("visits", "approve"),
    "api/queue/visits/<visit_id>/record": _r("visits", "record"),
    # attendance
    "api/attendance/month": _r("attendance", "read"),
    "api/attendance/staff/<staff_id>": _r("attendance", "read"),
    "api/attendance/weekly": _r("attendance", "read"),
    "api/attendance/imports": _r("attendance", "correct"),
    "attendance/": _r("attendance", "read"),
    "attendance/me/": _r("attendance", "read"),
    "attendance/staff/<int:staff_id>/": _r("attendance", "read"),
    "attendance/staff/<int:staff_id>/punch/": _r("attendance", "correct"),
    "attendance/punches/<int:punch_id>/void/": _r("attendance", "correct"),
    "attendance/unit/": _r("attendance", "read"),
    "attendance/unit/<int:unit_id>/": _r("attendance", "read"),
    "attendance/centre/": _r("attendance", "read"),
    "attendance/month.xlsx": _r("attendance", "read"),
    "attendance/weekly/": _r("attendance", "read"),
    "attendance/office/": _r("attendance", "correct"),
    "attendance/office/import/": _r("attendance", "correct"),
    "attendance/office/off-post/": _r("attendance", "correct"),
    # leave
    "api/leave/requests": _r("leave", "apply"),
    "api/leave/requests/mine": _r("leave", "apply"),
    "api/leave/requests/<leave_id>": _r("leave", "read"),
    "api/leave/steps/pending": _r("leave", "decide"),
    "api/leave/steps/<step_id>/approve": _r("leave", "decide"),
    "api/leave/steps/<step_id>/reject": _r("leave", "decide"),
    "api/leave/requests/<leave_id>/cancel": _r("leave", "own"),
    "api/leave/requests/<leave_id>/return": _r("leave", "own"),
    "api/leave/requests/<leave_id>/covers": _r("leave", "own"),
    "api/leave/covers/<cover_id>/check-in": _r("leave", "check_in"),
    "api/leave/attendance-feed": _r("attendance", "read"),
    "leave/": _r("leave", "apply"),
    "leave/apply/": _r("leave", "apply"),
    "leave/approvals/": _r("leave", "decide"),
    "leave/covers/": _r("leave", "check_in"),
    "leave/covers/<int:cover_id>/check-in": _r("leave", "check_in"),
    "leave/steps/<int:step_id>/decide": _r("leave", "decide"),
    "leave/<int:leave_id>/": _r("leave", "read"),
    "leave/<int:leave_id>/attachment/": _r("leave", "read"),
    "leave/<int:leave_id>/return": _r("leave", "own"),
    "leave/<int:leave_id>/cancel": _r("leave", "own"),
    # language
    "api/language/check": _r("language", "check"),
    "language/check/": _r("language", "check"),
    "language/training/": _r("language", "check"),
    "language/review/": _r("language", "review"),
    # evaluation
    "api/evaluation/centres/<code>/complaints": _r("evaluation", "public"),
    "api/evaluation/centres/<code>/figures": _r("evaluation", "public"),
    "api/evaluation/complaints": _r("evaluation", "public"),
    "api/evaluation/ratings": _r("evaluation", "public"),
    "api/evaluation/rectifications": _r("evaluation", "handle"),
    "complaints/<slug:hall>/new/": _r("evaluation", "public"),
    "complaints/track/": _r("evaluation", "public", "needs the complaint's tracking code"),
    "pad/<slug:hall>/<str:number>/": _r("evaluation", "public"),
    "pad/<slug:hall>/<str:number>/panel/": _r("evaluation", "public"),
    "pad/<slug:hall>/<str:number>/rate/": _r("evaluation", "public"),
    "rate/": _r("evaluation", "public"),
    "satisfaction/<slug:hall>/": _r("evaluation", "public"),
    "suggestions/<slug:hall>/": _r("evaluation", "public"),
    "evaluation/": _r("evaluation", "read"),
    "evaluation/complaints/": _r("evaluation", "read"),
    "evaluation/complaints/<int:complaint_id>/": _r("evaluation", "handle"),
    "evaluation/flags/": _r("evaluation", "read"),
    "evaluation/ratings/": _r("evaluation", "read"),
    "evaluation/rectifications/": _r("evaluation", "read"),
    "evaluation/rectifications/<int:task_id>/": _r("evaluation", "handle"),
    "evaluation/suggestions/": _r("evaluation", "read"),
    "evaluation/unserved/": _r("evaluation", "read"),
    # supervision
    "supervision/": _r("supervision", "read"),
    "supervision/cards/<int:card_id>/": _r("supervision", "read"),
    "supervision/cards/<int:card_id>/act/": _r("supervision", "act"),
    "supervision/fees.xlsx": _r("supervision", "read"),
    "supervision/fees/": _r("supervision", "read"),
    "supervision/leader-days/": _r("supervision", "read"),
    "supervision/ranking.xlsx": _r("supervision", "read"),
    "supervision/ranking/": _r("supervision", "read"),
    "supervision/ranking/<int:unit_id>/notice.pdf": _r("supervision", "read"),
    # inspections
    "inspections/": _r("inspections", "read"),
    "inspections/new/": _r("inspections", "record"),
    "inspections/<int:finding_id>/": _r("inspections", "read"),
    "inspections/<int:finding_id>/photo/": _r("inspections", "read"),
    "inspections/<int:finding_id>/contest": _r("inspections", "contest"),
    "inspections/<int:finding_id>/decide": _r("inspections", "decide"),
    "api/supervision/cards": _r("supervision", "read"),
    "api/supervision/cards/<card_id>": _r("supervision", "read"),
    "api/supervision/cards/<card_id>/appeal": _r("supervision", "act"),
    "api/supervision/cards/<card_id>/decision": _r("supervision", "act"),
    "api/supervision/cards/<card_id>/reply": _r("supervision", "act"),
    "accountability/criticisms/": _r("accountability", "read"),
    "accountability/criticisms/<int:criticism_id>.pdf": _r("accountability", "read"),
    "accountability/training/": _r("accountability", "read"),
    "assessment/": _r("assessment", "read"),
    "assessment/<int:round_id>/": _r("assessment", "read"),
    "assessment/<int:round_id>/compute": _r("assessment", "handle"),
    "assessment/<int:round_id>/score": _r("assessment", "handle"),
    "assessment/<int:round_id>/sheet/<int:staff_id>/": _r("assessment", "read"),
    "assessment/<int:round_id>/unit/<int:unit_id>.<str:fmt>": _r("assessment", "read"),
    "ops/calendar/": _r("workdays", "write"),
    "rotation/": _r("rotation", "read"),
    "rotation/<int:application_id>/": _r("rotation", "read"),
    "rotation/<int:application_id>/handover": _r("rotation", "handle"),
    "rotation/<int:application_id>/reply": _r("rotation", "handle"),
    "rotation/staff/<int:staff_id>/": _r("rotation", "read"),
    "study/": _r("study", "read"),
    "study/<int:session_id>/": _r("study", "read"),
    "cases/inquiries/": _r("cases", "inquiry"),
    "favicon.ico": PUBLIC,
    "rules/": PUBLIC,
    "rules/<str:rule_id>/": PUBLIC,
    # audit log (CASE-9)
    "audit/": _r("audit", "read"),
    ".well-known/security.txt": PUBLIC,
}


# -- who is asking -----------------------------------------------------------------------------------------


def actor_role(actor: Any) -> str:
    """The matrix row of an actor: a staff role, `installation_admin` or `anonymous`."""
    if actor is None:
        return INSTALLATION_ADMIN  # the system itself: command line, demo loader, migrations
    staff = staff_of(actor)
    if staff is None:
        user = getattr(actor, "user", actor)
        if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
            return INSTALLATION_ADMIN
        return ANONYMOUS
    if not getattr(staff, "is_active", True):
        return ANONYMOUS
    return role_of(staff) or ANONYMOUS


def _policy_scope(policy: Any, key: str) -> Scope:
    access = getattr(policy, "access", None)
    value = getattr(access, key, None) if access is not None else None
    return Scope(value) if value else Scope.OWN  # the narrowest sensible default


def scope_for(actor: Any, domain: str, action: str, *, policy: Any = None) -> Scope:
    """The scope the actor's role has for (domain, action); a policy cell reads `policy.access.<key>`."""
    row = MATRIX.get((domain, action))
    if row is None:
        raise KeyError(f"no access-matrix entry for {domain}.{action}")
    cell = row.get(actor_role(actor), Scope.NONE)
    if isinstance(cell, str) and cell.startswith(POLICY):
        return _policy_scope(policy, cell.removeprefix(POLICY))
    return Scope(cell)


@dataclass(frozen=True)
class Target:
    """Where a record sits: its centre, the units it belongs to, its owner and its windows."""

    centre_id: int | None
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    owner_staff_ids: frozenset[int] = field(default_factory=frozenset)
    window_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        *,
        centre_id: int | None,
        unit_ids: Iterable[int | None] = (),
        owners: Iterable[int | None] = (),
        window_ids: Iterable[int | None] = (),
    ) -> Target:
        return cls(
            centre_id=centre_id,
            unit_ids=frozenset(u for u in unit_ids if u is not None),
            owner_staff_ids=frozenset(o for o in owners if o is not None),
            window_ids=frozenset(w for w in window_ids if w is not None),
        )


def granted_centre_ids(centre_id: int) -> set[int]:
    """Centres that granted `centre_id` management of their records (CentreGrant, active only)."""
    from servicehall.core.models import CentreGrant  # models import this module's enums

    return set(
        CentreGrant.objects.filter(grantee_centre_id=centre_id, revoked_at__isnull=True).values_list(
            "centre_id", flat=True
        )
    )


def centres_for(actor: Any, domain: str, action: str, *, policy: Any = None) -> set[int] | None:
    """Centre ids the actor may act on for (domain, action); None means every centre."""
    scope = scope_for(actor, domain, action, policy=policy)
    if scope == Scope.ALL:
        return None
    if scope == Scope.NONE:
        return set()
    staff = staff_of(actor)
    if staff is None:
        return set()
    if scope == Scope.SUPERVISED:
        return {staff.centre_id} | granted_centre_ids(staff.centre_id)
    return {staff.centre_id}


def _window_ids(staff: Any) -> set[int]:
    return set(staff.windows.values_list("pk", flat=True))


def allows(actor: Any, domain: str, action: str, target: Target, *, policy: Any = None) -> bool:
    """Whether the matrix lets the actor do (domain, action) on a record at `target`."""
    scope = scope_for(actor, domain, action, policy=policy)
    if scope == Scope.ALL:
        return True
    if scope == Scope.NONE:
        return False
    staff = staff_of(actor)
    if staff is None or target.centre_id is None:
        return False
    if scope == Scope.SUPERVISED:
        return target.centre_id == staff.centre_id or target.centre_id in granted_centre_ids(staff.centre_id)
    if target.centre_id != staff.centre_id:
        return False
    if scope == Scope.OWN_CENTRE:
        return True
    if scope == Scope.OWN_UNIT:
        return staff.unit_id is not None and staff.unit_id in target.unit_ids
    if scope == Scope.OWN_WINDOW:
        return staff.pk in target.owner_staff_ids or bool(_window_ids(staff) & target.window_ids)
    return staff.pk in target.owner_staff_ids  # Scope.OWN


def ensure(
    actor: Any,
    domain: str,
    action: str,
    target: Target,
    *,
    policy: Any = None,
    read_action: str = "read",
    what: str = "记录",
    record: bool = True,
) -> None:
    """Refuse unless allowed: NotFound when the actor may not even see the record (existence is not
    revealed, ORG-1), Forbidden when they may see it but not do this. `record=False`: the target is a
    centre-level action (an import, a new record), refused with Forbidden."""
    if allows(actor, domain, action, target, policy=policy):
        return
    readable = (domain, read_action) in MATRIX and allows(actor, domain, read_action, target, policy=policy)
    if record and not readable:
        raise NotFound(f"{what}不存在或无权查看")
    raise Forbidden("您的角色无权进行此操作", role=actor_role(actor), action=f"{domain}.{action}")


def matrix_rows() -> list[tuple[str, str, str, str]]:
    """(domain, action, role, scope) for the docs and `servicehall access matrix`."""
    out = []
    for (domain, action), row in sorted(MATRIX.items()):
        for role in (INSTALLATION_ADMIN, *STAFF_ROLES, ANONYMOUS):
            cell = row.get(role, Scope.NONE)
            out.append((domain, action, str(role), str(cell)))
    return out
