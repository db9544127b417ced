"""Attendance records (考勤): punches from terminals, import batches, inspections, office corrections,
and the evaluated months kept so that report pages read them instead of evaluating (月度考勤结果).

A kept month is used only while it is current: its centre's month revision (bumped by every punch
import, correction and inspection record) and its inputs key (policy and calendar in force, posting
dates, that person's leaves) must both still match; otherwise the month is evaluated again and kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicehall.org.models import CentreScoped, Staff


class PunchImport(CentreScoped):
    """One imported punch file (考勤导入批次). The file's SHA-256 makes a second import of it a no-op."""

    sha256 = models.CharField("文件摘要", max_length=64)
    filename = models.CharField("文件名", max_length=200)
    layout = models.CharField("格式", max_length=30)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新增打卡", default=0)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    reused = False  # set on the returned object when the file had been imported before

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["centre", "sha256"], name="punch_import_file_once")]
        verbose_name = verbose_name_plural = "考勤导入"

    def __str__(self) -> str:
        return f"{self.filename} ({self.created}/{self.rows})"


class Punch(CentreScoped):
    """One punch (打卡) at a fingerprint/face terminal, or added by an office correction (ATT-2)."""

    class Source(models.TextChoices):
        TERMINAL = "terminal", "考勤机导入"
        CORRECTION = "correction", "补卡(办公室更正)"

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="punches", verbose_name="人员")
    at = models.DateTimeField("打卡时间")
    source = models.CharField("来源", max_length=12, choices=Source.choices, default=Source.TERMINAL)
    batch = models.ForeignKey(
        PunchImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="punches",
        verbose_name="导入批次",
    )
    voided = models.BooleanField("已作废", default=False)

    class Meta:
        ordering = ["staff", "at"]
        constraints = [models.UniqueConstraint(fields=["staff", "at"], name="punch_once_per_instant")]
        indexes = [models.Index(fields=["centre", "at"], name="punch_centre_at")]
        verbose_name = verbose_name_plural = "打卡记录"

    def __str__(self) -> str:
        return f"{self.staff_id} {self.at:%Y-%m-%d %H:%M:%S}"


class PunchCorrection(CentreScoped):
    """A manual correction by the centre office (补卡/作废), always with a reason; also in the audit log."""

    class Action(models.TextChoices):
        ADD = "add", "补录打卡"
        VOID = "void", "作废打卡"

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="punch_corrections", verbose_name="人员"
    )
    action = models.CharField("操作", max_length=8, choices=Action.choices)
    punch = models.ForeignKey(
        Punch, on_delete=models.CASCADE, related_name="corrections", verbose_name="打卡"
    )
    reason = models.CharField("原因", max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "考勤更正"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.punch}"


class OffPostRecord(CentreScoped):
    """An inspection record (督查巡查): time off post (脱岗, ATT-5), or a meeting or study session missed (ATT-11)."""

    class Kind(models.TextChoices):
        OFF_POST = "off_post", "脱岗"
        MEETING_MISSED = "meeting_missed", "例会缺席"
        CHIEF_MEETING_MISSED = "chief_meeting_missed", "首席代表例会缺席"
        STUDY_MISSED = "study_missed", "集中学习缺席"

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="off_post_records", verbose_name="人员"
    )
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices, default=Kind.OFF_POST)
    minutes = models.PositiveIntegerField("脱岗分钟", default=0)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["centre", "date"], name="offpost_centre_date")]
        verbose_name = verbose_name_plural = "巡查记录"

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date} {self.get_kind_display()} {self.minutes}"


class MonthRevision(CentreScoped):
    """How often a centre's punches or inspection records of a month have changed (考勤数据版本).

    Every write to them bumps it in the same transaction, which makes the month's kept results stale."""

    month = models.DateField("月份")  # its first day
    revision = models.PositiveIntegerField("版本", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "month"], name="attendance_month_revision_once")
        ]
        verbose_name = verbose_name_plural = "考勤数据版本"

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month:%Y-%m} r{self.revision}"


class MonthResult(CentreScoped):
    """One person's evaluated month (月度考勤结果), as `rules.StaffMonthResult` with its events.

    Valid while `revision` equals the centre's `MonthRevision` and `inputs_key` the fingerprint of the
    policy, calendar, posting dates and leaves it was evaluated with; `until` is the last day judged."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+", verbose_name="人员")
    month = models.DateField("月份")
    until = models.DateField("核算至")
    revision = models.PositiveIntegerField("数据版本")
    inputs_key = models.CharField("依据指纹", max_length=64)
    lates = models.PositiveIntegerField("迟到", default=0)
    early_leaves = models.PositiveIntegerField("早退", default=0)
    missed_punches = models.PositiveIntegerField("漏打卡", default=0)
    absence_days = models.FloatField("旷工天数", default=0.0)
    workdays = models.PositiveIntegerField("工作日", default=0)
    sessions = models.PositiveIntegerField("班次", default=0)
    leave_days = models.JSONField("请假天数", default=list)  # [[kind, days], ...] in the engine's order
    events = models.JSONField("考勤依据", default=list)  # [[date, session, rule, code, params, absence], ...]
    computed_at = models.DateTimeField("核算时间", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "month"], name="attendance_month_result_once")
        ]
        indexes = [models.Index(fields=["centre", "month"], name="monthresult_centre_month")]
        verbose_name = verbose_name_plural = "月度考勤结果"

    def __str__(self) -> str:
        return f"{self.staff_id} {self.month:%Y-%m}"
