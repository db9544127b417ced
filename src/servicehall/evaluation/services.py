"""Writes of the citizens' voice: ratings and their rectification (EVAL-1), manipulation flags, complaints
(EVAL-2), suggestion box and call-backs (ASK-2). Every write is keyword-only, atomic and audited.

Audit rows never carry who rated (no phone, name or device): the audit log is a staff page too.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.accountability.services import record_accountability_event
from servicehall.cases.calendars import centre_calendar
from servicehall.cases.models import Case
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.evaluation import figures
from servicehall.evaluation.models import (
    CallbackLog,
    Complaint,
    ComplaintStep,
    ManipulationFlag,
    RaterContact,
    Rating,
    RatingAppeal,
    Rectification,
    Suggestion,
    UnservedCallback,
)
from servicehall.org.models import Staff, Unit, Window
from servicehall.policy.schema import Policy
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.queue.models import Ticket

SUPERVISION = frozenset({Role.SUPERVISOR, Role.CENTRE_ADMIN})
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out on the phone


class RatingRefused(RuleViolation):
    """The service was already rated and the replace window is over (EVAL-1)."""

    def __init__(self, *, minutes: int) -> None:
        super().__init__(
            "EVAL-1", f"此次服务已经评价；评价后 {minutes} 分钟内可以修改，现已超过时限", minutes=minutes
        )


@dataclass(frozen=True)
class RatingResult:
    rating: Rating
    replaced: bool


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _today(at: datetime) -> date:
    return timezone.localtime(at).date()


def _policy(centre_id: int, on: date | None = None) -> Policy:
    return policy_for_centre(centre_id=centre_id, on=on)


def _supervision(actor: Any, centre_id: int) -> Staff:
    """The actor if they belong to the centre's supervision office (or centre office), else Forbidden."""
    staff = staff_of(actor)
    if staff is None or role_of(actor) not in SUPERVISION or staff.centre_id != centre_id:
        raise Forbidden("仅效能监察室可以进行此操作")
    return staff


def _unit_or_supervision(actor: Any, centre_id: int, unit_id: int | None) -> Staff:
    """The chief representative of `unit_id`, or the supervision office."""
    staff = staff_of(actor)
    if staff is None or staff.centre_id != centre_id:
        raise Forbidden("无权处理其他中心的记录")
    role = role_of(actor)
    if role in SUPERVISION or (role == Role.CHIEF_REP and unit_id is not None and staff.unit_id == unit_id):
        return staff
    raise Forbidden("仅本单位首席代表或效能监察室可以进行此操作")


def _code(model: type, *, prefix: str) -> str:
    for _ in range(20):
        code = prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
        if not model.objects.filter(tracking_code=code).exists():  # type: ignore[attr-defined]  # a model class
            return code
    raise RuntimeError("could not draw a free tracking code")  # 31^9 codes: practically unreachable


# -- ratings (EVAL-1) ---------------------------------------------------------------------------------------


def _level(policy: Policy, code: str) -> tuple[str, str, bool]:
    """(code, label, satisfied) of a level given by code or by its label."""
    for lv in policy.evaluation.rating_levels:
        if code in (lv.code, lv.label):
            return lv.code, lv.label, lv.satisfied
    raise InputError("level", f"未知的评价等级 {code!r}")


