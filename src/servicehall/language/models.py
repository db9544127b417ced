"""Records of the service-language domain: replies sent despite a forbidden-phrase warning (LANG-4)."""

from __future__ import annotations

from django.db import models

from servicehall.org.models import CentreScoped, Staff


class FlaggedReplyOverride(CentreScoped):
    """A staff reply sent although the matcher flagged it (禁语提示确认发送), with the stated reason."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="language_overrides", verbose_name="工作人员"
    )
    text = models.TextField("回复内容")
    findings = models.JSONField("检测结果", default=list, blank=True)
    reason = models.TextField("确认理由")
    context = models.CharField("来源", max_length=120, blank=True, help_text="e.g. consultation:42")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "禁语提示确认记录"
        verbose_name_plural = verbose_name
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["centre", "created_at"])]

    def __str__(self) -> str:
        return f"{self.staff} · {self.created_at:%Y-%m-%d %H:%M}"
