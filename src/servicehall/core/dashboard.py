"""Figures for the per-role dashboard (工作台): what needs attention today, within the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from servicehall.core.roles import CENTRE_WIDE, Role, role_of, staff_of


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str = ""
    alert: bool = False


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def dashboard_figures(user: Any) -> list[Figure]:
    from servicehall.cases.enums import OPEN_STATUSES
    from servicehall.cases.models import Case
    from servicehall.catalog.models import Item, ItemRevision
    from servicehall.leave.models import LeaveStep
    from servicehall.org.models import Staff, Unit, Window

    staff = staff_of(user)
    role = role_of(user)
    if staff is None:
        return []
    today = timezone.localdate()
    centre = Q(centre_id=staff.centre_id)
    open_cases = Case.objects.filter(centre, status__in=OPEN_STATUSES)
    pending_steps = LeaveStep.objects.filter(status="pending", request__centre_id=staff.centre_id)
    if role in CENTRE_WIDE:
        windows = Window.objects.filter(centre)
        return [
            Figure("窗口单位", Unit.objects.filter(centre).count(), _url("org:staff_list")),
            Figure("窗口", windows.count(), _url("org:windows")),
            Figure("暂停服务窗口", windows.filter(status=Window.Status.PAUSED).count(), _url("org:windows")),
            Figure("在岗人员", Staff.objects.filter(centre, is_active=True).count(), _url("org:staff_list")),
            Figure(
                "公开事项",
                Item.objects.filter(centre, status=Item.Status.PUBLISHED).count(),
                _url("catalog:item_list"),
            ),
            Figure(
                "待审核事项变更",
                ItemRevision.objects.filter(centre, status="pending").count(),
                _url("catalog:review"),
            ),
            Figure("在办件", open_cases.count(), _url("cases:my_cases") + "?flag=open"),
            Figure(
                "超期办件",
                open_cases.filter(due_on__lt=today).count(),
                _url("cases:my_cases") + "?flag=overdue",
                alert=True,
            ),
            Figure(
                "待审批请假", pending_steps.filter(approver_role="centre").count(), _url("leave:approvals")
            ),
        ]
    if role == Role.CHIEF_REP:
        unit_cases = open_cases.filter(Q(responsible__unit_id=staff.unit_id) | Q(item__unit_id=staff.unit_id))
        return [
            Figure("本单位在办件", unit_cases.count(), _url("cases:my_cases") + "?flag=open"),
            Figure(
                "本单位超期办件",
                unit_cases.filter(due_on__lt=today).count(),
                _url("cases:my_cases") + "?flag=overdue",
                alert=True,
            ),
            Figure(
                "待我审批请假",
                pending_steps.filter(
                    approver_role="chief_rep", request__staff__unit_id=staff.unit_id
                ).count(),
                _url("leave:approvals"),
            ),
            Figure(
                "本单位待审核事项变更",
                ItemRevision.objects.filter(centre, status="pending", unit_id=staff.unit_id).count(),
                _url("catalog:review"),
            ),
        ]
    mine = open_cases.filter(responsible=staff)
    return [
        Figure("我的在办件", mine.count(), _url("cases:my_cases") + "?flag=open"),
        Figure("即将到期(今日)", mine.filter(due_on=today).count(), _url("cases:my_cases"), alert=True),
        Figure(
            "已超期",
            mine.filter(due_on__lt=today).count(),
            _url("cases:my_cases") + "?flag=overdue",
            alert=True,
        ),
    ]