@transaction.atomic
def submit_rating(
    *,
    centre_id: int,
    level: str,
    ticket_id: int | None = None,
    case_id: int | None = None,
    reasons: list[str] | None = None,
    comment: str = "",
    channel: str = Rating.Channel.DEVICE,
    source: str = Rating.Source.PAD,
    device: str = "",
    phone: str = "",
    name: str = "",
    at: datetime | None = None,
) -> RatingResult:
    """Rate one service (EVAL-1). A second rating of the same service within the policy's replace window
    replaces the first; a later one raises RatingRefused. A bad rating opens a rectification task."""
    now = _now(at)
    policy = _policy(centre_id, _today(now))
    code, label, satisfied = _level(policy, level)
    if channel not in Rating.Channel.values:
        raise InputError("channel", f"未知的评价渠道 {channel!r}")
    ticket = case = None
    window = staff = unit = None
    if ticket_id is not None:
        ticket = Ticket.objects.select_related("window__unit", "staff").filter(pk=ticket_id).first()
        if ticket is None or ticket.centre_id != centre_id or ticket.status != Ticket.Status.FINISHED:
            raise NotFound("没有可以评价的已办结排队号")
        window, staff = ticket.window, ticket.staff
        unit = window.unit if window else (staff.unit if staff else None)
        key = f"ticket:{ticket.pk}"
    elif case_id is not None:
        case = (
            Case.objects.select_related("window__unit", "responsible", "item__unit")
            .filter(pk=case_id)
            .first()
        )
        if (
            case is None
            or case.centre_id != centre_id
            or (case.accepted_at is None and case.concluded_at is None)
        ):
            raise NotFound("没有可以评价的办件")
        window, staff, unit = case.window, case.responsible, case.item.unit
        key = f"case:{case.pk}"
    else:
        key = ""
    clean_reasons = [str(r)[:40] for r in (reasons or [])][:8]
    existing = (
        Rating.objects.select_for_update().filter(centre_id=centre_id, service_key=key).first()
        if key
        else None
    )
    minutes = policy.evaluation.ratings.replace_minutes
    if existing is not None:
        if now - existing.first_rated_at > timedelta(minutes=minutes):  # EVAL-1 inclusive window
            raise RatingRefused(minutes=minutes)
        old = existing.level
        existing.level, existing.level_label, existing.satisfied = code, label, satisfied
        existing.reasons, existing.comment = clean_reasons, comment[:500]
        existing.rated_at, existing.replaced_count = now, existing.replaced_count + 1
        existing.channel = channel
        existing.save()
        record_audit(
            actor=None,
            verb="evaluation.rating.replace",
            target=existing,
            data={"from": old, "to": code, "rule": "EVAL-1", "replace_minutes": minutes},
        )
        _sync_rectification(existing, policy=policy, now=now)
        if device or phone:
            contact, _ = RaterContact.objects.get_or_create(rating=existing)
            contact.device, contact.phone = device[:64] or contact.device, phone[:20] or contact.phone
            contact.name = name[:40] or contact.name
            contact.save()
        return RatingResult(existing, True)
    rating = Rating.objects.create(
        centre_id=centre_id,
        service_key=key,
        ticket=ticket,
        case=case,
        unit=unit,
        window=window,
        staff=staff,
        level=code,
        level_label=label,
        satisfied=satisfied,
        reasons=clean_reasons,
        comment=comment[:500],
        channel=channel,
        source=source,
        first_rated_at=now,
        rated_at=now,
        anonymous=not phone.strip(),
        policy_ref=policy.ref,
    )
    if device or phone or name:
        RaterContact.objects.create(rating=rating, device=device[:64], phone=phone[:20], name=name[:40])
    record_audit(actor=None, verb="evaluation.rating.submit", target=rating, data={"level": code})
    _sync_rectification(rating, policy=policy, now=now)
    _check_bursts(rating, policy=policy, device=device, phone=phone, now=now)
    return RatingResult(rating, False)


def _sync_rectification(rating: Rating, *, policy: Policy, now: datetime) -> None:
    """A bad rating has an open task; one changed to good within the window has its untouched task closed."""
    task = Rectification.objects.filter(rating=rating).first()
    if not rating.satisfied:
        if task is None:
            open_rectification(rating=rating, policy=policy, today=_today(now))
        elif task.status == Rectification.Status.CLOSED and task.close_note.startswith("评价已改为"):
            task.status, task.closed_at, task.close_note = Rectification.Status.OPEN, None, ""
            task.save(update_fields=["status", "closed_at", "close_note"])
    elif task is not None and task.status == Rectification.Status.OPEN and not task.callbacks.exists():
        task.status, task.closed_at = Rectification.Status.CLOSED, now
        task.close_note = f"评价已改为「{rating.level_label}」(修改时限内)"
        task.save(update_fields=["status", "closed_at", "close_note"])
        record_audit(actor=None, verb="evaluation.rectification.void", target=task, data={"rule": "EVAL-1"})


