"""Reads of the case domain; every selector takes the viewer, so unit scoping lives in one place."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from servicehall.cases.enums import CLOCK_STATUSES, OPEN_STATUSES, CaseStatus
from servicehall.cases.masking import last4, mask_id, mask_name, mask_phone
from servicehall.cases.models import Case, CaseEvent, id_lookup_hashes, id_tail_hash
from servicehall.core import access
from servicehall.core.errors import NotFound
from servicehall.core.identity import is_valid_phone
from servicehall.core.roles import CENTRE_WIDE, role_of, staff_of, visible_unit_ids
from servicehall.org.models import Staff
from servicehall.policy_versions.selectors import policy_for_centre


def _with_order(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Urgent first (CASE-11), then due soonest; cases without a due date last."""
    return qs.annotate(
        has_due=When_(When(due_on__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-urgent", "has_due", F("due_on").asc(nulls_last=True), "registered_at")


def window_staff_case_scope(centre_id: int) -> str:
    """The policy value `access.window_staff_cases` in force at the centre (INT-2): own (default),
    own_window or own_unit."""
    return policy_for_centre(centre_id=centre_id).access.window_staff_cases


def _window_staff_filter(staff: Any, scope: str) -> Q:
    """Cases a window staff member sees (INT-2): the ones they are responsible for and their unit's open
    steps of joint cases (their own work), widened by the policy to their windows' or unit's cases."""
    mine = Q(responsible=staff)
    if staff.unit_id:
        mine |= Q(steps__unit_id=staff.unit_id, steps__done_at__isnull=True, status=CaseStatus.IN_PROGRESS)
    if scope == "own_window":
        mine |= Q(window__in=staff.windows.all())
    elif scope == "own_unit" and staff.unit_id:
        mine |= Q(item__unit_id=staff.unit_id) | Q(steps__unit_id=staff.unit_id)
    return mine


def case_exists(*, case_id: int) -> bool:
    """Whether a case with this number is registered (any centre): the queue links a finished ticket to it."""
    return Case.objects.filter(pk=case_id).exists()


def cases_visible_to(*, viewer: Any) -> QuerySet[Case]:
    """Cases the viewer may see: centre roles all of their centre, chief reps their units' cases, window
    staff their own cases (or their windows' / unit's, as the policy `access.window_staff_cases` says)."""
    staff = staff_of(viewer)
    qs = Case.objects.select_related("item", "item__unit", "responsible", "window", "centre")
    if staff is None:
        return qs if role_of(viewer) == "centre_admin" else qs.none()
    qs = qs.filter(centre_id=staff.centre_id)
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if units is None:
        return qs
    if role_of(viewer) == "window_staff":
        return qs.filter(_window_staff_filter(staff, window_staff_case_scope(staff.centre_id))).distinct()
    unit_filter = Q(item__unit_id__in=units) | Q(steps__unit_id__in=units)
    return qs.filter(unit_filter).distinct()


def may_see_personal_data(*, viewer: Any, case: Case) -> bool:
    """Whether the viewer sees the applicant's ID number and phone unmasked (INT-2, access matrix cell
    ("cases", "personal_data")): the case's own handler, its unit's chief rep, the centre office; not the
    supervision office or the auditor, who get them masked."""
    target = case_target(case)
    return access.allows(
        viewer, "cases", "personal_data", target, policy=policy_for_centre(centre_id=case.centre_id)
    )


def applicant_contact(*, viewer: Any, case: Case) -> tuple[str, str]:
    """(phone, ID number) as the viewer may see them: in full for the case's handlers, masked for
    everyone else, the auditor and supervision included (INT-2)."""
    phone, id_no = case.applicant_phone, case.applicant_id_no
    if may_see_personal_data(viewer=viewer, case=case):
        return phone, id_no
    return mask_phone(phone), mask_id(id_no)


def cases_of_applicant(*, viewer: Any, id_no: str) -> QuerySet[Case]:
    """The viewer's cases of the applicant with this ID number (same applicant, search): matched on the
    keyed hash (INT-2), so no row is decrypted; the ID number column is not even loaded."""
    full_hash, _tail = id_lookup_hashes("", id_no)
    if not full_hash:
        return Case.objects.none()
    return cases_visible_to(viewer=viewer).filter(applicant_id_hash=full_hash).defer("applicant_id_no")


def case_target(case: Case) -> access.Target:
    """Where a case sits for the access matrix: its centre, units (item's, joint units'), handler, window."""
    units = [case.item.unit_id]
    if case.case_type == "joint":
        units += list(case.item.joint_units.values_list("id", flat=True))
    return access.Target.of(
        centre_id=case.centre_id, unit_ids=units, owners=[case.responsible_id], window_ids=[case.window_id]
    )


def my_cases(*, viewer: Any, include_closed: bool = False) -> QuerySet[Case]:
    """Open cases owned by the viewer or waiting for a step of their unit: urgent, then due soonest.
    The centre office, supervision and auditors watch the whole centre, so theirs are all of its cases."""
    staff = staff_of(viewer)
    if staff is None:
        return Case.objects.none()
    if role_of(viewer) in CENTRE_WIDE:
        qs = cases_visible_to(viewer=viewer)
    else:
        qs = Case.objects.select_related("item", "responsible", "window").filter(centre_id=staff.centre_id)
        qs = qs.filter(_window_staff_filter(staff, "own")).distinct()
    if not include_closed:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return _with_order(qs)


def get_case(*, viewer: Any, case_id: int) -> Case:
    """A case the viewer may see, else NotFound (existence is not revealed)."""
    case = cases_visible_to(viewer=viewer).filter(pk=case_id).first()
    if case is None:
        raise NotFound("办件不存在或无权查看", case_id=case_id)
    return case


def is_overdue(case: Case, *, today: date | None = None) -> bool:
    """CASE-6: an open case past its due date."""
    today = today or timezone.localdate()
    return case.status in CLOCK_STATUSES and case.due_on is not None and case.due_on < today


def overdue_cases(*, centre_id: int, today: date | None = None) -> QuerySet[Case]:
    """Open cases past their due date in a centre (CASE-6 超时默认), for the supervision office."""
    today = today or timezone.localdate()
    return _with_order(
        Case.objects.select_related("item", "item__unit", "responsible", "window").filter(
            centre_id=centre_id, status__in=CLOCK_STATUSES, due_on__lt=today
        )
    )


# -- public progress query (CASE-10, INT-2) ------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage of the public timeline (CASE-10): 申报登记 → 受理 → 审查 → 办结.

    `state` is done, current, pending or stopped (refused or returned); `on` is the day it happened, or for
    a pending 办结 the promised day (`provisional` when the working-day calendar of that year is not loaded)."""

    name: str
    state: str
    on: date | None = None
    note: str = ""
    provisional: bool = False


def _local_day(at: datetime | None) -> date | None:
    return timezone.localtime(at).date() if at else None


def _reached_on(case: Case, status: CaseStatus) -> date | None:
    """The day the case last entered `status`, from its timeline (CASE-9)."""
    event = CaseEvent.objects.filter(case=case, to_status=status).order_by("-at", "-id").first()
    return _local_day(event.at) if event else _local_day(case.concluded_at)


def progress_stages(case: Case) -> tuple[Stage, ...]:
    """The case's stages as the citizen's timeline shows them (CASE-10, CASE-5 for the promised day)."""
    status = CaseStatus(case.status)
    stages = [Stage("申报登记", "done", _local_day(case.registered_at))]
    if status == CaseStatus.REFUSED:
        return (
            *stages,
            Stage("受理", "stopped", _reached_on(case, status), "不予受理，请按决定书所列途径办理"),
        )
    if case.accepted_at is None:
        note = "请按一次性告知书补正材料" if status == CaseStatus.CORRECTION else "等待窗口受理"
        stages.append(Stage("受理", "current", None, note))
    else:
        stages.append(Stage("受理", "done", _local_day(case.accepted_at)))
    concluded = status in (CaseStatus.DONE, CaseStatus.DELIVERED, CaseStatus.RETURNED)
    ended = (_local_day(case.concluded_at) or _reached_on(case, status)) if concluded else None
    if concluded:
        stages.append(Stage("审查", "done", ended))
    elif case.accepted_at is not None:
        stages.append(Stage("审查", "current", _local_day(case.accepted_at), case.current_step))
    else:
        stages.append(Stage("审查", "pending"))
    if status == CaseStatus.RETURNED:
        stages.append(Stage("办结", "stopped", ended, "已退回"))
    elif concluded:
        stages.append(Stage("办结", "done", ended))
    else:
        stages.append(Stage("办结", "pending", case.due_on, "承诺办结日期", case.due_provisional))
    if case.delivered_at is not None:
        stages.append(Stage("送达", "done", _local_day(case.delivered_at)))
    return tuple(stages)


@dataclass(frozen=True)
class Progress:
    """What the public sees of a case: no name, ID or phone (INT-2)."""

    number: str
    item: str
    unit: str
    status: str
    current_step: str
    due_on: date | None
    due_provisional: bool
    applicant: str
    window: str
    window_location: str
    responsible: str
    registered_on: date
    urgent: bool
    steps: tuple[tuple[str, bool], ...]
    stages: tuple[Stage, ...] = ()


def opens_case(case: Case | None, code: str) -> bool:
    """Whether `code` opens `case` in the progress query (CASE-10): its query code, or the last four
    characters of a *validated* phone or ID number. A missing or invalid value gives no secret, so an
    empty or placeholder code never matches (INT-2).

    The ID number is encrypted: its tail is compared as a keyed hash (one HMAC of the code), never by
    decrypting. The same three constant-time comparisons run whether or not the case exists."""
    code = "".join((code or "").split()).upper()
    code_hash = id_tail_hash(code)
    if case is None:
        expected = [secrets.token_hex(8)] * 3
    else:
        query = case.query_code.upper() if len(case.query_code) >= 8 else ""
        phone = last4(case.applicant_phone) if is_valid_phone(case.applicant_phone) else ""
        expected = [query, phone, case.applicant_id_tail_hash]
    given = [code, code, code_hash]
    matched = False
    for want, got in zip(expected, given, strict=True):
        ok = hmac.compare_digest((want or "-").encode(), got.encode())
        matched = matched or (ok and bool(want) and len(code) >= 4)
    return case is not None and matched


def progress_lookup(*, number: str, code: str) -> Progress | None:
    """The case with `number` opened by `code` (see `opens_case`); else None.

    An unknown number and a wrong code give the same None. The ID number column is not even loaded.
    """
    number = (number or "").strip()
    case = (
        Case.objects.select_related("item", "item__unit", "window", "responsible")
        .defer("applicant_id_no")
        .filter(number=number)
        .first()
        if number
        else None
    )
    if not opens_case(case, code) or case is None:
        return None
    window = case.window
    return Progress(
        number=case.number,
        item=case.item.name,
        unit=str(case.item.unit),
        status=CaseStatus(case.status).label,
        current_step=case.current_step,
        due_on=case.due_on,
        due_provisional=case.due_provisional,
        applicant=mask_name(case.applicant_name),
        window=f"{window.number}号窗口 {window.name}" if window else "",
        window_location=window.place if window else "",
        responsible=case.responsible.name,
        registered_on=timezone.localtime(case.registered_at).date(),
        urgent=case.urgent,
        steps=tuple((str(s.unit), s.done_at is not None) for s in case.steps.select_related("unit")),
        stages=progress_stages(case),
    )


def staff_choices(*, viewer: Any) -> QuerySet[Staff]:
    staff = staff_of(viewer)
    if staff is None:
        return Staff.objects.none()
    return Staff.objects.filter(centre_id=staff.centre_id, is_active=True).order_by("unit_id", "name")


CASE_FILTERS = {"open": "在办", "closed": "已办结/已退回", "overdue": "已超期", "urgent": "急办"}


def case_list(
    *, viewer: Any, q: str = "", status: str = "", flag: str = "", today: date | None = None
) -> QuerySet[Case]:
    """The viewer's cases in every state (history included), searched by number or applicant, filtered by
    a status or one of CASE_FILTERS (`overdue` is CASE-6: open and past its due date, as the dashboard counts)."""
    today = today or timezone.localdate()
    qs = my_cases(viewer=viewer, include_closed=True).defer("applicant_id_no")  # a list decrypts nothing
    q = q.strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q) | Q(item__name__icontains=q))
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    if flag == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif flag == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif flag == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif flag == "urgent":
        qs = qs.filter(urgent=True)
    return qs
