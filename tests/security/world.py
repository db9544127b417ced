"""Two centres (a county and a town under it), two units in the county, every role, and one private record
of each kind in each place: the ground the access tests attack (ORG-1, INT-2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from servicehall.attendance.models import Punch
from servicehall.attendance.tests.factories import PunchFactory
from servicehall.cases import services as case_services
from servicehall.cases.models import Case
from servicehall.catalog.tests.factories import ItemFactory
from servicehall.leave.models import LeaveRequest
from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.org.tests.factories import (
    CentreFactory,
    CentreStaffFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
    WindowFactory,
)
from servicehall.policy_versions.services import ensure_centre_policy
from servicehall.queue import services as queue_services
from servicehall.queue.models import LineWindow, ServiceLine, Ticket

ADMIN_APPS = ("org", "catalog", "workdays", "policy", "queue", "attendance", "cases", "leave")


@dataclass
class Place:
    """One unit's corner of a centre: its window, two clerks, chief rep and their private records."""

    centre: Centre
    unit: Unit
    window: Window
    clerk: Staff
    colleague: Staff
    chief: Staff
    case: Case
    colleague_case: Case
    punch: Punch
    ticket: Ticket
    leave: LeaveRequest
    line: ServiceLine


@dataclass
class SecurityWorld:
    county: Centre
    town: Centre
    a: Place  # county, unit A
    b: Place  # county, unit B
    t: Place  # town
    office: Staff  # county centre office (centre_admin), admin site access
    town_office: Staff
    supervisor: Staff
    auditor: Staff
    extra: dict[str, Any] = field(default_factory=dict)

    def role_user(self, role: str) -> Any:
        """A county login per role (window staff and chief rep of unit A)."""
        return {
            "centre_admin": self.office.user,
            "supervisor": self.supervisor.user,
            "auditor": self.auditor.user,
            "chief_rep": self.a.chief.user,
            "window_staff": self.a.clerk.user,
        }[role]


def _admin_login(staff: Staff) -> None:
    staff.user.is_staff = True
    staff.user.save(update_fields=["is_staff"])
    staff.user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))


def _place(centre: Centre, name: str, prefix: str) -> Place:
    unit = UnitFactory(centre=centre, name=name)
    window = WindowFactory(unit=unit, centre=centre, number=f"{prefix}1", name=f"{name}窗口")
    clerk = StaffFactory(unit=unit, centre=centre, user=UserFactory(), name=f"{prefix}窗口甲")
    colleague = StaffFactory(unit=unit, centre=centre, user=UserFactory(), name=f"{prefix}窗口乙")
    clerk.windows.add(window)
    chief = StaffFactory(unit=unit, centre=centre, role=Staff.Role.CHIEF_REP, user=UserFactory())
    unit.chief_rep = chief
    unit.save(update_fields=["chief_rep"])
    item = ItemFactory(unit=unit, centre=centre, name=f"{name}事项")
    case = case_services.register_case(
        actor=clerk, item=item, applicant_name="张三", applicant_id_no="110101199003074514",
        applicant_phone="13812345678",
    )  # fmt: skip
    colleague_case = case_services.register_case(
        actor=colleague, item=item, applicant_name="李四", applicant_id_no="110101199003071233",
        applicant_phone="13912345678",
    )  # fmt: skip
    line = ServiceLine.objects.create(centre=centre, name=f"{name}业务", prefix=prefix)
    line.items.add(item)
    LineWindow.objects.create(line=line, window=window)
    ticket = queue_services.issue_ticket(line_id=line.pk, centre_id=centre.pk)
    leave = LeaveRequest.objects.create(
        centre=centre, staff=clerk, kind="personal", start_date=date(2026, 3, 2), end_date=date(2026, 3, 2),
        days=1, policy_ref="test@1", filed_at=timezone.now(),
    )  # fmt: skip
    return Place(
        centre=centre, unit=unit, window=window, clerk=clerk, colleague=colleague, chief=chief, case=case,
        colleague_case=colleague_case, punch=PunchFactory(staff=clerk), ticket=ticket, leave=leave, line=line,
    )  # fmt: skip


def build() -> SecurityWorld:
    county = CentreFactory(code="county", name="原州区政务服务中心", kind=Centre.Kind.COUNTY)
    town = CentreFactory(code="town", name="三营镇便民服务中心", kind=Centre.Kind.TOWN, parent=county)
    for centre in (county, town):
        ensure_centre_policy(centre=centre)
    office = CentreStaffFactory(centre=county, user=UserFactory(), name="县中心管理办")
    town_office = CentreStaffFactory(centre=town, user=UserFactory(), name="镇中心管理办")
    for person in (office, town_office):
        _admin_login(person)
    return SecurityWorld(
        county=county,
        town=town,
        a=_place(county, "区市场监督管理局", "A"),
        b=_place(county, "区人社局", "B"),
        t=_place(town, "三营镇民政办", "T"),
        office=office,
        town_office=town_office,
        supervisor=CentreStaffFactory(centre=county, role=Staff.Role.SUPERVISOR, user=UserFactory()),
        auditor=CentreStaffFactory(centre=county, role=Staff.Role.AUDITOR, user=UserFactory()),
    )