def open_rectification(*, rating: Rating, policy: Policy, today: date) -> Rectification:
    """EVAL-1: the unit rectifies a bad rating within `rectification_working_days` working days."""
    days = policy.evaluation.ratings.rectification_working_days
    due = centre_calendar().with_provisional_years().add_working_days(today, days)
    task = Rectification.objects.create(
        centre_id=rating.centre_id,
        rating=rating,
        unit=rating.unit,
        opened_on=today,
        due_on=due,
        policy_ref=policy.ref,
    )
    record_audit(
        actor=None,
        verb="evaluation.rectification.open",
        target=task,
        data={"rule": "EVAL-1", "working_days": days, "due_on": due.isoformat()},
    )
    return task


def _task(task_id: int) -> Rectification:
    task = Rectification.objects.select_for_update().select_related("rating").filter(pk=task_id).first()
    if task is None:
        raise NotFound("整改任务不存在")
    return task


def _ensure_open(task: Rectification) -> None:
    if task.status in (Rectification.Status.CLOSED, Rectification.Status.OVERTURNED):
        raise RuleViolation("EVAL-1", "整改任务已办结", task_id=task.pk)


@transaction.atomic
def answer_rectification(
    *, task_id: int, actor: Any, category: str, cause: str, measures: str
) -> Rectification:
    """The unit classifies the bad rating and states cause and measures (分类、整改)."""
    task = _task(task_id)
    staff = _unit_or_supervision(actor, task.centre_id, task.unit_id)
    _ensure_open(task)
    if category not in Rectification.Category.values or not category:
        raise InputError("category", "请选择问题分类(服务态度/办事效率/政策规定/系统设备/其他)")
    if not measures.strip():
        raise InputError("measures", "请填写整改措施")
    task.category, task.cause, task.measures = category, cause.strip(), measures.strip()
    task.status = Rectification.Status.ANSWERED
    task.save(update_fields=["category", "cause", "measures", "status"])
    record_audit(
        actor=staff, verb="evaluation.rectification.answer", target=task, data={"category": category}
    )
    return task


@transaction.atomic
def log_rating_callback(
    *, task_id: int, actor: Any, outcome: str, note: str = "", at: datetime | None = None
) -> CallbackLog:
    """The supervision office's call to the citizen (回访), with time and outcome."""
    task = _task(task_id)
    staff = _supervision(actor, task.centre_id)
    _ensure_open(task)
    if task.rating.anonymous:
        raise RuleViolation("EVAL-1", "匿名评价无联系方式，请核查后办结", task_id=task.pk)
    if outcome not in CallbackLog.Outcome.values:
        raise InputError("outcome", "请选择回访结果")
    log = CallbackLog.objects.create(
        rectification=task, at=_now(at), by=staff, outcome=outcome, note=note[:300]
    )
    record_audit(
        actor=staff, verb="evaluation.rectification.callback", target=task, data={"outcome": outcome}
    )
    return log


@transaction.atomic
def review_anonymous(*, task_id: int, actor: Any, note: str = "") -> Rectification:
    """An anonymous bad rating cannot be called back: the office reviews it instead (核查)."""
    task = _task(task_id)
    staff = _supervision(actor, task.centre_id)
    _ensure_open(task)
    if not task.rating.anonymous:
        raise RuleViolation("EVAL-1", "实名差评须电话回访", task_id=task.pk)
    task.reviewed_without_callback = True
    task.save(update_fields=["reviewed_without_callback"])
    record_audit(actor=staff, verb="evaluation.rectification.review", target=task, reason=note[:200])
    return task


@transaction.atomic
def close_rectification(
    *, task_id: int, actor: Any, note: str = "", at: datetime | None = None
) -> Rectification:
    """The supervision office closes a task once it is classified, rectified and answered: every named
    bad rating has a logged call-back (回访率 100%), an anonymous one a review (EVAL-1)."""
    task = _task(task_id)
    staff = _supervision(actor, task.centre_id)
    _ensure_open(task)
    if not task.category or not task.measures:
        raise RuleViolation("EVAL-1", "单位尚未分类并填写整改措施", task_id=task.pk)
    if task.rating.anonymous and not task.reviewed_without_callback:
        raise RuleViolation("EVAL-1", "匿名差评须先核查", task_id=task.pk)
    if not task.rating.anonymous and not task.callbacks.exists():
        raise RuleViolation("EVAL-1", "实名差评须先电话回访并登记结果", task_id=task.pk)
    task.status, task.closed_by, task.closed_at = Rectification.Status.CLOSED, staff, _now(at)
    task.close_note = note[:300]
    task.save(update_fields=["status", "closed_by", "closed_at", "close_note"])
    record_audit(actor=staff, verb="evaluation.rectification.close", target=task, data={"rule": "EVAL-1"})
    return task


