"""Leave test helpers: policies from the shipped presets, a plain weekday calendar and a fixed clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory, WindowFactory
from servicehall.policy.loader import resolve_policy_data
from servicehall.policy.schema import Policy
from servicehall.policy.sections.leave import LeavePolicy
from servicehall.workdays.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
# 2026: weekdays work, plus the Qingming holiday (Mon 6 April) to show holidays do not count.
CALENDAR = WorkCalendar({date(2026, 4, 6): "holiday"}, years=[2025, 2026, 2027])
BEFORE = datetime(2026, 2, 20, 9, 0, tzinfo=TZ)  # "now" when filing in advance


def preset(name: str) -> Policy:
    """A Policy whose leave section is the shipped preset's (other sections default, i.e. 篇2 sessions)."""
    return Policy(
        name=name, version="test", leave=LeavePolicy.model_validate(resolve_policy_data(name)["leave"])
    )


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


def make_people(*, second_window_staff: bool = True) -> dict[str, Staff]:
    """A centre with one unit: a window clerk, a colleague at the same window, the chief rep and an admin."""
    centre = CentreFactory()
    unit = UnitFactory(centre=centre)
    window = WindowFactory(unit=unit, centre=centre)
    clerk = StaffFactory(unit=unit, centre=centre, name="张三")
    clerk.windows.add(window)
    colleague = StaffFactory(unit=unit, centre=centre, name="李四")
    if second_window_staff:
        colleague.windows.add(window)
    chief = StaffFactory(unit=unit, centre=centre, role=Staff.Role.CHIEF_REP, name="王首代")
    admin = StaffFactory(unit=None, centre=centre, role=Staff.Role.CENTRE_ADMIN, name="赵主任")
    return {"clerk": clerk, "colleague": colleague, "chief": chief, "admin": admin, "window": window}
