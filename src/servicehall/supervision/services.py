"""Writes of electronic supervision (电子监察): card replies, appeals and decisions (SUP-1), 超时默认
(CASE-6), fees (SUP-2) and unit leaders' office days (篇6 §14). Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from servicehall.accountability.services import record_accountability_event, withdraw_accountability_event
from servicehall.cases import services as case_services
from servicehall.cases.models import Case
from servicehall.catalog.models import FeeScheduleLine
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.roles import Role
from servicehall.notifications.services import notify
from servicehall.org.models import Staff, Unit
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.supervision.models import (
    Card,
    CardSchedule,
    CardStatus,
    Colour,
    FeeCharge,
    Investigation,
    LeaderOfficeDay,
    Trigger,
)

OFFICE = frozenset({Role.SUPERVISOR, Role.CENTRE_ADMIN})


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _lock_card(card_id: int, actor: Staff) -> Card:
    card = Card.objects.select_for_update().select_related("case", "unit").filter(pk=card_id).first()
    if card is None or actor is None or card.centre_id != actor.centre_id:
        raise NotFound("监察牌不存在", card_id=card_id)
    return card


def _ensure_unit_side(actor: Staff, card: Card) -> None:
    """The unit answers for its card: the responsible staff or the unit's chief representative."""
    if actor.pk == card.responsible_id:
        return
    if actor.role == Role.CHIEF_REP and actor.unit_id == card.unit_id:
        return
    raise Forbidden("SUP-1: 只有责任人或本单位首席代表可以回复、申诉监察牌")


def _ensure_office(actor: Staff, rule_id: str = "SUP-1") -> None:
    if actor is None or actor.role not in OFFICE or not actor.is_active:
        raise Forbidden(f"{rule_id}: 只有效能监察室或中心管理办可以作出决定")


@transaction.atomic
def reply_to_card(*, card_id: int, actor: Staff, text: str, at: datetime | None = None) -> Card:
    """The unit's written reply (书面回复) within the policy's working days (SUP-1)."""
    at = _now(at)
    card = _lock_card(card_id, actor)
    _ensure_unit_side(actor, card)
    if card.status != CardStatus.OPEN:
        raise RuleViolation("SUP-1", f"监察牌当前为「{card.get_status_display()}」，不能再回复")
    if len(text.strip()) < 10:
        raise InputError("reply", "SUP-1: 书面回复须写明原因和整改措施（至少 10 个字）")
    card.reply, card.replied_at, card.replied_by = text.strip(), at, actor
    card.status = CardStatus.REPLIED
    card.save(update_fields=["reply", "replied_at", "replied_by", "status"])
    late = card.reply_due_on is not None and timezone.localtime(at).date() > card.reply_due_on
    record_audit(
        actor=actor, verb="supervision.card.reply", target=card, data={"rule": "SUP-1", "late": late}
    )
    return card


@transaction.atomic
def appeal_card(*, card_id: int, actor: Staff, reason: str, at: datetime | None = None) -> Card:
    """申诉: the unit contests the card; the supervision office then upholds or withdraws it (SUP-1)."""
    at = _now(at)
    card = _lock_card(card_id, actor)
    _ensure_unit_side(actor, card)
    if not policy_for_centre(centre_id=card.centre_id).supervision.card_appeal_allowed:
        raise RuleViolation("SUP-1", "本中心政策不允许对监察牌申诉")
    if card.status not in (CardStatus.OPEN, CardStatus.REPLIED):
        raise RuleViolation("SUP-1", f"监察牌当前为「{card.get_status_display()}」，不能申诉")
    if len(reason.strip()) < 10:
        raise InputError("appeal", "SUP-1: 申诉须写明理由和依据（至少 10 个字）")
    card.appeal, card.appealed_at, card.status = reason.strip(), at, CardStatus.APPEALED
    card.save(update_fields=["appeal", "appealed_at", "status"])
    record_audit(
        actor=actor, verb="supervision.card.appeal", target=card, reason=reason, data={"rule": "SUP-1"}
    )
    office = Staff.objects.filter(centre_id=card.centre_id, role=Role.SUPERVISOR, is_active=True)
    notify(
        recipients=office,
        kind="supervision.appeal",
        text=f"监察牌 #{card.pk} 收到申诉",
        link=_link(card),
        at=at,
    )
    return card


def _unit_side(card: Card) -> list[Staff | None]:
    chiefs = Staff.objects.filter(unit_id=card.unit_id, role=Role.CHIEF_REP, is_active=True)
    return [card.responsible, card.unit.chief_rep, *chiefs]


def _chiefs(unit_id: int) -> list[Staff]:
    return list(Staff.objects.filter(unit_id=unit_id, role=Role.CHIEF_REP, is_active=True))


