"""Factories for attendance records."""

from __future__ import annotations

from datetime import datetime

import factory
from django.utils import timezone

from servicehall.attendance.models import OffPostRecord, Punch
from servicehall.org.tests.factories import StaffFactory


class PunchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Punch

    staff = factory.SubFactory(StaffFactory)
    centre = factory.SelfAttribute("staff.centre")
    at = factory.LazyFunction(lambda: timezone.make_aware(datetime(2026, 3, 2, 8, 20)))


class OffPostRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OffPostRecord

    staff = factory.SubFactory(StaffFactory)
    centre = factory.SelfAttribute("staff.centre")
    date = factory.LazyFunction(lambda: datetime(2026, 3, 2).date())
    minutes = 130
