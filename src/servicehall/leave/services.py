"""Leave writes (请假、审批、销假、顶岗): every check of LEAVE-1..6 and ORG-3 runs before anything is written.

Each entry point is atomic, locks the rows it decides on (the applicant, their A/B posts, the step) and
writes its audit entry in the same transaction, so a refusal writes nothing.

Approver roles (LEAVE-1): `centre` is decided by a centre admin (中心管理办公室); `chief_rep` by the chief
representative of the leaver's unit; `unit_leader`, `unit_principal_leader`, `county_office` and
`county_leader` have no accounts: the centre office enters their signature (signer name + date) from the
paper form.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.limits import upload_limits
from servicehall.core.roles import Role
from servicehall.core.uploads import check_size
from servicehall.leave import rules
from servicehall.leave.errors import CoverAlreadyCheckedIn, LeaveNotOpen, StepNotPending
from servicehall.leave.models import CoverAssignment, LeaveKind, LeaveRequest, LeaveStep
from servicehall.leave.selectors import current_calendar, current_policy, duty_start_of
from servicehall.org.models import Post, Staff, Window
from servicehall.policy.schema import Policy
from servicehall.workdays.calendar import WorkCalendar

EXTERNAL_ROLES = frozenset({"unit_leader", "unit_principal_leader", "county_office", "county_leader"})
COUNTED = (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED)


@dataclass(frozen=True)
class CoverInput:
    """A cover (顶岗) as filed with the leave: a registered `staff` or just a name (units send outsiders)."""

    start_date: date
    end_date: date
    staff: Staff | None = None
    name: str = ""
    phone: str = ""
    window: Window | None = None


def _local(dt: datetime) -> datetime:
    """Naive local wall time, the clock the leave spans are written in."""
    return timezone.localtime(dt).replace(tzinfo=None) if timezone.is_aware(dt) else dt


# -- apply -----------------------------------------------------------------------------------------------


@transaction.atomic
def apply_for_leave(
    *,
    staff: Staff,
    kind: str,
    start_date: date,
    end_date: date,
    start_half: str = rules.AM,
    end_half: str = rules.PM,
    reason: str = "",
    attachment: UploadedFile | None = None,
    certificate_provided: bool = False,
    certificate_date: date | None = None,
    training_document: UploadedFile | None = None,
    training_document_ref: str = "",
    cover: CoverInput | None = None,
    actor: Staff | None = None,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
) -> LeaveRequest:
    """File a leave (请假条); it goes to the first approver of its LEAVE-1 tier.

    Refused (RuleViolation, nothing written) when it starts in the past (LEAVE-6), breaks the monthly
    quota (LEAVE-2), is an annual-leave part under the minimum (LEAVE-4), needs a cover and has none or
    the cover is too long (LEAVE-5), or the other holder of an A/B post is away then (ORG-3).
    """
    return _file_leave(
        staff=staff,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        start_half=start_half,
        end_half=end_half,
        reason=reason,
        attachment=attachment,
        certificate_provided=certificate_provided,
        certificate_date=certificate_date,
        training_document=training_document,
        training_document_ref=training_document_ref,
        cover=cover,
        actor=actor or staff,
        policy=policy,
        calendar=calendar,
        now=now,
        special_approver=None,
        special_note="",
    )


@transaction.atomic
def file_late_with_special_approval(
    *,
    centre_admin: Staff,
    staff: Staff,
    kind: str,
    start_date: date,
    end_date: date,
    special_approval_note: str,
    start_half: str = rules.AM,
    end_half: str = rules.PM,
    reason: str = "",
    attachment: UploadedFile | None = None,
    certificate_provided: bool = False,
    certificate_date: date | None = None,
    training_document_ref: str = "",
    cover: CoverInput | None = None,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
) -> LeaveRequest:
    """LEAVE-6: the centre allows a leave form to be completed afterwards (事后补办).

    Entered by a centre admin with the reason of the special approval; the leave then goes through its
    normal approval chain. The special approval also excuses the missing cover check-in of the past.
    """
    _require_centre_admin(centre_admin, staff.centre_id)
    if not special_approval_note.strip():
        raise InputError("special_approval_note", "LEAVE-6: 事后补办须写明中心特批理由")
    return _file_leave(
        staff=staff,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        start_half=start_half,
        end_half=end_half,
        reason=reason,
        attachment=attachment,
        certificate_provided=certificate_provided,
        certificate_date=certificate_date,
        training_document=None,
        training_document_ref=training_document_ref,
        cover=cover,
        actor=centre_admin,
        policy=policy,
        calendar=calendar,
        now=now,
        special_approver=centre_admin,
        special_note=special_approval_note.strip(),
    )


def _file_leave(
    *,
    staff: Staff,
    kind: str,
    start_date: date,
    end_date: date,
    start_half: str,
    end_half: str,
    reason: str,
    attachment: UploadedFile | None,
    certificate_provided: bool,
    certificate_date: date | None,
    training_document: UploadedFile | None,
    training_document_ref: str,
    cover: CoverInput | None,
    actor: Staff,
    policy: Policy | None,
    calendar: WorkCalendar | None,
    now: datetime | None,
    special_approver: Staff | None,
    special_note: str,
) -> LeaveRequest:
    if kind not in LeaveKind.values:
        raise InputError("kind", f"未知假别 {kind!r} (one of {', '.join(LeaveKind.values)})")
    for field, upload in (("attachment", attachment), ("training_document", training_document)):
        if upload is not None:
            check_size(upload.size or 0, field, upload_limits())
    if actor.pk != staff.pk and actor.role != Role.CENTRE_ADMIN:
        raise Forbidden("只能为本人请假 (only the centre office may file a leave for someone else)")
    if actor.centre_id != staff.centre_id:
        raise Forbidden("不能为其他服务中心的人员请假")
    policy = policy or current_policy(staff.centre_id)
    calendar = calendar or current_calendar()
    now = now or timezone.now()
    staff = Staff.objects.select_for_update().get(pk=staff.pk)  # serialises one person's quota
    span = rules.LeaveSpan(start_date, end_date, start_half, end_half)
    days = rules.leave_days(calendar, span)
    chain = rules.approval_chain(policy, days)
    has_document = bool(training_document or training_document_ref.strip())

    findings: list[rules.Finding] = []
    findings += rules.check_filing_time(
        policy,
        duty_from=duty_start_of(policy, span),
        filed_at=_local(now),
        special_approval=special_approver is not None,
    )
    findings += _quota_findings(
        policy, calendar, staff=staff, kind=kind, span=span, has_document=has_document
    )
    findings += rules.check_annual_split(policy, kind=kind, days=days)
    findings += _ab_findings(policy, staff=staff, span=span)
    requirement = rules.cover_required(
        policy, kind=kind, days=days, single_staff_window=_single_staff_window(staff)
    )
    findings += _cover_findings(
        policy,
        requirement=requirement,
        cover=cover,
        span=span,
        staff=staff,
        excused=special_approver is not None,
    )
    rules.raise_first(findings)

    leave = LeaveRequest.objects.create(
        centre_id=staff.centre_id,
        staff=staff,
        kind=kind,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=Decimal(str(days)),
        reason=reason,
        attachment=attachment or "",
        certificate_provided=certificate_provided,
        certificate_date=certificate_date,
        training_document=training_document or "",
        training_document_ref=training_document_ref.strip(),
        status=LeaveRequest.Status.PENDING,
        policy_ref=policy.ref,
        tier_index=chain.tier_index,
        requires=chain.requires,
        files_with=chain.files_with,
        cover_required_reason=requirement.message if requirement else "",
        filed_at=now,
        filed_late=special_approver is not None and any(f.code == "filed_late_approved" for f in findings),
        special_approved_by=special_approver,
        special_approval_note=special_note,
        created_by=actor,
    )
    _create_steps(leave, chain.approvers)
    if cover is not None:
        _create_cover(leave, cover)
    record_audit(
        actor=actor,
        verb="leave.apply",
        target=leave,
        data={
            "policy": policy.ref,
            "days": days,
            "tier": chain.tier_index,
            "approvers": chain.approvers,
            "notes": [str(f) for f in findings if not f.blocking],
        },
    )
    if leave.filed_late:
        record_audit(
            actor=special_approver,
            verb="leave.late_filing_approved",
            target=leave,
            reason=special_note,
            data={"rule": "LEAVE-6"},
        )
    return leave


def _create_steps(leave: LeaveRequest, approvers: Iterable[str]) -> None:
    first = True
    for order, role in enumerate(approvers, start=1):
        step = LeaveStep(request=leave, order=order, approver_role=role)
        if role == "chief_rep" and leave.staff.role == Role.CHIEF_REP:
            # A chief representative does not countersign their own leave (篇1 §六(二)1).
            step.status, step.note = LeaveStep.Status.SKIPPED, "请假人即首席代表，本步无需签注"
        elif first:
            step.status, first = LeaveStep.Status.PENDING, False
        step.save()


def _create_cover(leave: LeaveRequest, cover: CoverInput) -> CoverAssignment:
    name = (cover.staff.name if cover.staff else cover.name).strip()
    if not name:
        raise InputError("cover.name", "LEAVE-5: 请填写顶岗人员姓名")
    window = cover.window or leave.staff.windows.order_by("number").first()
    if window is not None and window.centre_id != leave.centre_id:
        raise InputError("cover.window", "顶岗窗口必须属于同一服务中心")
    return CoverAssignment.objects.create(
        centre_id=leave.centre_id,
        request=leave,
        cover_staff=cover.staff,
        cover_name=name,
        cover_phone=cover.phone or (cover.staff.phone if cover.staff else ""),
        window=window,
        start_date=cover.start_date,
        end_date=cover.end_date,
        badge_name=name,
        badge_window=str(window) if window else "",
        badge_valid_from=cover.start_date,
        badge_valid_until=cover.end_date,
    )


# -- checks (read the database, decide with the pure rules) ------------------------------------------------


def _counted_leaves(staff: Staff, *, exclude_id: int | None = None) -> Any:
    qs = LeaveRequest.objects.filter(staff=staff, status__in=COUNTED)
    return qs.exclude(pk=exclude_id) if exclude_id else qs


def _quota_findings(
    policy: Policy,
    calendar: WorkCalendar,
    *,
    staff: Staff,
    kind: str,
    span: rules.LeaveSpan,
    has_document: bool,
    exclude_id: int | None = None,
) -> list[rules.Finding]:
    months = rules.leave_days_by_month(calendar, span)
    if not months:
        return []
    first, last = min(months), max(months)
    others = _counted_leaves(staff, exclude_id=exclude_id).filter(
        end_date__gte=date(first[0], first[1], 1), start_date__lte=_month_end(*last)
    )
    used: dict[tuple[int, int], list[float]] = {}
    for other in others:
        if rules.quota_exempt(
            policy,
            kind=other.kind,
            calendar_days=other.span.calendar_days,
            has_document=bool(other.training_document or other.training_document_ref),
        ):
            continue
        for month, d in rules.leave_days_by_month(calendar, other.span).items():
            bucket = used.setdefault(month, [0.0, 0])
            bucket[0] += d
            bucket[1] += 1
    findings: list[rules.Finding] = []
    role = "chief_rep" if staff.role == Role.CHIEF_REP else "staff"
    for month, d in sorted(months.items()):
        used_days, used_times = used.get(month, [0.0, 0])
        findings += rules.check_quota(
            policy,
            role=role,
            kind=kind,
            month=month,
            days=d,
            used_days=used_days,
            used_times=int(used_times),
            calendar_days=span.calendar_days,
            has_document=has_document,
        )
    return findings


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _ab_findings(
    policy: Policy, *, staff: Staff, span: rules.LeaveSpan, exclude_id: int | None = None
) -> list[rules.Finding]:
    """ORG-3 against the other holder of every post `staff` holds; the posts are locked for the decision."""
    posts = list(Post.objects.select_for_update().filter(Q(a_holder=staff) | Q(b_holder=staff)))
    others: list[rules.OtherAbsence] = []
    for post in posts:
        other_id = post.b_holder_id if post.a_holder_id == staff.pk else post.a_holder_id
        leaves = (
            LeaveRequest.objects.filter(staff_id=other_id, status__in=COUNTED)
            .filter(start_date__lte=span.end_date, end_date__gte=span.start_date)
            .exclude(pk=exclude_id or 0)
        )
        others += [rules.OtherAbsence(other_id, post.name, leave.span, leave.pk) for leave in leaves]
    return rules.ab_conflict(policy, span=span, others=others)


def _single_staff_window(staff: Staff) -> bool:
    """LEAVE-5: does `staff` serve a window where they are the only active person (单人值班窗口)?"""
    return any(window.staff.filter(is_active=True).count() <= 1 for window in staff.windows.all())


def _cover_findings(
    policy: Policy,
    *,
    requirement: rules.Finding | None,
    cover: CoverInput | None,
    span: rules.LeaveSpan,
    staff: Staff,
    excused: bool,
) -> list[rules.Finding]:
    findings: list[rules.Finding] = []
    if cover is not None:
        findings += rules.check_cover_length(policy, start=cover.start_date, end=cover.end_date)
        if cover.staff is not None and cover.staff.pk == staff.pk:
            raise InputError("cover.staff", "LEAVE-5: 顶岗人员不能是请假人本人")
        if cover.start_date > span.start_date:
            findings.append(
                rules.Finding(
                    "LEAVE-5",
                    "cover_starts_late",
                    f"顶岗须从请假首日{span.start_date}开始，所填为{cover.start_date}",
                    {"leave_start": span.start_date.isoformat(), "cover_start": cover.start_date.isoformat()},
                    en="the cover must start on the first day of the leave",
                )
            )
    elif requirement is not None and not excused:
        findings.append(
            rules.Finding(
                "LEAVE-5",
                "cover_missing",
                f"{requirement.message}；请先由所在单位安排顶岗人员并报中心备案",
                dict(requirement.facts),
                en=f"{requirement.en}; no cover filed" if requirement.en else "no cover filed",
            )
        )
    return findings


# -- approve / reject -----------------------------------------------------------------------------------


def _require_centre_admin(actor: Staff, centre_id: int) -> None:
    if actor.role != Role.CENTRE_ADMIN or actor.centre_id != centre_id:
        raise Forbidden("仅中心管理办公室可办理 (centre office only)")


def _ensure_may_decide(step: LeaveStep, leave: LeaveRequest, approver: Staff, signer_name: str) -> None:
    if approver.pk == leave.staff_id:
        raise Forbidden("不能审批本人的请假 (no one approves their own leave)")
    if approver.centre_id != leave.centre_id:
        raise Forbidden("不能审批其他服务中心的请假")
    role = step.approver_role
    if role == "centre":
        if approver.role != Role.CENTRE_ADMIN:
            raise Forbidden("本步须由中心审批 (this step is decided by the centre office)", step_role=role)
    elif role == "chief_rep":
        if approver.role != Role.CHIEF_REP or approver.unit_id != leave.staff.unit_id:
            raise Forbidden("本步须由本单位首席代表签注 (this step is the unit's chief representative's)")
    elif role in EXTERNAL_ROLES:
        if approver.role != Role.CENTRE_ADMIN:
            raise Forbidden(
                "单位/县级领导签批由中心管理办公室据纸质请假条录入 (entered by the centre office)"
            )
        if not signer_name.strip():
            raise InputError("signer_name", f"LEAVE-1: 请填写{ROLE_LABELS.get(role, role)}签批人姓名")
    else:
        raise Forbidden(f"未知审批角色 {role}")


def _locked_step(step_id: int) -> tuple[LeaveStep, LeaveRequest]:
    try:
        step = LeaveStep.objects.select_for_update().get(pk=step_id)
    except LeaveStep.DoesNotExist:
        from servicehall.core.errors import NotFound

        raise NotFound("审批步骤不存在", step_id=step_id) from None
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=step.request_id)
    if step.status != LeaveStep.Status.PENDING:
        raise StepNotPending(step_id=step.pk, status=step.get_status_display())
    if leave.status != LeaveRequest.Status.PENDING:
        raise LeaveNotOpen(leave_id=leave.pk, status=leave.get_status_display(), action="审批")
    return step, leave


@transaction.atomic
def approve_leave_step(
    *,
    step_id: int,
    approver: Staff,
    note: str = "",
    signer_name: str = "",
    signed_on: date | None = None,
    policy: Policy | None = None,
    calendar: WorkCalendar | None = None,
    now: datetime | None = None,
) -> LeaveStep:
    """Sign one step of the LEAVE-1 chain. The row locks make a racing second approver get StepNotPending.

    Before the last signature the checks run again against the current state (LEAVE-2, ORG-3, LEAVE-5):
    another leave approved meanwhile may now conflict.
    """
    step, leave = _locked_step(step_id)
    _ensure_may_decide(step, leave, approver, signer_name)
    now = now or timezone.now()
    next_step = (
        leave.steps.filter(order__gt=step.order, status=LeaveStep.Status.WAITING).order_by("order").first()
    )
    if next_step is None:
        _recheck_before_final(
            leave, policy=policy or current_policy(leave.centre_id), calendar=calendar or current_calendar()
        )
    step.status = LeaveStep.Status.APPROVED
    step.decided_by, step.decided_at, step.note = approver, now, note
    step.signer_name = signer_name.strip() or approver.name
    step.signed_on = signed_on or timezone.localdate(now)
    step.save()
    if next_step is not None:
        next_step.status = LeaveStep.Status.PENDING
        next_step.save(update_fields=["status"])
    else:
        leave.status, leave.decided_at = LeaveRequest.Status.APPROVED, now
        leave.save(update_fields=["status", "decided_at"])
    record_audit(
        actor=approver,
        verb="leave.step.approve",
        target=leave,
        reason=note,
        data={
            "step": step.order,
            "role": step.approver_role,
            "signer": step.signer_name,
            "final": next_step is None,
            "files_with": leave.files_with,
        },
    )
    return step


def _recheck_before_final(leave: LeaveRequest, *, policy: Policy, calendar: WorkCalendar) -> None:
    staff = Staff.objects.select_for_update().get(pk=leave.staff_id)
    span = leave.span
    findings = _quota_findings(
        policy,
        calendar,
        staff=staff,
        kind=leave.kind,
        span=span,
        has_document=bool(leave.training_document or leave.training_document_ref),
        exclude_id=leave.pk,
    )
    findings += _ab_findings(policy, staff=staff, span=span, exclude_id=leave.pk)
    if leave.cover_required_reason and not leave.filed_late and not leave.covers.exists():
        findings.append(
            rules.Finding(
                "LEAVE-5",
                "cover_missing",
                f"{leave.cover_required_reason}；尚未安排顶岗人员",
                en="no cover arranged yet",
            )
        )
    rules.raise_first(findings)


@transaction.atomic
def reject_leave_step(
    *,
    step_id: int,
    approver: Staff,
    note: str,
    signer_name: str = "",
    signed_on: date | None = None,
    now: datetime | None = None,
) -> LeaveStep:
    """Refuse at one step (with the reason); the request is rejected and later steps are skipped."""
    if not note.strip():
        raise InputError("note", "不同意须填写意见 (a rejection needs a comment)")
    step, leave = _locked_step(step_id)
    _ensure_may_decide(step, leave, approver, signer_name)
    now = now or timezone.now()
    step.status = LeaveStep.Status.REJECTED
    step.decided_by, step.decided_at, step.note = approver, now, note.strip()
    step.signer_name = signer_name.strip() or approver.name
    step.signed_on = signed_on or timezone.localdate(now)
    step.save()
    leave.steps.filter(status=LeaveStep.Status.WAITING).update(status=LeaveStep.Status.SKIPPED)
    leave.status, leave.decided_at = LeaveRequest.Status.REJECTED, now
    leave.save(update_fields=["status", "decided_at"])
    record_audit(
        actor=approver,
        verb="leave.step.reject",
        target=leave,
        reason=note,
        data={"step": step.order, "role": step.approver_role, "signer": step.signer_name},
    )
    return step


@transaction.atomic
def cancel_leave(*, leave_id: int, actor: Staff, now: datetime | None = None) -> LeaveRequest:
    """Withdraw a pending leave, or an approved one that has not started (by the leaver or the centre)."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave_id)
    if actor.pk != leave.staff_id:
        _require_centre_admin(actor, leave.centre_id)
    now = now or timezone.now()
    started = _local(now) >= leave.start_at
    if leave.status not in COUNTED or (leave.status == LeaveRequest.Status.APPROVED and started):
        raise LeaveNotOpen(leave_id=leave.pk, status=leave.get_status_display(), action="撤销")
    leave.status = LeaveRequest.Status.CANCELLED
    leave.save(update_fields=["status"])
    leave.steps.filter(status__in=[LeaveStep.Status.PENDING, LeaveStep.Status.WAITING]).update(
        status=LeaveStep.Status.SKIPPED
    )
    record_audit(actor=actor, verb="leave.cancel", target=leave)
    return leave