def _link(card: Card) -> str:
    return f"/supervision/cards/{card.pk}/"


@transaction.atomic
def decide_card(*, card_id: int, actor: Staff, uphold: bool, note: str, at: datetime | None = None) -> Card:
    """维持 or 撤销 (SUP-1). An upheld card is an accountability event (kind "card"); a withdrawn one
    stops counting against the staff, window and unit."""
    at = _now(at)
    card = _lock_card(card_id, actor)
    _ensure_office(actor)
    if card.status in (CardStatus.UPHELD, CardStatus.WITHDRAWN):
        raise RuleViolation("SUP-1", f"监察牌已{card.get_status_display()}")
    if not note.strip():
        raise InputError("note", "SUP-1: 决定须写明意见")
    card.status = CardStatus.UPHELD if uphold else CardStatus.WITHDRAWN
    card.decided_by, card.decided_at, card.decision_note = actor, at, note.strip()
    card.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if uphold:
        record_accountability_event(
            source=card,
            kind="card",
            occurred_on=timezone.localtime(card.raised_at).date(),
            rule=card.rule_id,
            centre_id=card.centre_id,
            staff_id=card.responsible_id,
            unit_id=card.unit_id,
            window_id=card.window_id,
            level=card.colour,
            summary=f"{card.get_colour_display()}：{card.get_trigger_display()}（办件 {card.case.number}）",
            actor=actor,
        )
    else:
        withdraw_accountability_event(source=card, kind="card", actor=actor, reason=note)
    record_audit(
        actor=actor,
        verb="supervision.card.uphold" if uphold else "supervision.card.withdraw",
        target=card,
        reason=note,
        data={"rule": "SUP-1"},
    )
    recipients = _unit_side(card)
    verdict = "维持" if uphold else "撤销"
    notify(
        recipients=recipients,
        kind="supervision.decision",
        text=f"监察牌 #{card.pk} 已{verdict}",
        link=_link(card),
        at=at,
    )
    return card


# -- 超时默认 (CASE-6) ----------------------------------------------------------------------------------


