"""In-app notifications (站内通知) to one staff member, for any domain: a card, a reply due, a decision."""

from __future__ import annotations

from django.db import models

from servicehall.org.models import CentreScoped, Staff


class StaffNotification(CentreScoped):
    """One message to one staff member; `link` opens the record it is about."""

    recipient = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    kind = models.CharField("类型", max_length=40)
    text = models.CharField("内容", max_length=300)
    link = models.CharField("链接", max_length=200, blank=True)
    rule_id = models.CharField("规则", max_length=12, blank=True)
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = verbose_name_plural = "站内通知"

    def __str__(self) -> str:
        return self.text