# -- return (销假) ---------------------------------------------------------------------------------------


@transaction.atomic
def record_return(
    *,
    leave_id: int,
    actor: Staff,
    certificate_provided: bool | None = None,
    certificate_date: date | None = None,
    returned_at: datetime | None = None,
    policy: Policy | None = None,
) -> LeaveRequest:
    """Close an approved leave (销假). LEAVE-3: sick leave over the limit still without a hospital
    certificate becomes personal leave (事假), logged with the rule."""
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=leave_id)
    if actor.pk != leave.staff_id:
        _require_centre_admin(actor, leave.centre_id)
    if leave.status != LeaveRequest.Status.APPROVED or leave.returned_at is not None:
        raise LeaveNotOpen(leave_id=leave.pk, status=leave.get_status_display(), action="销假")
    policy = policy or current_policy(leave.centre_id)
    if certificate_provided:
        leave.certificate_provided = True
        leave.certificate_date = certificate_date or leave.certificate_date
    leave.returned_at = returned_at or timezone.now()
    new_kind, finding = rules.kind_at_return(
        policy, kind=leave.kind, days=float(leave.days), certificate=leave.certificate_provided
    )
    if finding is not None:
        leave.original_kind, leave.kind = leave.kind, new_kind
    leave.save(
        update_fields=["certificate_provided", "certificate_date", "returned_at", "kind", "original_kind"]
    )
    record_audit(
        actor=actor, verb="leave.return", target=leave, data={"certificate": leave.certificate_provided}
    )
    if finding is not None:
        record_audit(
            actor=actor,
            verb="leave.sick_converted",
            target=leave,
            reason=str(finding),
            data={"rule": finding.rule_id, **finding.facts},
        )
    return leave


