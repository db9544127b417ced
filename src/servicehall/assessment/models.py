"""Assessment rounds (考核, EVAL-4, EVAL-7, ORG-2): scores by form, computed result sheets per person."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicehall.org.models import CentreScoped, Staff


class Round(CentreScoped):
    """One assessment round of a policy period (季度 / 半年度 / 年度考核)."""

    class Period(models.TextChoices):
        MONTH = "month", "月度"
        QUARTER = "quarter", "季度"
        HALF_YEAR = "half_year", "半年度"
        YEAR = "year", "年度"

    period = models.CharField("考核周期", max_length=12, choices=Period.choices)
    label = models.CharField("名称", max_length=60)
    starts_on = models.DateField("开始")
    ends_on = models.DateField("结束")
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "考核轮次"
        constraints = [
            models.UniqueConstraint(fields=["centre", "period", "starts_on"], name="assessment_round_once")
        ]

    def __str__(self) -> str:
        return self.label


class Score(CentreScoped):
    """A form score: self (自评), peer (互评, anonymous) or the centre office (中心办公室评定), 0–100."""

    class Method(models.TextChoices):
        SELF = "self", "自评"
        PEER = "peer", "互评"
        OFFICE = "centre_office", "中心办公室评定"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    subject = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")  # never shown for peers
    method = models.CharField("方式", max_length=16, choices=Method.choices)
    value = models.DecimalField("分数", max_digits=5, decimal_places=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject", "rater", "method"], name="assessment_score_once"
            )
        ]


class Result(CentreScoped):
    """A person's result sheet: every input with its weight, points and source records, total and grade."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    grade = models.CharField("等级", max_length=40)
    grade_label = models.CharField("等级名称", max_length=40)
    lines = models.JSONField("输入明细", default=list)
    excellence_eligible = models.BooleanField("年终评优资格", default=True)
    criticisms = models.PositiveIntegerField("通报批评次数", default=0)
    notes = models.JSONField(default=list)

    class Meta:
        ordering = ["round", "-total"]
        constraints = [models.UniqueConstraint(fields=["round", "staff"], name="assessment_result_once")]
