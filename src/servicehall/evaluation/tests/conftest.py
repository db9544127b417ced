"""A small hall for evaluation tests: two units, windows, staff, a chief rep and the supervision office."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.org.tests.factories import (
    CentreFactory,
    CentreStaffFactory,
    StaffFactory,
    UnitFactory,
    WindowFactory,
)
from servicehall.queue.models import ServiceLine, Ticket

_SEQ = itertools.count(1)


@dataclass
class Voice:
    centre: Centre
    unit_a: Unit
    unit_b: Unit
    window_a: Window
    window_a2: Window
    window_b: Window
    clerk_a: Staff
    clerk_a2: Staff
    clerk_b: Staff
    chief_a: Staff
    chief_b: Staff
    supervisor: Staff
    admin: Staff
    auditor: Staff
    line: ServiceLine

    def finished_ticket(
        self, *, window: Window | None = None, staff: Staff | None = None, at: datetime | None = None
    ) -> Ticket:
        window = window or self.window_a
        staff = staff or self.clerk_a
        at = at or timezone.now()
        seq = next(_SEQ)
        return Ticket.objects.create(
            centre=self.centre,
            line=self.line,
            issued_line=self.line,
            day=timezone.localtime(at).date(),
            seq=seq,
            number=f"A{seq:03d}",
            status=Ticket.Status.FINISHED,
            issued_at=at,
            queued_at=at,
            called_at=at,
            finished_at=at,
            window=window,
            staff=staff,
        )


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def make_voice(code: str = "voice") -> Voice:
    centre = CentreFactory(code=code, name="原州区政务服务中心")
    unit_a = UnitFactory(centre=centre, name="区市场监督管理局", short_name="市场监管")
    unit_b = UnitFactory(centre=centre, name="区人力资源和社会保障局", short_name="人社")
    window_a = WindowFactory(unit=unit_a, number="1", name="企业登记")
    window_a2 = WindowFactory(unit=unit_a, number="2", name="食品经营许可")
    window_b = WindowFactory(unit=unit_b, number="10", name="社保参保登记")
    clerk_a = StaffFactory(unit=unit_a, with_user=True, name="张敏")
    clerk_a.windows.add(window_a)
    clerk_a2 = StaffFactory(unit=unit_a, with_user=True, name="李强")
    clerk_a2.windows.add(window_a2)
    clerk_b = StaffFactory(unit=unit_b, with_user=True, name="王芳")
    clerk_b.windows.add(window_b)
    chief_a = StaffFactory(unit=unit_a, role=Staff.Role.CHIEF_REP, with_user=True)
    chief_b = StaffFactory(unit=unit_b, role=Staff.Role.CHIEF_REP, with_user=True)
    line = ServiceLine.objects.create(centre=centre, name="综合", prefix="A")
    return Voice(
        centre=centre,
        unit_a=unit_a,
        unit_b=unit_b,
        window_a=window_a,
        window_a2=window_a2,
        window_b=window_b,
        clerk_a=clerk_a,
        clerk_a2=clerk_a2,
        clerk_b=clerk_b,
        chief_a=chief_a,
        chief_b=chief_b,
        supervisor=CentreStaffFactory(centre=centre, role=Staff.Role.SUPERVISOR, with_user=True),
        admin=CentreStaffFactory(centre=centre, with_user=True),
        auditor=CentreStaffFactory(centre=centre, role=Staff.Role.AUDITOR, with_user=True),
        line=line,
    )


@pytest.fixture
def voice(db) -> Any:
    return make_voice()
