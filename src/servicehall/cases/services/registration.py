"""Registration to acceptance (申报登记 → 受理): materials, the one-time notice and the second visit, on-the-spot
corrections, deemed acceptance (CASE-1 to CASE-4)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.db import transaction

from servicehall.cases.calendars import centre_calendar
from servicehall.cases.enums import (
    PROBLEM_STATES,
    Action,
    CaseStatus,
    EventKind,
    MaterialState,
)
from servicehall.cases.errors import SecondNoticeAsksForNewItem
from servicehall.cases.lifecycle import log_event, transition_case
from servicehall.cases.models import (
    Case,
    CaseMaterial,
    Inquiry,
    NoticeLine,
    OneTimeNotice,
)
from servicehall.cases.policies import policies_for
from servicehall.cases.services.common import (
    MaterialCheck,
    _local,
    _lock,
    _lock_handled,
    _next_number,
    _now,
    _problems,
    _set_due,
    compute_due,
)
from servicehall.catalog.models import CaseType, Item
from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.errors import parse_choice as _choice
from servicehall.core.identity import IdKind, validate_id_number, validate_phone
from servicehall.core.roles import Role
from servicehall.org.models import Centre, Staff, Window

# -- registration and materials ---------------------------------------------------------------------

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read from paper
QUERY_CODE_LENGTH = 8  # 40 bits: not guessable within the CASE-10 rate limit


def new_query_code() -> str:
    """A random code printed on the acceptance notice; with the case number it opens the progress query."""
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


@transaction.atomic
def register_case(
    *,
    actor: Staff,
    item: Item,
    applicant_name: str,
    applicant_id_no: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
    applicant_id_kind: str = IdKind.RESIDENT_ID.value,
    checks: Mapping[int, MaterialCheck] | None = None,
    window: Window | None = None,
    urgent_reason: str = "",
    inquiry: Inquiry | None = None,
    at: datetime | None = None,
) -> Case:
    """申报登记 (CASE-1): the registering staff member becomes the first responsible person.

    `checks` maps `Material` ids of the item to what was found; lines not mentioned were present and in
    order. Corrections made on the spot (CASE-4) are logged one by one.
    """
    at = _now(at)
    if actor is None or actor.centre_id != item.centre_id:
        raise Forbidden("CASE-1: 只能登记本服务中心的事项")
    if actor.role not in {Role.WINDOW_STAFF, Role.CHIEF_REP, Role.CENTRE_ADMIN}:
        raise Forbidden("CASE-1: 只有窗口工作人员可以申报登记")
    if item.status != Item.Status.PUBLISHED:
        raise RuleViolation("CAT-1", "该事项未公开，不能受理登记", item=item.code)
    if not applicant_name.strip():
        raise InputError("applicant_name", "申请人姓名/名称不能为空")
    # One validator for forms, API and imports: a real number, so its tail can be a query secret (INT-2).
    applicant_id_no = validate_id_number(applicant_id_kind, applicant_id_no)
    applicant_phone = validate_phone(applicant_phone)
    if window is not None and window.centre_id != item.centre_id:
        raise InputError("window", "窗口不属于本服务中心")
    if window is None:
        window = actor.windows.order_by("number").first()
    checks = dict(checks or {})
    materials = list(item.materials.all())
    unknown = set(checks) - {m.pk for m in materials}
    if unknown:
        raise InputError("checks", f"材料不属于该事项: {sorted(unknown)}")
    policies = policies_for(item.centre)
    limit = item.promised_days
    if item.case_type == CaseType.JOINT and not limit:
        limit = policies.cases.joint_limit_working_days
    if item.case_type == CaseType.IMMEDIATE:
        limit = 0
    case = Case(
        centre=item.centre,
        item=item,
        case_type=item.case_type,
        applicant_name=applicant_name.strip(),
        applicant_id_kind=IdKind(applicant_id_kind or IdKind.RESIDENT_ID).value,
        applicant_id_no=applicant_id_no,
        applicant_phone=applicant_phone,
        applicant_address=applicant_address.strip(),
        responsible=actor,
        window=window,
        registered_at=at,
        limit_days=limit,
        urgent=bool(urgent_reason.strip()),
        urgent_reason=urgent_reason.strip(),
        policy_ref=policies.ref,
        inquiry=inquiry,
        current_step="申报登记",
        query_code=new_query_code(),
    )
    # Serialise numbering per centre (row lock on PostgreSQL) so two windows never draw the same number.
    Centre.objects.select_for_update().filter(pk=item.centre_id).first()
    case.number = _next_number(case, _local(at).date())
    transition_case(case=case, action=Action.REGISTER, actor=actor, at=at, data={"item": item.code})
    on_spot = []
    for m in materials:
        check = checks.get(m.pk, MaterialCheck(MaterialState.OK))
        state = _choice(MaterialState, check.state, f"checks.{m.pk}")
        note = check.note.strip()
        if state == MaterialState.FIXED:
            raise InputError(f"checks.{m.pk}", "登记时材料状态不能为「已补正」")
        if state == MaterialState.DEFECTIVE and not note:
            raise InputError(f"checks.{m.pk}", f"CASE-2: 材料「{m.name}」不符合要求时须写明如何补正")
        if state == MaterialState.FIXED_ON_SPOT and not note:
            raise InputError(f"checks.{m.pk}", f"CASE-4: 材料「{m.name}」当场改正须记录改正内容")
        if state == MaterialState.MISSING and not note:
            note = f"请提交{m.name}（{m.form or '原件'}{m.copies}份）" + (f"，{m.note}" if m.note else "")
        CaseMaterial.objects.create(
            case=case,
            material=m,
            position=m.position,
            name=m.name,
            required=m.required,
            state=state,
            problem=note if state != MaterialState.OK else "",
        )
        if state == MaterialState.FIXED_ON_SPOT:
            on_spot.append((m, note))
    for m, note in on_spot:
        log_event(
            case=case,
            kind=EventKind.ON_SPOT_FIX,
            actor=actor,
            reason=note,
            rule_id="CASE-4",
            data={"material": m.name},
            at=at,
        )
    if case.urgent:
        log_event(
            case=case, kind=EventKind.URGENT, actor=actor, reason=case.urgent_reason, rule_id="CASE-11", at=at
        )
    return case


@transaction.atomic
def record_materials(
    *,
    case_id: int,
    actor: Staff,
    fixed: Iterable[int] = (),
    problems: Mapping[int, MaterialCheck] | None = None,
    second_visit: bool = False,
    at: datetime | None = None,
) -> Case:
    """Record which checklist lines (CaseMaterial ids) were fixed, and any problem found (CASE-2/3/4).

    With `second_visit=True` the applicant's second visit after a notice is logged (CASE-3).
    """
    at = _now(at)
    case = _lock_handled(case_id, actor)
    if case.status not in {CaseStatus.REGISTERED, CaseStatus.CORRECTION}:
        raise RuleViolation("CASE-2", "只有登记或补正中的办件可以变更材料", status=case.status)
    lines = {m.pk: m for m in case.materials.all()}
    fixed = list(fixed)
    problems = dict(problems or {})
    for key in [*fixed, *problems]:
        if key not in lines:
            raise InputError("materials", f"材料 {key} 不属于办件 {case.number}")
    names = []
    for key in fixed:
        line = lines[key]
        line.state, line.fixed_at = MaterialState.FIXED, at
        line.save(update_fields=["state", "fixed_at"])
        names.append(line.name)
    for key, check in problems.items():
        line = lines[key]
        state = _choice(MaterialState, check.state, f"problems.{key}")
        if state == MaterialState.FIXED_ON_SPOT:
            if not check.note.strip():
                raise InputError(f"problems.{key}", "CASE-4: 当场改正须记录改正内容")
            log_event(
                case=case,
                kind=EventKind.ON_SPOT_FIX,
                actor=actor,
                reason=check.note,
                rule_id="CASE-4",
                data={"material": line.name},
                at=at,
            )
        elif state in PROBLEM_STATES and not check.note.strip():
            raise InputError(f"problems.{key}", f"CASE-2: 材料「{line.name}」须写明如何补正")
        line.state, line.problem = state, check.note.strip()
        line.save(update_fields=["state", "problem"])
    kind = EventKind.SECOND_VISIT if second_visit else EventKind.MATERIAL
    log_event(
        case=case,
        kind=kind,
        actor=actor,
        rule_id="CASE-3" if second_visit else "CASE-2",
        at=at,
        reason=("已补正: " + "、".join(names)) if names else "",
        data={"fixed": names, "problems": [lines[k].name for k in problems]},
    )
    return case


@transaction.atomic
def issue_one_time_notice(
    *, case_id: int, actor: Staff, note: str = "", at: datetime | None = None
) -> OneTimeNotice:
    """一次性告知书 listing every missing or defective line, numbered (CASE-2).

    The first notice must come within the policy's working days of registration. A later notice may only
    repeat lines of the first one (一次告知、两次终结, CASE-3).
    """
    at = _now(at)
    case = _lock_handled(case_id, actor)
    policies = policies_for(case.centre)
    problems = _problems(case)
    if not problems:
        raise RuleViolation("CASE-2", "材料齐全，无需一次性告知，应予受理", case=case.number)
    first = case.notices.order_by("sequence").first()
    if first is None:
        limit = policies.cases.notice_deadline_working_days
        last_day = (
            centre_calendar()
            .with_provisional_years()
            .add_working_days(_local(case.registered_at).date(), limit)
        )
        if _local(at).date() > last_day:
            raise RuleViolation(
                "CASE-2",
                f"一次性告知须在收到材料后 {limit} 个工作日内（{last_day:%Y-%m-%d} 前）作出；"
                "逾期不告知的，自收到申请材料之日起即为受理",
                last_day=last_day.isoformat(),
            )
    else:
        listed = set(first.lines.values_list("case_material_id", flat=True))
        new = [m.name for m in problems if m.pk not in listed]
        if new:
            raise SecondNoticeAsksForNewItem(names=new)
    sequence = (case.notices.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
    case.current_step = "等待补正材料"
    transition_case(
        case=case,
        action=Action.REQUEST_CORRECTION,
        actor=actor,
        at=at,
        reason=note,
        data={"items": [m.name for m in problems], "sequence": sequence},
        update_fields=("current_step",),
    )
    notice = OneTimeNotice.objects.create(
        case=case,
        sequence=sequence,
        issued_at=at,
        issued_by=actor,
        legal_basis=policies.cases.notice_legal_basis,
        note=note,
        policy_ref=policies.ref,
    )
    for position, m in enumerate(problems, start=1):
        NoticeLine.objects.create(
            notice=notice, position=position, case_material=m, state=m.state, what_to_fix=m.problem or m.name
        )
    log_event(
        case=case,
        kind=EventKind.NOTICE,
        actor=actor,
        rule_id="CASE-2",
        at=at,
        reason=f"第{sequence}次一次性告知",
        data={"notice": notice.pk},
    )
    return notice


@transaction.atomic
def accept_case(*, case_id: int, actor: Staff, at: datetime | None = None) -> Case:
    """受理 (CASE-1): only with every required material present and in order (CASE-2); starts the clock."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    problems = _problems(case)
    if problems:
        raise RuleViolation(
            "CASE-2",
            "材料不齐全或不符合法定形式，不能受理: " + "、".join(m.name for m in problems),
            missing=", ".join(m.name for m in problems),
        )
    case.accepted_at = at
    case.current_step = "已受理"
    due_facts = _set_due(case, today=_local(at).date())
    transition_case(
        case=case,
        action=Action.ACCEPT,
        actor=actor,
        at=at,
        data=due_facts,
        update_fields=("accepted_at", "due_on", "due_provisional", "current_step"),
    )
    return case


