"""Study sessions, meetings and training with roll-call (集中学习点名, 例会, 培训), ATT-11.

A session is planned by the centre office; the roll-call marks everyone expected present, on leave (an
approved leave of the leave module covering the session) or absent. An absence is recorded in attendance
through its inspection record, where the policy decides what it costs (study: half a day; meetings: 0).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicehall.attendance.models import OffPostRecord
from servicehall.org.models import CentreScoped, Staff


class Session(CentreScoped):
    """One study session, Tuesday meeting, chief representatives' meeting or training."""

    class Kind(models.TextChoices):
        STUDY = "study", "集中学习"
        WEEKLY_MEETING = "weekly_meeting", "周二例会"
        CHIEF_MEETING = "chief_meeting", "首席代表例会"
        TRAINING = "training", "全员培训"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField("开始时间")
    topic = models.CharField("主题", max_length=200)
    plan = models.TextField("学习/培训计划", blank=True)
    roll_called_at = models.DateTimeField("点名时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = verbose_name_plural = "学习与例会"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d} {self.topic}"


class RollCall(CentreScoped):
    """One person's line of a session's roll-call (点名)."""

    class Status(models.TextChoices):
        PRESENT = "present", "出席"
        ON_LEAVE = "on_leave", "请假"
        ABSENT = "absent", "缺席"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="roll")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="roll_calls")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    leave_id = models.PositiveBigIntegerField("请假单", null=True, blank=True)
    attendance_record = models.ForeignKey(
        OffPostRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "staff__staff_no"]
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="roll_call_once_per_person")]
        verbose_name = verbose_name_plural = "点名记录"


class NotebookCheck(CentreScoped):
    """The quarterly spot check of a person's study notebook (学习笔记本抽查)."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="notebook_checks")
    checked_on = models.DateField("抽查日期")
    passed = models.BooleanField("合格", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_on"]
        verbose_name = verbose_name_plural = "学习笔记抽查"
