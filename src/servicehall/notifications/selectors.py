"""Reads of in-app notifications: only the viewer's own."""

from __future__ import annotations

from django.db.models import QuerySet

from servicehall.notifications.models import StaffNotification
from servicehall.org.models import Staff


def notifications_for(*, viewer: Staff, unread_only: bool = False) -> QuerySet[StaffNotification]:
    qs = StaffNotification.objects.filter(recipient=viewer)
    return qs.filter(read_at__isnull=True) if unread_only else qs