def notice_last_day(case: Case) -> date:
    """The last working day for the one-time notice (CASE-2), counted from registration."""
    limit = policies_for(case.centre).cases.notice_deadline_working_days
    return (
        centre_calendar().with_provisional_years().add_working_days(_local(case.registered_at).date(), limit)
    )


@transaction.atomic
def deem_accepted(*, case_id: int, at: datetime | None = None) -> Case:
    """受理 by law (CASE-2): a registered case whose notice limit passed without a one-time notice counts
    as accepted from the day the materials were received; the clock starts from registration.

    Called by the supervision sweep (no actor); refused while the limit has not passed or a notice exists.
    """
    at = _now(at)
    case = _lock(case_id)
    if case.status != CaseStatus.REGISTERED:
        raise RuleViolation("CASE-2", "只有申报登记状态的办件才会逾期视为受理", status=case.status)
    if case.notices.exists():
        raise RuleViolation("CASE-2", "已出具一次性告知书，不能视为受理")
    last = notice_last_day(case)
    if _local(at).date() <= last:
        raise RuleViolation(
            "CASE-2", f"一次性告知期限至 {last:%Y-%m-%d}，尚未逾期", last_day=last.isoformat()
        )
    case.accepted_at = case.registered_at
    case.current_step = "逾期未告知，视为受理"
    case.due_on = compute_due(case, today=_local(at).date())
    transition_case(
        case=case,
        action=Action.DEEM_ACCEPT,
        actor=None,
        at=at,
        reason=f"一次性告知期限 {last:%Y-%m-%d} 已过且未告知，自收到申请材料之日起即为受理",
        data={
            "due_on": str(case.due_on),
            "last_notice_day": last.isoformat(),
            "accepted_from": "registered_at",
        },
        update_fields=("accepted_at", "due_on", "current_step"),
    )
    return case
