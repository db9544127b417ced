"""Factories for the case domain, built on the org and catalog factories."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from servicehall.catalog.models import Material
from servicehall.catalog.tests.factories import ItemFactory
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreStaffFactory, StaffFactory, UnitFactory, WindowFactory


def local(*args: int) -> datetime:
    """An aware datetime in the hall's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(*args))


class Hall:
    """A centre with one unit, a window on the second floor, its staff, a chief rep and the centre office."""

    def __init__(self, *, case_type: str = "promised", promised_days: int = 5, materials: int = 3) -> None:
        self.unit = UnitFactory(name="市场监督管理局")
        self.centre = self.unit.centre
        self.window = WindowFactory(
            unit=self.unit, number="8", name="市场准入", floor="二楼", location="东区"
        )
        self.staff = StaffFactory(unit=self.unit, name="王受理", phone="13900000000")
        self.staff.windows.add(self.window)
        self.colleague = StaffFactory(unit=self.unit, name="李同事")
        self.chief = StaffFactory(unit=self.unit, name="赵首代", role=Staff.Role.CHIEF_REP)
        self.office = CentreStaffFactory(centre=self.centre, name="钱管理")
        self.item = ItemFactory(
            unit=self.unit, name="食品经营许可", case_type=case_type, promised_days=promised_days
        )
        self.materials = [
            Material.objects.create(item=self.item, position=i, name=name)
            for i, name in enumerate(
                ["营业执照复印件", "经营场所平面图", "法定代表人身份证"][:materials], start=1
            )
        ]