@transaction.atomic
def urge_overdue_case(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """督促: the supervision office urges the window of an overdue case to finish at once (CASE-6)."""
    at = _now(at)
    case = case_services.urge_case(case_id=case_id, actor=actor, note=note, at=at)
    notify(
        recipients=[case.responsible, case.item.unit.chief_rep, *_chiefs(case.item.unit_id)],
        kind="supervision.urge",
        text=f"办件 {case.number} 已超过办结期限，效能监察室督促立即办理",
        link=f"/cases/{case.pk}/",
        rule_id="CASE-6",
        at=at,
    )
    return case


@transaction.atomic
def approve_overdue_by_default(
    *, case_id: int, actor: Staff, note: str = "", at: datetime | None = None
) -> Investigation:
    """超时默认 (CASE-6): approve by default and issue the result where policy and item allow it, then
    open an investigation of the unit. Every step is logged with its rule."""
    at = _now(at)
    _ensure_office(actor, "CASE-6")
    case = Case.objects.select_related("item__unit").filter(pk=case_id, centre_id=actor.centre_id).first()
    if case is None:
        raise NotFound("办件不存在", case_id=case_id)
    policy = policy_for_centre(centre_id=case.centre_id)
    if not policy.supervision.default_approval_allowed:
        raise RuleViolation("CASE-6", "本中心政策未启用超时默认，只能督促办理", policy=policy.ref)
    case = case_services.approve_by_default(case_id=case_id, actor=actor, note=note, at=at)
    investigation = Investigation.objects.create(
        centre_id=case.centre_id,
        unit=case.item.unit,
        case=case,
        rule_id="CASE-6",
        reason=f"办件 {case.number} 超过办结期限 {case.due_on}，超时默认办结；单位接受调查和督查",
        opened_at=at,
        opened_by=actor,
    )
    record_audit(
        actor=actor,
        verb="supervision.investigation.open",
        target=investigation,
        data={"rule": "CASE-6", "case": case.pk, "policy": policy.ref},
    )
    notify(
        recipients=[case.responsible, case.item.unit.chief_rep, *_chiefs(case.item.unit_id)],
        kind="supervision.investigation",
        text=f"办件 {case.number} 超时默认办结，{case.item.unit} 接受效能监察室调查",
        link=f"/cases/{case.pk}/",
        rule_id="CASE-6",
        at=at,
    )
    return investigation


# -- fees (SUP-2) -----------------------------------------------------------------------------------


@transaction.atomic
def charge_fee(
    *,
    case_id: int,
    actor: Staff,
    name: str,
    amount: str | Decimal,
    receipt_no: str,
    at: datetime | None = None,
) -> FeeCharge:
    """Record a fee charged on a case (收费, SUP-2) with its receipt number; each schedule line once.

    A fee whose name is not on the item's schedule, or whose amount differs from it, is recorded as
    charged (the money was taken) and raises a red card against the window (超标准收费).
    """
    at = _now(at)
    case = Case.objects.select_for_update().select_related("item").filter(pk=case_id).first()
    if case is None or actor is None or case.centre_id != actor.centre_id:
        raise NotFound("办件不存在", case_id=case_id)
    case_services.ensure_may_handle(actor, case)
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InputError("amount", f"金额应为数字，收到 {amount!r}") from None
    if value < 0:
        raise InputError("amount", "金额不能为负数")
    if not receipt_no.strip():
        raise InputError("receipt_no", "SUP-2: 收费须填写票据号")
    if not name.strip():
        raise InputError("name", "收费项目不能为空")
    line = FeeScheduleLine.objects.filter(item=case.item, name=name.strip()).first()
    expected = Decimal(0) if line is None or line.free else line.amount
    on_schedule = line is not None and value == expected
    if line is not None and FeeCharge.objects.filter(case=case, schedule_line=line).exists():
        raise RuleViolation("SUP-2", f"「{line.name}」已收取，一次性收费不得重复收取", line=line.name)
    if FeeCharge.objects.filter(centre_id=case.centre_id, receipt_no=receipt_no.strip()).exists():
        raise InputError("receipt_no", f"票据号 {receipt_no.strip()} 已使用")
    policy = policy_for_centre(centre_id=case.centre_id)
    try:
        with transaction.atomic():
            fee = FeeCharge.objects.create(
                centre_id=case.centre_id,
                case=case,
                item=case.item,
                schedule_line=line,
                name=name.strip(),
                amount=value,
                receipt_no=receipt_no.strip(),
                charged_at=at,
                charged_by=actor,
                window=case.window,
                unit_id=case.item.unit_id,
                on_schedule=on_schedule,
                policy_ref=policy.ref,
            )
    except IntegrityError:
        raise RuleViolation("SUP-2", "该收费项目已收取或票据号已使用") from None
    record_audit(
        actor=actor,
        verb="supervision.fee.charge",
        target=fee,
        data={"rule": "SUP-2", "amount": str(value), "on_schedule": on_schedule, "case": case.pk},
    )
    if not on_schedule and "fee_off_schedule" in policy.supervision.card_triggers:
        _schedule_now(
            case=case,
            trigger=Trigger.FEE_OFF_SCHEDULE,
            colour=Colour.RED,
            subject=f"fee:{fee.pk}",
            rule_id="SUP-2",
            at=at,
            policy_ref=policy.ref,
            evidence={
                "fee": name.strip(),
                "amount": str(value),
                "receipt_no": fee.receipt_no,
                "schedule": [str(fl) for fl in case.item.fee_lines.all()] or ["不收费"],
                "expected": None if line is None else str(expected),
            },
        )
    return fee


def _schedule_now(
    *,
    case: Case,
    trigger: str,
    colour: str,
    subject: str,
    rule_id: str,
    at: datetime,
    policy_ref: str,
    evidence: dict,
) -> CardSchedule:
    """A card due at once: the next sweep issues it through the same door as every other card."""
    row, _ = CardSchedule.objects.get_or_create(
        case=case,
        trigger=trigger,
        colour=colour,
        subject=subject,
        defaults={
            "rule_id": rule_id,
            "due_date": timezone.localtime(at).date(),
            "due_at": at,
            "evidence": evidence,
            "policy_ref": policy_ref,
        },
    )
    return row


# -- unit leaders at the centre (篇6 §14) ---------------------------------------------------------


@transaction.atomic
def record_leader_office_day(
    *, unit_id: int, actor: Staff, leader_name: str, on: date, note: str = ""
) -> LeaderOfficeDay:
    """The centre office records a day a unit leader worked at the centre (分管领导每月到窗口现场办公)."""
    if actor is None or actor.role not in OFFICE:
        raise Forbidden("单位领导到中心办公由中心管理办登记")
    unit = Unit.objects.filter(pk=unit_id, centre_id=actor.centre_id).first()
    if unit is None:
        raise NotFound("单位不存在", unit_id=unit_id)
    if not leader_name.strip():
        raise InputError("leader_name", "请填写领导姓名")
    day, created = LeaderOfficeDay.objects.get_or_create(
        centre_id=actor.centre_id,
        unit=unit,
        leader_name=leader_name.strip(),
        on=on,
        defaults={"note": note.strip(), "recorded_by": actor},
    )
    if created:
        record_audit(actor=actor, verb="supervision.leader_day", target=day, data={"on": on.isoformat()})
    return day
