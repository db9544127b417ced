"""Accountability events (问责事件): the one table the conduct bonus and the assessment read (EVAL-5, EVAL-4).

Each producer (a valid complaint, an inspection finding, a public criticism, a supervision card …)
records one event pointing back at its source record, so an installation without one of the producers
still computes a bonus from the others.
"""

from __future__ import annotations

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