@transaction.atomic
def file_appeal(*, rating_id: int, actor: Any, reason: str) -> RatingAppeal:
    """A unit appeals a bad rating it believes mistaken or untrue (申诉复核)."""
    rating = Rating.objects.select_for_update().filter(pk=rating_id).first()
    if rating is None:
        raise NotFound("评价不存在")
    staff = _unit_or_supervision(actor, rating.centre_id, rating.unit_id)
    if rating.satisfied or rating.overturned:
        raise RuleViolation("EVAL-1", "只能对计入统计的差评申诉", rating_id=rating.pk)
    if rating.appeals.filter(status=RatingAppeal.Status.PENDING).exists():
        raise RuleViolation("EVAL-1", "该差评已有待复核的申诉", rating_id=rating.pk)
    if not reason.strip():
        raise InputError("reason", "请填写申诉理由")
    appeal = RatingAppeal.objects.create(
        centre_id=rating.centre_id, rating=rating, filed_by=staff, reason=reason.strip()
    )
    record_audit(actor=staff, verb="evaluation.appeal.file", target=appeal)
    return appeal


@transaction.atomic
def decide_appeal(
    *, appeal_id: int, actor: Any, overturn: bool, note: str = "", at: datetime | None = None
) -> RatingAppeal:
    """The supervision office decides; an overturned rating stops counting but stays on record."""
    appeal = RatingAppeal.objects.select_for_update().select_related("rating").filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound("申诉不存在")
    staff = _supervision(actor, appeal.centre_id)
    if appeal.status != RatingAppeal.Status.PENDING:
        raise RuleViolation("EVAL-1", "申诉已复核", appeal_id=appeal.pk)
    if not note.strip():
        raise InputError("note", "请填写复核意见")
    appeal.status = RatingAppeal.Status.OVERTURNED if overturn else RatingAppeal.Status.UPHELD
    appeal.decided_by, appeal.decided_at, appeal.decision_note = staff, _now(at), note.strip()[:300]
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if overturn:
        rating = appeal.rating
        rating.overturned = True
        rating.save(update_fields=["overturned"])
        Rectification.objects.filter(rating=rating).exclude(status=Rectification.Status.CLOSED).update(
            status=Rectification.Status.OVERTURNED, closed_by=staff, closed_at=_now(at)
        )
    record_audit(actor=staff, verb="evaluation.appeal.decide", target=appeal, data={"overturn": overturn})
    return appeal


# -- manipulation flags (EVAL-1) ------------------------------------------------------------------------


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _raise_flag(
    *, centre_id: int, kind: str, key: str, month: date, detail: dict, ratings: list[Rating], **extra: Any
) -> ManipulationFlag:
    flag, created = ManipulationFlag.objects.get_or_create(
        centre_id=centre_id, kind=kind, key=key[:120], month=month, defaults={"detail": detail, **extra}
    )
    if not created and flag.status == ManipulationFlag.Status.OPEN:
        flag.detail = detail
        flag.save(update_fields=["detail"])
    flag.ratings.add(*ratings)
    if created:
        record_audit(
            actor=None, verb="evaluation.flag.raise", target=flag, data={"kind": kind, "rule": "EVAL-1"}
        )
    return flag


def _check_bursts(rating: Rating, *, policy: Policy, device: str, phone: str, now: datetime) -> None:
    """Flag a burst as it happens, so the office sees it the same day; the monthly scan finds it too."""
    rules = policy.evaluation.ratings
    since = now - timedelta(minutes=rules.burst_minutes)
    for kind, value, field in (("device_burst", device, "device"), ("phone_burst", phone, "phone")):
        if not value:
            continue
        recent = list(
            Rating.objects.filter(
                centre_id=rating.centre_id,
                rated_at__gte=since,
                rated_at__lte=now,
                **{f"contact__{field}": value},
            )
        )
        found = figures.burst_flags(
            [(value, timezone.localtime(r.rated_at).replace(tzinfo=None), r.pk) for r in recent],
            max_ratings=rules.burst_max_ratings,
            minutes=rules.burst_minutes,
            kind=kind,
        )
        for f in found:
            _raise_flag(
                centre_id=rating.centre_id,
                kind=kind,
                key=value,
                month=_month_of(_today(now)),
                detail=_public_detail(f.detail),
                ratings=recent,
            )


