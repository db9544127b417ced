"""A small installation for organisation tests: two centres; centre 1 has units A and B."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.org.tests.factories import (
    CentreFactory,
    CentreStaffFactory,
    StaffFactory,
    UnitFactory,
    WindowFactory,
)


@dataclass
class World:
    centre: Centre
    other_centre: Centre
    unit_a: Unit
    unit_b: Unit
    window_a: Window
    window_a2: Window
    window_b: Window
    other_window: Window
    clerk_a: Staff  # window staff of unit A, seated at window_a
    clerk_a2: Staff  # window staff of unit A at window_a2
    clerk_b: Staff
    chief_a: Staff
    admin: Staff
    supervisor: Staff
    auditor: Staff
    other_admin: Staff
    other_clerk: Staff

    def user(self, name: str) -> Any:
        return getattr(self, name).user


@pytest.fixture
def world(db) -> World:
    centre = CentreFactory(code="county", name="原州区政务服务中心", complaint_phone="0954-12345")
    other = CentreFactory(code="town", name="三营镇便民服务中心", kind=Centre.Kind.TOWN, parent=centre)
    unit_a = UnitFactory(centre=centre, name="区市场监督管理局")
    unit_b = UnitFactory(centre=centre, name="区人力资源和社会保障局")
    other_unit = UnitFactory(centre=other, name="三营镇民政办")
    window_a = WindowFactory(
        unit=unit_a, number="1", name="企业登记", business_scope="企业设立、变更、注销登记"
    )
    window_a2 = WindowFactory(unit=unit_a, number="2", name="食品经营许可")
    window_b = WindowFactory(unit=unit_b, number="10", name="社保参保登记")
    other_window = WindowFactory(unit=other_unit, number="1", name="民政综合")
    clerk_a = StaffFactory(unit=unit_a, with_user=True, name="张敏", title="科员", post_title="企业登记受理")
    clerk_a.windows.add(window_a)
    clerk_a2 = StaffFactory(unit=unit_a, with_user=True)
    clerk_a2.windows.add(window_a2)
    clerk_b = StaffFactory(unit=unit_b, with_user=True, phone="13900000002")
    clerk_b.windows.add(window_b)
    chief_a = StaffFactory(unit=unit_a, role=Staff.Role.CHIEF_REP, with_user=True)
    unit_a.chief_rep = chief_a
    unit_a.save()
    other_clerk = StaffFactory(unit=other_unit, with_user=True)
    other_clerk.windows.add(other_window)
    return World(
        centre=centre,
        other_centre=other,
        unit_a=unit_a,
        unit_b=unit_b,
        window_a=window_a,
        window_a2=window_a2,
        window_b=window_b,
        other_window=other_window,
        clerk_a=clerk_a,
        clerk_a2=clerk_a2,
        clerk_b=clerk_b,
        chief_a=chief_a,
        admin=CentreStaffFactory(centre=centre, with_user=True),
        supervisor=CentreStaffFactory(centre=centre, role=Staff.Role.SUPERVISOR, with_user=True),
        auditor=CentreStaffFactory(centre=centre, role=Staff.Role.AUDITOR, with_user=True),
        other_admin=CentreStaffFactory(centre=other, with_user=True),
        other_clerk=other_clerk,
    )
