"""Inspection findings (巡查 / 明察暗访, EVAL-3) against the conduct list of the policy (CON).

A finding names the person, window, time, prohibition, inspection kind and the level of whoever found it
(centre / street / district / city, which sets the conduct-bonus amount, EVAL-5). Minutes off post go
to attendance through its own inspection record (ATT-5); the finding keeps a link to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicehall.attendance.models import OffPostRecord
from servicehall.org.models import CentreScoped, Staff, Window


class Finding(CentreScoped):
    """One conduct violation found in an inspection (检查发现问题)."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "已记录"
        CONTESTED = "contested", "申诉中"
        UPHELD = "upheld", "申诉驳回"
        OVERTURNED = "overturned", "已撤销"

    class Level(models.TextChoices):
        CENTRE = "centre", "中心"
        STREET = "street", "街道"
        DISTRICT = "district", "区级"
        CITY = "city", "市级"

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="inspection_findings", verbose_name="当事人"
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="窗口"
    )
    found_at = models.DateTimeField("发现时间")
    inspection_kind = models.CharField("检查方式", max_length=20)
    finder_level = models.CharField("发现层级", max_length=12, choices=Level.choices)
    prohibition_code = models.CharField("问题代码", max_length=40)
    prohibition_label = models.CharField("问题", max_length=200)
    note = models.TextField("情况说明", blank=True)
    photo = models.FileField("照片", upload_to="inspections/%Y/%m/", blank=True)
    off_post_minutes = models.PositiveIntegerField("脱岗分钟", default=0)
    off_post_record = models.ForeignKey(
        OffPostRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECORDED)
    contest_reason = models.TextField("申诉理由", blank=True)
    contested_at = models.DateTimeField("申诉时间", null=True, blank=True)
    decision_note = models.TextField("处理意见", blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_ref = models.CharField("政策版本", max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["centre", "found_at"], name="finding_centre_found")]
        verbose_name = verbose_name_plural = "检查发现问题"

    def __str__(self) -> str:
        return f"{self.found_at:%Y-%m-%d} {self.staff_id} {self.prohibition_code}"
