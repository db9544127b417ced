"""Writes of the consultation log (咨询登记, 首问负责): log an inquiry, answer a promised one (ASK-1..3).

The `Inquiry` and `Notification` tables are declared in the cases app (a case can be registered from an
inquiry); every write and read of them lives here.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from servicehall.cases.calendars import centre_calendar
from servicehall.cases.enums import Channel, InquiryOutcome
from servicehall.cases.models import Inquiry, Notification
from servicehall.cases.policies import policies_for
from servicehall.catalog.models import Item
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation, parse_choice
from servicehall.org.models import Staff, Window


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _vet_answer(*, actor: Staff, text: str, override_reason: str, context: str) -> None:
    """Forbidden-phrase check of a written answer (LANG-4, ASK-3): a flagged answer needs an explicit
    override with a reason, which the language domain records; without that domain, nothing is checked."""
    if not text.strip():
        return
    try:
        from servicehall.language.selectors import policy_for
        from servicehall.language.services import vet_reply
    except ImportError:
        return
    vet_reply(
        staff=actor,
        text=text,
        policy=policy_for(getattr(actor, "user", None)),
        override_reason=override_reason,
        context=context,
    )


@transaction.atomic
def log_inquiry(
    *,
    actor: Staff,
    channel: str,
    question: str,
    outcome: str,
    item: Item | None = None,
    answer: str = "",
    referred_window: Window | None = None,
    referred_location: str = "",
    promised_by: datetime | None = None,
    visitor_name: str = "",
    contact: str = "",
    language_override_reason: str = "",
    at: datetime | None = None,
) -> Inquiry:
    """首问负责 (ASK-1): answer it, refer to the right window with its location, or promise a reply (ASK-2)."""
    at = _now(at)
    if actor is None:
        raise Forbidden("只有工作人员可以登记咨询")
    policies = policies_for(actor.centre)
    channel = parse_choice(Channel, channel, "channel")
    if channel not in policies.consultation.channels:
        raise RuleViolation("ASK-3", f"本中心未开通「{channel.label}」咨询渠道", channel=channel.value)
    if not question.strip():
        raise InputError("question", "ASK-2: 须记录咨询问题")
    outcome = parse_choice(InquiryOutcome, outcome, "outcome")
    if item is not None and item.centre_id != actor.centre_id:
        raise InputError("item", "事项不属于本服务中心")
    if outcome == InquiryOutcome.ANSWERED and not answer.strip():
        raise InputError("answer", "ASK-1: 当场答复须记录答复内容")
    if outcome == InquiryOutcome.REFERRED:
        if referred_window is None or referred_window.centre_id != actor.centre_id:
            raise RuleViolation("ASK-1", "引导须指明本中心的具体窗口")
        referred_location = referred_location.strip() or " ".join(
            p for p in (referred_window.floor, referred_window.location) if p
        )
        if policies.consultation.referral_needs_location and not referred_location:
            raise RuleViolation(
                "ASK-1", "引导须告知窗口的具体位置（楼层/位置）", window=referred_window.number
            )
    if outcome == InquiryOutcome.PROMISED:
        if not contact.strip():
            raise RuleViolation("ASK-2", "承诺答复须记录咨询人的联系方式")
        promised_by = promised_by or default_reply_deadline(centre=actor.centre, at=at)
        latest = default_reply_deadline(
            centre=actor.centre, at=at, days=policies.consultation.max_reply_promise_working_days
        )
        if promised_by > latest:
            raise RuleViolation("ASK-2", f"承诺答复时间不得晚于 {timezone.localtime(latest):%Y-%m-%d %H:%M}")
        if promised_by <= at:
            raise InputError("promised_by", "ASK-2: 承诺答复时间须晚于现在")
    _vet_answer(actor=actor, text=answer, override_reason=language_override_reason, context="cases.inquiry")
    inquiry = Inquiry.objects.create(
        centre=actor.centre,
        channel=channel,
        question=question.strip(),
        item=item,
        asked=actor,
        asked_at=at,
        visitor_name=visitor_name.strip(),
        contact=contact.strip(),
        outcome=outcome,
        answer=answer.strip(),
        referred_window=referred_window if outcome == InquiryOutcome.REFERRED else None,
        referred_location=referred_location if outcome == InquiryOutcome.REFERRED else "",
        promised_by=promised_by if outcome == InquiryOutcome.PROMISED else None,
        replied_at=at if outcome == InquiryOutcome.ANSWERED else None,
        replied_by=actor if outcome == InquiryOutcome.ANSWERED else None,
        language_override_reason=language_override_reason.strip(),
        policy_ref=policies.ref,
    )
    if outcome == InquiryOutcome.REFERRED:
        text = f"ASK-1: {actor.name}引导咨询至{referred_window.number}号窗口：{question.strip()[:80]}"  # type: ignore[union-attr]  # a referral has its window (checked above)
        for staff in referred_window.staff.filter(is_active=True):  # type: ignore[union-attr]  # a referral has its window (checked above)
            Notification.objects.create(centre=actor.centre, recipient=staff, text=text, inquiry=inquiry)
    record_audit(actor=actor, verb="cases.inquiry.log", target=inquiry, data={"outcome": outcome.value})
    return inquiry


def default_reply_deadline(*, centre: object, at: datetime, days: int | None = None) -> datetime:
    """End of the hall day `days` working days after `at` (ASK-2)."""
    policies = policies_for(centre)
    days = policies.consultation.reply_promise_working_days if days is None else days
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    day = centre_calendar().with_provisional_years().add_working_days(local.date(), days)
    closing: time = policies.cases.closing_time
    return timezone.make_aware(datetime.combine(day, closing))


@transaction.atomic
def answer_inquiry(
    *,
    inquiry_id: int,
    actor: Staff,
    answer: str,
    language_override_reason: str = "",
    at: datetime | None = None,
) -> Inquiry:
    """Answer a promised inquiry once, within the promised time if possible (ASK-2)."""
    at = _now(at)
    try:
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
    except Inquiry.DoesNotExist:
        raise NotFound("咨询记录不存在", inquiry_id=inquiry_id) from None
    if actor is None or actor.centre_id != inquiry.centre_id:
        raise Forbidden("无权答复其他中心的咨询")
    if inquiry.replied_at is not None:
        raise RuleViolation("ASK-2", "该咨询已答复（答复一次）", inquiry_id=inquiry.pk)
    if not answer.strip():
        raise InputError("answer", "ASK-2: 答复内容不能为空")
    _vet_answer(
        actor=actor, text=answer, override_reason=language_override_reason, context="cases.inquiry.answer"
    )
    late = inquiry.promised_by is not None and at > inquiry.promised_by
    inquiry.answer, inquiry.replied_at, inquiry.replied_by = answer.strip(), at, actor
    if language_override_reason.strip():
        inquiry.language_override_reason = language_override_reason.strip()
    inquiry.save(update_fields=["answer", "replied_at", "replied_by", "language_override_reason"])
    record_audit(actor=actor, verb="cases.inquiry.answer", target=inquiry, data={"late": late})
    return inquiry


@transaction.atomic
def mark_notification_read(*, notification_id: int, actor: Staff) -> None:
    Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