# -- cover (顶岗) ----------------------------------------------------------------------------------------


@transaction.atomic
def assign_cover(
    *, leave_id: int, actor: Staff, cover: CoverInput, policy: Policy | None = None
) -> CoverAssignment:
    """Add a cover to a pending or approved leave (e.g. the next month of a long leave). LEAVE-5: at
    most `cover_max_months`; refused otherwise."""
    leave = LeaveRequest.objects.select_for_update().select_related("staff").get(pk=leave_id)
    if actor.pk != leave.staff_id and not (
        actor.role == Role.CHIEF_REP
        and actor.unit_id == leave.staff.unit_id
        and actor.centre_id == leave.centre_id
    ):
        _require_centre_admin(actor, leave.centre_id)
    if leave.status not in COUNTED:
        raise LeaveNotOpen(leave_id=leave.pk, status=leave.get_status_display(), action="安排顶岗")
    policy = policy or current_policy(leave.centre_id)
    if cover.staff is not None and cover.staff.pk == leave.staff_id:
        raise InputError("cover.staff", "LEAVE-5: 顶岗人员不能是请假人本人")
    rules.raise_first(rules.check_cover_length(policy, start=cover.start_date, end=cover.end_date))
    assignment = _create_cover(leave, cover)
    record_audit(
        actor=actor,
        verb="leave.cover.assign",
        target=assignment,
        data={
            "leave": leave.pk,
            "name": assignment.cover_name,
            "from": cover.start_date.isoformat(),
            "to": cover.end_date.isoformat(),
        },
    )
    return assignment


