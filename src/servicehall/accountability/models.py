"""Accountability events (问责事件): the one table the conduct bonus and the assessment read (EVAL-5, EVAL-4).

Each producer (a valid complaint, an inspection finding, a public criticism, a supervision card …)
records one event pointing back at its source record, so an installation without one of the producers
still computes a bonus from the others.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicehall.org.models import CentreScoped, Staff, Unit, Window


class AccountabilityEvent(CentreScoped):
    """Something a person (or their window or unit) is held to account for (问责事件)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "有效投诉"
        DISTURBANCE = "disturbance", "扰乱秩序"
        FINDING = "finding", "检查发现问题"
        CRITICISM = "criticism", "通报批评"
        CARD = "card", "电子监察牌"
        BAD_RATING = "bad_rating", "差评"

    class Level(models.TextChoices):
        NONE = "", "—"
        CENTRE = "centre", "中心"
        STREET = "street", "街道"
        DISTRICT = "district", "区"
        CITY = "city", "市"

    staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="当事人"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField("发生日期", db_index=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    level = models.CharField("发现层级", max_length=12, choices=Level.choices, blank=True, default="")
    rule = models.CharField("规则", max_length=16)
    source_type = models.CharField("来源类型", max_length=80)
    source_id = models.CharField("来源编号", max_length=64)
    summary = models.CharField("事由", max_length=200, blank=True)
    withdrawn = models.BooleanField("已撤销", default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = verbose_name_plural = "问责事件"
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"], name="accountability_event_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()} {self.rule}"


class Criticism(CentreScoped):
    """A public criticism notice (通报批评, EVAL-6), numbered per centre and year."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="criticisms", verbose_name="被通报人"
    )
    year = models.PositiveIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    issued_on = models.DateField("通报日期")
    rule = models.CharField("违反规定", max_length=200)
    facts = models.TextField("事实")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_ref = models.CharField("政策版本", max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-seq"]
        verbose_name = verbose_name_plural = "通报批评"
        constraints = [
            models.UniqueConstraint(fields=["centre", "year", "seq"], name="criticism_number_unique")
        ]

    @property
    def number(self) -> str:
        return f"通报〔{self.year}〕{self.seq}号"

    def __str__(self) -> str:
        return f"{self.number} {self.staff_id}"


class TrainingPeriod(CentreScoped):
    """Off-post training (离岗培训, EVAL-6) after a complaint with negative impact, with its end date."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="training_periods", verbose_name="人员"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    months = models.PositiveIntegerField("月数")
    reason = models.TextField("事由")
    complaint_ref = models.CharField("投诉编号", max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_ref = models.CharField("政策版本", max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = verbose_name_plural = "离岗培训"

    def __str__(self) -> str:
        return f"{self.staff_id} {self.starts_on}–{self.ends_on}"
