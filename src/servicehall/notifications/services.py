"""Send in-app notifications (站内通知), and mail them when an email backend is configured.

`notify` writes the rows in the caller's transaction; the mail goes out only after commit, so a
rolled-back action never mails anyone. Mail is on when `SERVICEHALL_NOTIFY_EMAIL` is set (any Django
email backend via EMAIL_BACKEND); staff without an address on their user account get the in-app row only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from servicehall.core.errors import Forbidden, NotFound
from servicehall.core.tasks import task
from servicehall.notifications.models import StaffNotification
from servicehall.org.models import Staff


def notify(
    *,
    recipients: Iterable[Staff | None],
    kind: str,
    text: str,
    link: str = "",
    rule_id: str = "",
    at: datetime | None = None,
) -> list[StaffNotification]:
    """One row per distinct recipient (None and duplicates skipped), bulk-inserted."""
    at = at or timezone.now()
    seen: set[int] = set()
    rows = []
    for staff in recipients:
        if staff is None or staff.pk in seen:
            continue
        seen.add(staff.pk)
        rows.append(
            StaffNotification(
                centre_id=staff.centre_id,
                recipient=staff,
                kind=kind,
                text=text[:300],
                link=link,
                rule_id=rule_id,
                created_at=at,
            )
        )
    created = StaffNotification.objects.bulk_create(rows)
    if created and getattr(settings, "SERVICEHALL_NOTIFY_EMAIL", False):
        ids = [n.pk for n in created if n.pk is not None]
        transaction.on_commit(lambda: mail_task.delay(notification_ids=ids))
    return created


def send_notification_mail(*, notification_ids: list[int]) -> int:
    """The email hook: mail each notification whose recipient has an address; returns how many went."""
    from django.core.mail import send_mail

    sent = 0
    for note in StaffNotification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient__user"):
        address = getattr(note.recipient.user, "email", "") if note.recipient.user_id else ""
        if not address:
            continue
        send_mail(f"[政务服务中心] {note.text[:40]}", note.text, None, [address], fail_silently=True)
        StaffNotification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task("notifications.mail")
def mail_task(*, notification_ids: list[int]) -> int:
    """Mail notifications from the task worker (or at once, in-process, without one)."""
    return send_notification_mail(notification_ids=notification_ids)


@transaction.atomic
def mark_read(*, notification_id: int, actor: Staff) -> None:
    note = StaffNotification.objects.filter(pk=notification_id).first()
    if note is None or note.centre_id != actor.centre_id:
        raise NotFound("通知不存在")
    if note.recipient_id != actor.pk:
        raise Forbidden("只能标记自己的通知")
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