def _public_detail(detail: dict) -> dict:
    """Flag details shown to the office: the device or phone is replaced by a short fingerprint."""
    out = dict(detail)
    for field in ("device", "phone"):
        if field in out:
            out[field] = "…" + str(out[field])[-4:]
    return out


@transaction.atomic
def scan_ratings(*, centre_id: int, month: date, actor: Any | None = None) -> list[ManipulationFlag]:
    """EVAL-1: raise the month's flags (bursts per device and phone, ratings with no service behind them,
    staff far above their unit's top-level share). Flags never change or delete a rating."""
    first = _month_of(month)
    nxt = (first + timedelta(days=32)).replace(day=1)
    policy = _policy(centre_id, first)
    rules = policy.evaluation.ratings
    rows = list(
        Rating.objects.filter(
            centre_id=centre_id, rated_at__date__gte=first, rated_at__date__lt=nxt
        ).select_related("contact", "ticket", "unit", "staff")
    )
    by_id = {r.pk: r for r in rows}
    out: list[ManipulationFlag] = []

    def contact(r: Rating, field: str) -> str:
        try:
            return getattr(r.contact, field)
        except RaterContact.DoesNotExist:
            return ""

    for kind, field in (("device_burst", "device"), ("phone_burst", "phone")):
        events = [
            (contact(r, field), timezone.localtime(r.rated_at).replace(tzinfo=None), r.pk) for r in rows
        ]
        for f in figures.burst_flags(
            events, max_ratings=rules.burst_max_ratings, minutes=rules.burst_minutes, kind=kind
        ):
            out.append(
                _raise_flag(
                    centre_id=centre_id,
                    kind=kind,
                    key=f.detail[field],
                    month=first,
                    detail=_public_detail(f.detail),
                    ratings=[by_id[i] for i in f.detail["rows"]],
                )
            )
    for r in rows:
        unfinished = r.ticket is not None and r.ticket.status != Ticket.Status.FINISHED
        if not r.service_key or unfinished:
            out.append(
                _raise_flag(
                    centre_id=centre_id,
                    kind=ManipulationFlag.Kind.NO_SERVICE,
                    key=f"rating:{r.pk}",
                    month=first,
                    detail={"rating": r.pk, "rated_at": f"{timezone.localtime(r.rated_at):%Y-%m-%d %H:%M}"},
                    ratings=[r],
                    unit=r.unit,
                )
            )
    top = policy.evaluation.rating_levels[0].code
    counted = [r for r in rows if r.counts and r.unit_id]
    for f in figures.top_share_flags(
        ((str(r.unit_id), str(r.staff_id or ""), r.level) for r in counted),
        top_level=top,
        margin=rules.top_share_margin,
    ):
        staff_id, unit_id = int(f.detail["staff_id"]), int(f.detail["unit"])
        out.append(
            _raise_flag(
                centre_id=centre_id,
                kind=ManipulationFlag.Kind.TOP_SHARE,
                key=f"staff:{staff_id}",
                month=first,
                detail=f.detail,
                ratings=[r for r in counted if r.staff_id == staff_id and r.level == top],
                staff_id=staff_id,
                unit_id=unit_id,
            )
        )
    record_audit(actor=actor, verb="evaluation.scan", centre_id=centre_id, data={"month": f"{first:%Y-%m}"})
    return out


@transaction.atomic
def review_flag(*, flag_id: int, actor: Any, confirmed: bool, note: str) -> ManipulationFlag:
    flag = ManipulationFlag.objects.select_for_update().filter(pk=flag_id).first()
    if flag is None:
        raise NotFound("异常评价记录不存在")
    staff = _supervision(actor, flag.centre_id)
    if not note.strip():
        raise InputError("note", "请填写核查意见")
    flag.status = ManipulationFlag.Status.CONFIRMED if confirmed else ManipulationFlag.Status.DISMISSED
    flag.reviewed_by, flag.review_note = staff, note.strip()[:300]
    flag.save(update_fields=["status", "reviewed_by", "review_note"])
    record_audit(actor=staff, verb="evaluation.flag.review", target=flag, data={"confirmed": confirmed})
    return flag


