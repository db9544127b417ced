"""All writes of the case domain (办件): registration to delivery, the clock, refusals (consultation: see
`servicehall.consultation`).

Every service is keyword-only and atomic; status changes go through `lifecycle.transition_case`, other
steps through `lifecycle.log_event`, so the timeline (CASE-9) is complete.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from servicehall.cases import deadlines
from servicehall.cases.calendars import centre_calendar
from servicehall.cases.enums import (
    PROBLEM_STATES,
    Action,
    CaseStatus,
    DeliveryMethod,
    EventKind,
    MaterialState,
    Outcome,
    PauseKind,
    RefusalKind,
)
from servicehall.cases.errors import SecondNoticeAsksForNewItem
from servicehall.cases.lifecycle import log_event, transition_case
from servicehall.cases.models import (
    Case,
    CaseExtension,
    CaseMaterial,
    CasePause,
    Inquiry,
    NoticeLine,
    OneTimeNotice,
    RefusalReport,
    UnitStep,
)
from servicehall.cases.policies import policies_for
from servicehall.cases.selectors import case_target
from servicehall.catalog.models import CaseType, Item
from servicehall.core import access
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.errors import parse_choice as _choice
from servicehall.core.identity import IdKind, validate_id_number, validate_phone
from servicehall.core.roles import Role
from servicehall.org.models import Centre, Staff, Window
from servicehall.policy_versions.selectors import policy_for_centre

CENTRE_OFFICE = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True, slots=True)
class MaterialCheck:
    """How one checklist line was found at the window: state plus what to fix / what was corrected."""

    state: MaterialState | str  # validated by the service
    note: str = ""


# -- helpers -----------------------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _local(at: datetime) -> datetime:
    return timezone.localtime(at) if timezone.is_aware(at) else at


def _lock(case_id: int) -> Case:
    try:
        return Case.objects.select_for_update().select_related("item", "centre").get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound("办件不存在", case_id=case_id) from None


def case_unit_ids(case: Case) -> set[int]:
    units = {case.item.unit_id}
    if case.case_type == CaseType.JOINT:
        units |= set(case.item.joint_units.values_list("id", flat=True))
    return units


def _ensure_may_handle(actor: Staff, case: Case) -> None:
    """The responsible person (CASE-1), the unit's chief rep, the centre office; window staff colleagues
    only as far as the policy `access.window_staff_cases` lets them (INT-2). A case the actor may not
    even see answers NotFound, like an absent one."""
    if actor is None or actor.centre_id != case.centre_id or not actor.is_active:
        raise NotFound("办件不存在", case_id=case.pk)
    policy = policy_for_centre(centre_id=case.centre_id)
    if actor.pk == case.responsible_id:
        return
    access.ensure(actor, "cases", "handle", case_target(case), policy=policy, what="办件")


def _problems(case: Case) -> list[CaseMaterial]:
    return [m for m in case.materials.all() if m.required and m.state in PROBLEM_STATES]


def _extension_cap(case: Case) -> int:
    policy = policies_for(case.centre).cases
    if case.case_type == CaseType.JOINT:
        return policy.joint_extension_cap_working_days
    if case.case_type == CaseType.REPORTED:
        return policy.reported_extension_cap_working_days
    return policy.promised_extension_cap_working_days


def compute_due_date(case: Case, *, today: date | None = None) -> deadlines.DueDate | None:
    """The case's due date from its acceptance, pauses and extensions (CASE-5); None before acceptance.

    A pause still open is counted up to `today` (the date moves each day until the clock resumes).
    A due date counted over a year whose calendar is not loaded is provisional, never refused.
    """
    if case.accepted_at is None:
        return None
    today = today or timezone.localdate()
    pauses = [
        deadlines.Pause(p.starts_on, p.ends_on or max(today, p.starts_on), p.reason)
        for p in case.pauses.all()
    ]
    extensions = [deadlines.Extension(e.working_days, e.reason, True) for e in case.extensions.all()]
    closing = policies_for(case.centre).cases.closing_time
    return deadlines.due_date(
        _local(case.accepted_at).replace(tzinfo=None),
        case.limit_days,
        pauses,
        extensions,
        centre_calendar(),
        closing=closing,
    )


def compute_due(case: Case, *, today: date | None = None) -> date | None:
    due = compute_due_date(case, today=today)
    return None if due is None else due.on


def _set_due(case: Case, *, today: date | None = None) -> dict[str, object]:
    """Put the due date and its provisional flag on `case`; the facts for the case log."""
    due = compute_due_date(case, today=today)
    case.due_on = None if due is None else due.on
    case.due_provisional = due is not None and due.provisional
    if due is None or not due.provisional:
        return {"due_on": str(case.due_on)}
    return {"due_on": str(case.due_on), "provisional": True, "rule": due.rule,
            "unloaded_years": list(due.provisional_years)}  # fmt: skip


@transaction.atomic
def recompute_provisional_due_dates(
    *, actor: Staff | None = None, reason: str = ""
) -> list[tuple[Case, date, date]]:
    """Recount every provisional due date on the calendar as it is now (CASE-5), e.g. after a year's
    notice was loaded. Each change is logged on the case with the rule it was counted by; a date
    still over an unloaded year stays provisional. Returns (case, before, after) for the changed ones."""
    changed: list[tuple[Case, date, date]] = []
    for case in Case.objects.select_for_update().filter(due_provisional=True).order_by("pk"):
        before = case.due_on
        facts = _set_due(case)
        case.save(update_fields=["due_on", "due_provisional"])
        if case.due_on != before or not case.due_provisional:
            log_event(
                case=case,
                kind=EventKind.RECOMPUTE_DUE,
                actor=actor,
                reason=reason or "工作日历已加载，重新计算办结期限",
                rule_id="CASE-5",
                data={**facts, "before": str(before),
                      "counted_by": deadlines.PROVISIONAL_RULE if case.due_provisional else "CASE-5 工作日历"},  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
            )  # fmt: skip
            changed.append((case, before, case.due_on))  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner
    return changed


def _next_number(case: Case, day: date) -> str:
    prefix = f"{day:%Y%m%d}{case.centre_id:03d}"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _refusal_ready(report: RefusalReport, *, at: datetime) -> bool:
    """否定事项报备: issued after the centre acknowledged it or after the waiting time (CASE-7)."""
    if report.acknowledged_at is not None:
        return True
    wait = policies_for(report.case.centre).cases.refusal_report_wait_working_days
    reported = _local(report.reported_at)
    ready_day = centre_calendar().with_provisional_years().add_working_days(reported.date(), wait)
    ready_at = timezone.make_aware(datetime.combine(ready_day, reported.time().replace(tzinfo=None)))
    return at >= ready_at


def _ready_report(case: Case, kind: RefusalKind, *, at: datetime) -> RefusalReport:
    report = case.refusal_reports.filter(kind=kind, issued_at__isnull=True).order_by("-reported_at").first()
    if report is None:
        raise RuleViolation("CASE-7", f"{kind.label}须先进行否定事项报备（登记并报中心）", case=case.number)
    if not _refusal_ready(report, at=at):
        raise RuleViolation(
            "CASE-7", "否定事项报备尚未经中心确认，且未过等待期限，暂不能出具决定书", report_id=report.pk
        )
    return report


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
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
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
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
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
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
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


def _ensure_centre_office(actor: Staff, case: Case, rule_id: str) -> None:
    if actor is None or actor.centre_id != case.centre_id or actor.role not in CENTRE_OFFICE:
        raise Forbidden(f"{rule_id}: 只有效能监察室或中心管理办可以督办")


@transaction.atomic
def urge_case(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """超时默认, first step (CASE-6): the supervision office urges the window to finish at once (logged)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_centre_office(actor, case, "CASE-6")
    if not case.is_open or case.due_on is None or case.due_on >= _local(at).date():
        raise RuleViolation("CASE-6", "只有已超过办结期限的在办件可以督促办理", due_on=str(case.due_on))
    log_event(
        case=case,
        kind=EventKind.URGE,
        actor=actor,
        reason=note.strip() or "超时默认：督促窗口立即办理",
        rule_id="CASE-6",
        at=at,
        data={"due_on": str(case.due_on)},
    )
    return case