@transaction.atomic
def cover_check_in(
    *, cover_id: int, actor: Staff, at: datetime | None = None, policy: Policy | None = None
) -> CoverAssignment:
    """The centre office records the cover's arrival (到岗) and issues the temporary badge. LEAVE-5: the
    leave starts only now; if this is after the leaver was due, the gap is unauthorised absence."""
    cover = CoverAssignment.objects.select_for_update().get(pk=cover_id)
    _require_centre_admin(actor, cover.centre_id)
    if cover.checked_in_at is not None:
        raise CoverAlreadyCheckedIn(cover_id=cover.pk)
    cover.checked_in_at, cover.checked_in_by = at or timezone.now(), actor
    cover.save(update_fields=["checked_in_at", "checked_in_by"])
    leave = cover.request
    gap = rules.cover_gap(
        span=leave.span,
        check_in=_local(cover.checked_in_at),
        duty_from=duty_start_of(policy or current_policy(leave.centre_id), leave.span),
    )
    record_audit(
        actor=actor,
        verb="leave.cover.check_in",
        target=cover,
        data={"leave": leave.pk, "gap": [g.isoformat() for g in gap] if gap else None, "rule": "LEAVE-5"},
    )
    return cover


ROLE_LABELS = {
    "centre": "中心",
    "chief_rep": "首席代表",
    "unit_leader": "单位领导",
    "unit_principal_leader": "单位主要领导",
    "county_office": "县政府办公室",
    "county_leader": "县政府分管领导",
}

__all__ = [
    "CoverInput",
    "RuleViolation",
    "apply_for_leave",
    "approve_leave_step",
    "assign_cover",
    "cancel_leave",
    "cover_check_in",
    "file_late_with_special_approval",
    "record_return",
    "reject_leave_step",
]