# -- complaints (EVAL-2) ----------------------------------------------------------------------------------

STEP_ORDER = [
    Complaint.Step.ACCEPT,
    Complaint.Step.INVESTIGATE,
    Complaint.Step.HANDLE,
    Complaint.Step.FEEDBACK,
    Complaint.Step.ARCHIVE,
]


def _step_due(policy: Policy, step: str, today: date) -> date:
    days = getattr(policy.evaluation.complaint_deadlines, step)
    return centre_calendar().with_provisional_years().add_working_days(today, days)


@transaction.atomic
def file_complaint(
    *,
    centre_id: int,
    channel: str,
    content: str,
    name: str = "",
    phone: str = "",
    about: str = "",
    hotline_ref: str = "",
    actor: Any | None = None,
    at: datetime | None = None,
) -> Complaint:
    """Receive a complaint (受理, EVAL-2) on a channel the policy opens; the tracking code is returned."""
    now = _now(at)
    policy = _policy(centre_id, _today(now))
    if channel not in Complaint.Channel.values:
        raise InputError("channel", f"未知的投诉渠道 {channel!r}")
    if channel not in policy.evaluation.complaint_channels:
        raise RuleViolation("EVAL-2", "本中心未开通该投诉渠道", channel=channel)
    if actor is not None and channel != Complaint.Channel.WEB:
        staff = staff_of(actor)
        if staff is None or staff.centre_id != centre_id:
            raise Forbidden("无权为其他中心登记投诉")
    if not content.strip():
        raise InputError("content", "请填写投诉内容")
    digits = "".join(c for c in phone if c.isdigit())
    if phone and not 7 <= len(digits) <= 15:
        raise InputError("phone", "请填写正确的联系电话")
    complaint = Complaint.objects.create(
        centre_id=centre_id,
        tracking_code=_code(Complaint, prefix="T"),
        channel=channel,
        hotline_ref=hotline_ref.strip()[:40],
        received_at=now,
        complainant_name=name.strip()[:40],
        complainant_phone=digits,
        content=content.strip()[:4000],
        about=about.strip()[:200],
        step=Complaint.Step.ACCEPT,
        step_due_on=_step_due(policy, "accept", _today(now)),
        policy_ref=policy.ref,
    )
    ComplaintStep.objects.create(  # type: ignore[misc]  # a due date is set for every step
        complaint=complaint, step=Complaint.Step.ACCEPT, started_at=now, due_on=complaint.step_due_on
    )
    record_audit(
        actor=actor,
        verb="evaluation.complaint.file",
        target=complaint,
        data={"channel": channel, "rule": "EVAL-2"},
    )
    return complaint


def _finding(model: type, pk: int | None, centre_id: int, field: str) -> Any:
    if pk in (None, ""):
        return None
    obj = model.objects.filter(pk=pk, centre_id=centre_id).first()  # type: ignore[attr-defined]  # a model class
    if obj is None:
        raise InputError(field, "不是本中心的记录")
    return obj