@transaction.atomic
def approve_by_default(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """超时默认 (CASE-6): an overdue case of an item that allows it is approved by default and its result
    issued by the centre. The caller checks the centre's policy allows default approval."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_centre_office(actor, case, "CASE-6")
    if case.due_on is None or case.due_on >= _local(at).date():
        raise RuleViolation("CASE-6", "未超过办结期限，不能超时默认", due_on=str(case.due_on))
    if not case.item.default_approval:
        raise RuleViolation("CASE-6", f"事项「{case.item.name}」不适用超时默认，只能督促办理")
    if not case.events.filter(kind=EventKind.URGE).exists():
        raise RuleViolation("CASE-6", "超时默认前须先督促窗口立即办理")
    note = note.strip() or "超时默认：由中心直接核发证照"
    case.outcome, case.concluded_at, case.decision_note = Outcome.APPROVED, at, note
    case.current_step = "超时默认办结，待送达"
    transition_case(
        case=case,
        action=Action.DEFAULT_APPROVE,
        actor=actor,
        at=at,
        reason=note,
        data={"outcome": Outcome.APPROVED.value, "due_on": str(case.due_on)},
        update_fields=("outcome", "concluded_at", "decision_note", "current_step"),
    )
    return case


@transaction.atomic
def start_processing(*, case_id: int, actor: Staff, at: datetime | None = None) -> Case:
    """办理: one step per unit; a 联办件 gets a step for each joint unit, run in parallel (CAT-2)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    units = [case.item.unit]
    if case.case_type == CaseType.JOINT:
        units += [u for u in case.item.joint_units.all() if u.pk != case.item.unit_id]
    for unit in units:
        UnitStep.objects.get_or_create(case=case, unit=unit, defaults={"name": f"{unit}审查办理"})
    case.current_step = "、".join(str(u) for u in units) + " 办理中"
    transition_case(
        case=case,
        action=Action.START,
        actor=actor,
        at=at,
        data={"units": [u.pk for u in units]},
        update_fields=("current_step",),
    )
    return case


@transaction.atomic
def complete_unit_step(*, step_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> UnitStep:
    """A unit finishes its part (CAT-2); the case may conclude once every unit has."""
    at = _now(at)
    try:
        step = UnitStep.objects.select_for_update().get(pk=step_id)
    except UnitStep.DoesNotExist:
        raise NotFound("办理环节不存在", step_id=step_id) from None
    case = _lock(step.case_id)
    if case.status != CaseStatus.IN_PROGRESS:
        raise RuleViolation("CAT-2", "只有办理中的办件可以完成单位环节", status=case.status)
    if actor.centre_id != case.centre_id or (
        actor.role not in CENTRE_OFFICE and actor.unit_id != step.unit_id
    ):
        raise Forbidden("CAT-2: 只有该单位人员可以完成本单位的办理环节")
    if step.done_at is not None:
        raise RuleViolation("CASE-9", "该单位环节已完成，不能重复完成", step_id=step.pk)
    step.done_at, step.done_by, step.note = at, actor, note
    step.save(update_fields=["done_at", "done_by", "note"])
    pending = list(case.steps.filter(done_at__isnull=True).select_related("unit"))
    case.current_step = ("、".join(str(s.unit) for s in pending) + " 办理中") if pending else "待办结"
    case.save(update_fields=["current_step"])
    log_event(
        case=case,
        kind=EventKind.STEP,
        actor=actor,
        reason=note,
        rule_id="CAT-2",
        at=at,
        data={"unit": step.unit_id, "pending": len(pending)},
    )
    return step


def _ensure_steps_done(case: Case) -> None:
    pending = list(case.steps.filter(done_at__isnull=True).select_related("unit"))
    if pending:
        raise RuleViolation(
            "CAT-2", "并联审批尚未全部完成: " + "、".join(str(s.unit) for s in pending), pending=len(pending)
        )


@transaction.atomic
def report_up(*, case_id: int, actor: Staff, reason: str = "", at: datetime | None = None) -> Case:
    """上报件: after the centre's units finish, the decision goes up (CAT-2)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    if case.case_type != CaseType.REPORTED:
        raise RuleViolation("CAT-2", "只有上报件可以上报上级决定", case_type=case.case_type)
    _ensure_steps_done(case)
    case.current_step = "已上报，等待上级决定"
    transition_case(
        case=case, action=Action.REPORT_UP, actor=actor, at=at, reason=reason, update_fields=("current_step",)
    )
    return case


@transaction.atomic
def conclude_case(
    *, case_id: int, actor: Staff, outcome: str, note: str = "", at: datetime | None = None
) -> Case:
    """办结: approved, or not approved after a refusal report (CASE-7); every unit step done (CAT-2)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    outcome = _choice(Outcome, outcome, "outcome")
    _ensure_steps_done(case)
    data: dict[str, object] = {"outcome": outcome.value}
    if outcome == Outcome.NOT_APPROVED:
        report = _ready_report(case, RefusalKind.NOT_APPROVED, at=at)
        report.issued_at = at
        report.save(update_fields=["issued_at"])
        note = note or report.reasons
        data["refusal_report"] = report.pk
    case.outcome, case.concluded_at, case.decision_note = outcome, at, note
    case.current_step = "已办结，待送达"
    transition_case(
        case=case,
        action=Action.CONCLUDE,
        actor=actor,
        at=at,
        reason=note,
        data=data,
        update_fields=("outcome", "concluded_at", "decision_note", "current_step"),
    )
    return case


@transaction.atomic
def complete_on_the_spot(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """即办件: registered and finished in the same visit, materials complete (CAT-2)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    if case.case_type != CaseType.IMMEDIATE:
        raise RuleViolation("CAT-2", "只有即办件可以当场办结", case_type=case.case_type)
    if _local(at).date() != _local(case.registered_at).date():
        raise RuleViolation("CAT-2", "即办件须在登记当次办结；已过登记当日，请按承诺件办理")
    problems = _problems(case)
    if problems:
        raise RuleViolation("CASE-2", "材料不齐全，不能当场办结: " + "、".join(m.name for m in problems))
    case.accepted_at = case.concluded_at = at
    case.due_on = _local(at).date()
    case.outcome, case.decision_note, case.current_step = Outcome.APPROVED, note, "已办结，待送达"
    transition_case(
        case=case,
        action=Action.COMPLETE_ON_SPOT,
        actor=actor,
        at=at,
        reason=note,
        update_fields=("accepted_at", "concluded_at", "due_on", "outcome", "decision_note", "current_step"),
    )
    return case


@transaction.atomic
def deliver_case(
    *,
    case_id: int,
    actor: Staff,
    method: str,
    postal_address: str = "",
    tracking_no: str = "",
    at: datetime | None = None,
) -> Case:
    """送达: picked up at the window or posted, as the applicant chose (CASE-8)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    method = _choice(DeliveryMethod, method, "method")
    if method == DeliveryMethod.POST and not (postal_address.strip() or case.applicant_address):
        raise InputError("postal_address", "CASE-8: 邮寄送达须填写邮寄地址")
    case.delivery_method, case.delivered_at = method, at
    case.postal_address = postal_address.strip() or (
        case.applicant_address if method == DeliveryMethod.POST else ""
    )
    case.tracking_no = tracking_no.strip()
    case.current_step = method.label
    transition_case(
        case=case,
        action=Action.DELIVER,
        actor=actor,
        at=at,
        data={"method": method.value},
        update_fields=("delivery_method", "delivered_at", "postal_address", "tracking_no", "current_step"),
    )
    return case


# -- refusal and return ------------------------------------------------------------------------------


@transaction.atomic
def report_refusal(
    *, case_id: int, actor: Staff, kind: str, reasons: str, legal_basis: str, at: datetime | None = None
) -> RefusalReport:
    """否定事项报备 (CASE-7): register the intended refusal and report it to the centre first."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    kind = _choice(RefusalKind, kind, "kind")
    if not reasons.strip():
        raise InputError("reasons", "CASE-7: 不予受理/不予许可须写明理由")
    if not legal_basis.strip():
        raise InputError("legal_basis", "CASE-7: 不予受理/不予许可须写明法律依据")
    expected = (
        {CaseStatus.REGISTERED, CaseStatus.CORRECTION}
        if kind == RefusalKind.NOT_ACCEPTED
        else {CaseStatus.IN_PROGRESS, CaseStatus.REPORTED}
    )
    if case.status not in expected:
        raise RuleViolation("CASE-7", f"办件当前状态不能报备{kind.label}", status=case.status)
    policies = policies_for(case.centre)
    report = RefusalReport.objects.create(
        case=case,
        kind=kind,
        reasons=reasons.strip(),
        legal_basis=legal_basis.strip(),
        reported_at=at,
        reported_by=actor,
        policy_ref=policies.ref,
    )
    log_event(
        case=case,
        kind=EventKind.REFUSAL_REPORT,
        actor=actor,
        reason=reasons,
        rule_id="CASE-7",
        at=at,
        data={"report": report.pk, "kind": kind.value},
    )
    return report


@transaction.atomic
def acknowledge_refusal_report(*, report_id: int, actor: Staff, at: datetime | None = None) -> RefusalReport:
    """The centre office acknowledges a refusal report (CASE-7)."""
    at = _now(at)
    try:
        report = RefusalReport.objects.select_for_update().select_related("case").get(pk=report_id)
    except RefusalReport.DoesNotExist:
        raise NotFound("报备不存在", report_id=report_id) from None
    if actor is None or actor.centre_id != report.case.centre_id or actor.role not in CENTRE_OFFICE:
        raise Forbidden("CASE-7: 否定事项报备由中心管理办确认")
    if report.acknowledged_at is None:
        report.acknowledged_at, report.acknowledged_by = at, actor
        report.save(update_fields=["acknowledged_at", "acknowledged_by"])
        log_event(
            case=report.case,
            kind=EventKind.REFUSAL_REPORT,
            actor=actor,
            rule_id="CASE-7",
            at=at,
            reason="中心已确认否定事项报备",
            data={"report": report.pk},
        )
    return report


@transaction.atomic
def refuse_case(*, case_id: int, actor: Staff, at: datetime | None = None) -> Case:
    """不予受理 with the written decision (CASE-7): only after the report was acknowledged or waited out."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    report = _ready_report(case, RefusalKind.NOT_ACCEPTED, at=at)
    report.issued_at = at
    report.save(update_fields=["issued_at"])
    case.outcome, case.concluded_at, case.decision_note = "", at, report.reasons
    case.current_step = "不予受理"
    transition_case(
        case=case,
        action=Action.REFUSE,
        actor=actor,
        at=at,
        reason=report.reasons,
        data={"refusal_report": report.pk},
        update_fields=("concluded_at", "decision_note", "current_step", "outcome"),
    )
    return case


@transaction.atomic
def return_case(*, case_id: int, actor: Staff, reason: str, at: datetime | None = None) -> Case:
    """退件: only with a detailed reason (CASE-7, 002/篇2 §八(二) 不得随意、无正当理由退件)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    minimum = policies_for(case.centre).cases.return_reason_min_chars
    if len(reason.strip()) < minimum:
        raise RuleViolation(
            "CASE-7", f"退件须详细说明理由（至少 {minimum} 个字）", length=len(reason.strip())
        )
    case.current_step, case.decision_note, case.concluded_at = "已退回", reason.strip(), at
    transition_case(
        case=case,
        action=Action.RETURN,
        actor=actor,
        at=at,
        reason=reason.strip(),
        update_fields=("current_step", "decision_note", "concluded_at"),
    )
    return case


# -- responsibility, urgency, clock ------------------------------------------------------------------


@transaction.atomic
def reassign_case(
    *, case_id: int, actor: Staff, new_responsible: Staff, reason: str, at: datetime | None = None
) -> Case:
    """Change the first responsible person (CASE-1): chief rep of the unit or the centre office, with reason."""
    at = _now(at)
    case = _lock(case_id)
    if not reason.strip():
        raise RuleViolation("CASE-1", "更换第一责任人须说明理由")
    allowed = (
        actor is not None
        and actor.centre_id == case.centre_id
        and (
            actor.role in CENTRE_OFFICE
            or (actor.role == Role.CHIEF_REP and actor.unit_id in case_unit_ids(case))
        )
    )
    if not allowed:
        raise Forbidden("CASE-1: 只有本单位首席代表或中心管理办可以更换第一责任人")
    if new_responsible.centre_id != case.centre_id or not new_responsible.is_active:
        raise InputError("new_responsible", "新的第一责任人须为本中心在岗人员")
    if not case.is_open:
        raise RuleViolation("CASE-1", "办件已结束，不能更换第一责任人", status=case.status)
    old = case.responsible
    case.responsible = new_responsible
    case.save(update_fields=["responsible"])
    log_event(
        case=case,
        kind=EventKind.REASSIGN,
        actor=actor,
        reason=reason.strip(),
        rule_id="CASE-1",
        at=at,
        data={
            "from": old.pk,
            "to": new_responsible.pk,
            "from_name": old.name,
            "to_name": new_responsible.name,
        },
    )
    return case


@transaction.atomic
def flag_urgent(*, case_id: int, actor: Staff, reason: str, at: datetime | None = None) -> Case:
    """急事急办、特事特办 (CASE-11): a reason is required; urgent cases are highlighted everywhere."""
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    if not reason.strip():
        raise InputError("reason", "CASE-11: 急办须说明理由")
    case.urgent, case.urgent_reason = True, reason.strip()
    case.save(update_fields=["urgent", "urgent_reason"])
    log_event(case=case, kind=EventKind.URGENT, actor=actor, reason=reason.strip(), rule_id="CASE-11", at=at)
    return case


@transaction.atomic
def pause_clock(
    *, case_id: int, actor: Staff, kind: str, starts_on: date, reason: str, at: datetime | None = None
) -> CasePause:
    """Stop the clock for time the law excludes (补正, 专家评审, 听证, 公示, 检测; CASE-5)."""
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    kind = _choice(PauseKind, kind, "kind")
    if kind not in policies_for(case.centre).cases.pause_kinds:
        raise RuleViolation("CASE-5", f"「{kind.label}」不在本中心政策允许的暂停计时情形内", kind=kind.value)
    if case.status not in {CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.REPORTED}:
        raise RuleViolation("CASE-5", "只有已受理、未办结的办件可以暂停计时", status=case.status)
    if not reason.strip():
        raise InputError("reason", "CASE-5: 暂停计时须说明理由")
    if case.pauses.filter(ends_on__isnull=True).exists():
        raise RuleViolation("CASE-5", "已有未结束的暂停计时")
    if case.accepted_at and starts_on < _local(case.accepted_at).date():
        raise InputError("starts_on", "暂停不能早于受理日")
    pause = CasePause.objects.create(
        case=case, kind=kind, starts_on=starts_on, reason=reason.strip(), created_by=actor
    )
    _set_due(case)
    case.save(update_fields=["due_on", "due_provisional"])
    log_event(
        case=case,
        kind=EventKind.PAUSE,
        actor=actor,
        reason=reason.strip(),
        rule_id="CASE-5",
        at=at,
        data={"kind": kind.value, "from": starts_on.isoformat()},
    )
    return pause


@transaction.atomic
def resume_clock(*, case_id: int, actor: Staff, ends_on: date, at: datetime | None = None) -> Case:
    """End the open pause on `ends_on` (the last paused day) and recompute the due date (CASE-5)."""
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    pause = case.pauses.filter(ends_on__isnull=True).first()
    if pause is None:
        raise RuleViolation("CASE-5", "没有正在暂停的计时")
    if ends_on < pause.starts_on:
        raise InputError("ends_on", "恢复计时日期不能早于暂停开始日")
    pause.ends_on = ends_on
    pause.save(update_fields=["ends_on"])
    _set_due(case)
    case.save(update_fields=["due_on", "due_provisional"])
    log_event(
        case=case,
        kind=EventKind.RESUME,
        actor=actor,
        rule_id="CASE-5",
        at=at,
        data={"pause": pause.pk, "until": ends_on.isoformat(), "due_on": str(case.due_on)},
    )
    return case


@transaction.atomic
def extend_deadline(
    *,
    case_id: int,
    actor: Staff,
    working_days: int,
    reason: str,
    consent_note: str,
    at: datetime | None = None,
) -> CaseExtension:
    """延期 (CASE-5): reason, the applicant's consent told in advance, and within the policy's cap."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_may_handle(actor, case)
    if case.status not in {CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.REPORTED}:
        raise RuleViolation("CASE-5", "只有已受理、未办结的办件可以延期", status=case.status)
    already = sum(case.extensions.values_list("working_days", flat=True))
    deadlines.check_extension(
        days=working_days,
        reason=reason,
        consent=bool(consent_note.strip()),
        already_extended=already,
        cap=_extension_cap(case),
        case_type_label=CaseType(case.case_type).label,
    )
    policies = policies_for(case.centre)
    ext = CaseExtension.objects.create(
        case=case,
        working_days=working_days,
        reason=reason.strip(),
        consent_note=consent_note.strip(),
        consented_at=at,
        granted_by=actor,
        policy_ref=policies.ref,
    )
    _set_due(case)
    case.save(update_fields=["due_on", "due_provisional"])
    log_event(
        case=case,
        kind=EventKind.EXTEND,
        actor=actor,
        reason=reason.strip(),
        rule_id="CASE-5",
        at=at,
        data={"days": working_days, "consent": consent_note.strip(), "due_on": str(case.due_on)},
    )
    return ext


@transaction.atomic
def note_outreach(
    *, case_id: int, actor: Staff, kind: str, reason: str, data: Mapping[str, object] | None = None
) -> Case:
    """Put a 帮办代办 or 上门服务 record on the case timeline (CASE-9 service log); the queue domain keeps the
    record itself. The actor must be allowed to read the case."""
    if kind not in (EventKind.ASSISTED, EventKind.HOME_VISIT):
        raise InputError("kind", f"不支持的记录类型：{kind}")
    case = Case.objects.select_related("item").filter(pk=case_id).first()
    if case is None:
        raise NotFound("办件不存在或无权查看", case_id=case_id)
    access.ensure(actor, "cases", "read", case_target(case), policy=policy_for_centre(centre_id=case.centre_id),
                  what="办件")  # fmt: skip
    log_event(case=case, kind=kind, actor=actor, reason=reason, rule_id="CASE-9", data=dict(data or {}))
    return case
