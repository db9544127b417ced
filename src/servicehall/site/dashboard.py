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


def calendar_missing(role: str | None) -> int | None:
    """For the centre office from 1 November: next year when its working-day calendar is not loaded."""
    if role != Role.CENTRE_ADMIN:
        return None
    from servicehall.workdays.selectors import next_year_missing

    return next_year_missing(timezone.localdate())


def dashboard_figures(user: Any) -> list[Figure]:
    from servicehall.cases.enums import OPEN_STATUSES
    from servicehall.cases.models import Case
    from servicehall.catalog.models import Item, ItemRevision
    from servicehall.evaluation.models import Complaint, ManipulationFlag, Rating, Rectification
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
    # EVAL-1: bad ratings waiting for rectification; overdue ones are what the supervision office chases
    open_tasks = Rectification.objects.filter(centre, status__in=["open", "answered"])
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
            Figure(
                "今日评价",
                Rating.objects.filter(centre, rated_at__date=today).count(),
                _url("evaluation:ratings"),
            ),
            Figure("待整改差评", open_tasks.count(), _url("evaluation:rectifications")),
            Figure(
                "超期未整改差评",
                open_tasks.filter(due_on__lt=today).count(),
                _url("evaluation:rectifications") + "?overdue=1",
                alert=True,
            ),
            Figure(
                "办理中投诉",
                Complaint.objects.filter(centre).exclude(step="done").count(),
                _url("evaluation:complaints"),
            ),
            Figure(
                "投诉环节超期",
                Complaint.objects.filter(centre, step_due_on__lt=today).exclude(step="done").count(),
                _url("evaluation:complaints"),
                alert=True,
            ),
            Figure(
                "待核查异常评价",
                ManipulationFlag.objects.filter(centre, status="open").count(),
                _url("evaluation:flags"),
                alert=True,
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
                "本单位待整改差评",
                open_tasks.filter(unit_id=staff.unit_id).count(),
                _url("evaluation:rectifications"),
                alert=True,
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
