"""Notification mail goes through the task queue: in-process without a broker (core/tasks.py)."""

from __future__ import annotations

import pytest
from django.core import mail

from servicehall.notifications.models import StaffNotification
from servicehall.notifications.services import notify
from servicehall.org.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_notification_mail_is_sent_after_commit_by_the_mail_task(settings):
    """Mailed once the notification row is committed; the task marks it emailed."""
    settings.SERVICEHALL_NOTIFY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff = StaffFactory(user=UserFactory(email="w1@example.gov.cn"))
    [note] = notify(recipients=[staff, staff, None], kind="card", text="办件亮黄牌", rule_id="SUP-1")
    assert [m.to for m in mail.outbox] == [["w1@example.gov.cn"]]
    assert StaffNotification.objects.get(pk=note.pk).emailed_at is not None