@transaction.atomic
def advance_complaint(
    *,
    complaint_id: int,
    actor: Any,
    note: str = "",
    findings: str = "",
    unit_id: int | None = None,
    window_id: int | None = None,
    staff_id: int | None = None,
    outcome: str = "",
    outcome_reason: str = "",
    measures: str = "",
    feedback: str = "",
    at: datetime | None = None,
) -> Complaint:
    """Finish the current step and open the next (受理 → 调查 → 处置 → 反馈 → 归档, EVAL-2), each due in the
    policy's working days. Leaving 调查 needs the findings; leaving 处置 the outcome and its reasons (a valid
    complaint records an accountability event); leaving 反馈 what the complainant was told."""
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("投诉不存在")
    staff = _supervision(actor, complaint.centre_id)
    now = _now(at)
    if complaint.step == Complaint.Step.DONE:
        raise RuleViolation("EVAL-2", "投诉已归档", complaint_id=complaint.pk)
    step = complaint.step
    centre_id = complaint.centre_id
    if step == Complaint.Step.INVESTIGATE:
        if not findings.strip():
            raise InputError("findings", "请填写调查情况")
        complaint.findings = findings.strip()
        complaint.unit = _finding(Unit, unit_id, centre_id, "unit_id")
        complaint.window = _finding(Window, window_id, centre_id, "window_id")
        complaint.staff = _finding(Staff, staff_id, centre_id, "staff_id")
        if complaint.window and not complaint.unit:
            complaint.unit = complaint.window.unit
        if complaint.staff and not complaint.unit:
            complaint.unit = complaint.staff.unit
    elif step == Complaint.Step.HANDLE:
        if outcome not in (Complaint.Outcome.VALID, Complaint.Outcome.INVALID):
            raise InputError("outcome", "请认定有效投诉或无效投诉")
        if not outcome_reason.strip():
            raise InputError("outcome_reason", "请填写认定理由")
        if outcome == Complaint.Outcome.VALID and not (
            complaint.staff_id or complaint.window_id or complaint.unit_id
        ):
            raise InputError("outcome", "有效投诉须在调查环节认定责任人员、窗口或单位")
        complaint.outcome, complaint.outcome_reason = outcome, outcome_reason.strip()
        complaint.measures = measures.strip()
    elif step == Complaint.Step.FEEDBACK:
        if not feedback.strip():
            raise InputError("feedback", "请填写向投诉人反馈的内容")
        complaint.feedback = feedback.strip()
    current = complaint.steps.filter(step=step, completed_at__isnull=True).last()
    if current is not None:
        current.completed_at, current.by, current.note = now, staff, note.strip()
        current.save(update_fields=["completed_at", "by", "note"])
    index = STEP_ORDER.index(Complaint.Step(step))
    if index + 1 < len(STEP_ORDER):
        nxt = STEP_ORDER[index + 1]
        policy = _policy(centre_id, _today(now))
        complaint.step, complaint.step_due_on = nxt, _step_due(policy, nxt.value, _today(now))
        ComplaintStep.objects.create(
            complaint=complaint, step=nxt, started_at=now, due_on=complaint.step_due_on
        )
    else:
        complaint.step, complaint.step_due_on, complaint.archived_at = Complaint.Step.DONE, None, now
    complaint.save()
    record_audit(
        actor=staff,
        verb="evaluation.complaint.advance",
        target=complaint,
        data={"from": step, "to": complaint.step, "rule": "EVAL-2"},
    )
    if step == Complaint.Step.HANDLE and outcome == Complaint.Outcome.VALID:
        record_accountability_event(
            source=complaint,
            kind="complaint",
            occurred_on=_today(complaint.received_at),
            rule="EVAL-2",
            centre_id=centre_id,
            staff_id=complaint.staff_id,
            unit_id=complaint.unit_id,
            window_id=complaint.window_id,
            level="centre",
            summary=f"有效投诉 {complaint.tracking_code}：{complaint.outcome_reason[:150]}",
            actor=staff,
        )
    return complaint


# -- suggestion box and call-backs (ASK-2) -----------------------------------------------------------------


@transaction.atomic
def submit_suggestion(
    *, centre_id: int, channel: str, content: str, name: str = "", phone: str = "", at: datetime | None = None
) -> Suggestion:
    now = _now(at)
    if channel not in Suggestion.Channel.values:
        raise InputError("channel", "未知的渠道")
    if not content.strip():
        raise InputError("content", "请填写意见建议")
    digits = "".join(c for c in phone if c.isdigit())
    if phone and not 7 <= len(digits) <= 15:
        raise InputError("phone", "请填写正确的联系电话")
    policy = _policy(centre_id, _today(now))
    due = (
        centre_calendar()
        .with_provisional_years()
        .add_working_days(_today(now), policy.evaluation.callbacks.suggestion_reply_working_days)
        if digits
        else None
    )
    suggestion = Suggestion.objects.create(
        centre_id=centre_id,
        tracking_code=_code(Suggestion, prefix="Y"),
        channel=channel,
        received_at=now,
        name=name.strip()[:40],
        phone=digits,
        content=content.strip()[:4000],
        reply_due_on=due,
    )
    record_audit(actor=None, verb="evaluation.suggestion.submit", target=suggestion)
    return suggestion


@transaction.atomic
def reply_suggestion(*, suggestion_id: int, actor: Any, reply: str, adopted: bool = False) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound("意见不存在")
    staff = _supervision(actor, suggestion.centre_id)
    if not reply.strip():
        raise InputError("reply", "请填写答复内容")
    suggestion.reply, suggestion.adopted = reply.strip(), adopted
    suggestion.replied_at, suggestion.replied_by = timezone.now(), staff
    suggestion.save(update_fields=["reply", "adopted", "replied_at", "replied_by"])
    record_audit(actor=staff, verb="evaluation.suggestion.reply", target=suggestion)
    return suggestion


@transaction.atomic
def record_unserved(
    *,
    actor: Any,
    window_id: int | None,
    reason: str,
    business: str,
    name: str,
    phone: str,
    at: datetime | None = None,
) -> UnservedCallback:
    """A citizen who could not be served leaves a phone number (004 第八条6): call back within the
    policy's working days (ASK-2)."""
    staff = staff_of(actor)
    if staff is None:
        raise Forbidden("需要工作人员账号")
    window = None
    if window_id:
        window = Window.objects.filter(pk=window_id, centre_id=staff.centre_id).first()
        if window is None:
            raise InputError("window_id", "不是本中心的窗口")
    if reason not in UnservedCallback.Reason.values:
        raise InputError("reason", "请选择未能办理的原因")
    digits = "".join(c for c in phone if c.isdigit())
    if not 7 <= len(digits) <= 15:
        raise InputError("phone", "请填写正确的联系电话")
    if not name.strip() or not business.strip():
        raise InputError("name" if not name.strip() else "business", "请填写姓名和所办事项")
    now = _now(at)
    policy = _policy(staff.centre_id, _today(now))
    days = policy.evaluation.callbacks.unserved_callback_working_days
    entry = UnservedCallback.objects.create(
        centre_id=staff.centre_id,
        window=window,
        recorded_by=staff,
        recorded_at=now,
        reason=reason,
        business=business.strip()[:200],
        name=name.strip()[:40],
        phone=digits,
        due_on=centre_calendar().with_provisional_years().add_working_days(_today(now), days),
    )
    record_audit(actor=staff, verb="evaluation.unserved.record", target=entry, data={"rule": "ASK-2"})
    return entry


@transaction.atomic
def record_unserved_outcome(
    *, entry_id: int, actor: Any, outcome: str, note: str = "", at: datetime | None = None
) -> UnservedCallback:
    entry = UnservedCallback.objects.select_for_update().filter(pk=entry_id).first()
    staff = staff_of(actor)
    if entry is None or staff is None or staff.centre_id != entry.centre_id:
        raise NotFound("回访记录不存在")
    if role_of(actor) not in SUPERVISION and entry.recorded_by_id != staff.pk:
        unit_id = entry.window.unit_id if entry.window else None
        if not (role_of(actor) == Role.CHIEF_REP and unit_id == staff.unit_id):
            raise Forbidden("无权登记此回访")
    if outcome not in UnservedCallback.Outcome.values or not outcome:
        raise InputError("outcome", "请选择回访结果")
    entry.outcome, entry.outcome_note = outcome, note.strip()[:300]
    entry.called_at, entry.called_by = _now(at), staff
    entry.save(update_fields=["outcome", "outcome_note", "called_at", "called_by"])
    record_audit(actor=staff, verb="evaluation.unserved.outcome", target=entry, data={"outcome": outcome})
    return entry


@transaction.atomic
def reveal_rater_contact(*, task_id: int, actor: Any) -> RaterContact | None:
    """The phone of a named bad rating, for the supervision office's call-back only; every look is audited.
    No list, export or API shows it."""
    task = Rectification.objects.select_related("rating").filter(pk=task_id).first()
    if task is None:
        raise NotFound("整改任务不存在")
    staff = _supervision(actor, task.centre_id)
    contact = RaterContact.objects.filter(rating=task.rating).first()
    record_audit(actor=staff, verb="evaluation.contact.reveal", target=task, reason="差评回访")
    return contact
