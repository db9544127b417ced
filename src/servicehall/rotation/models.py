"""Rotation of window staff (窗口人员轮换, ORG-5): the unit's application letter, the centre's reply,
the handover, returns of unfit staff, and every person's posting history (派驻记录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicehall.org.models import CentreScoped, Staff, Unit


class Application(CentreScoped):
    """A unit's written rotation application (轮换申请函) with the candidate's details."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待函复"
        APPROVED = "approved", "同意"
        REFUSED = "refused", "不同意"
        HANDED_OVER = "handed_over", "已交接"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    letter_no = models.CharField("来函文号", max_length=60)
    submitted_on = models.DateField("来函日期")
    handover_on = models.DateField("拟交接日期")
    outgoing = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="轮换回原单位人员",
    )
    reason = models.TextField("轮换原因")
    candidate = models.JSONField("拟选派人员基本情况", default=dict)
    special_letter = models.BooleanField("部门主要领导签发的特别函件", default=False)
    special_letter_signer = models.CharField("签发领导", max_length=40, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    check_reason = models.CharField("时间审核", max_length=12, blank=True)
    reply_no = models.CharField("函复文号", max_length=60, blank=True)
    replied_on = models.DateField("函复日期", null=True, blank=True)
    reply_note = models.TextField("函复意见", blank=True)
    incoming = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="新到岗人员"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = verbose_name_plural = "轮换申请"


class Posting(CentreScoped):
    """One posting of a person to the centre (派驻记录): the staff record's history."""

    class Ended(models.TextChoices):
        OPEN = "", "在岗"
        ROTATION = "rotation", "轮换返回"
        UNFIT = "unfit", "不胜任清退"

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="postings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("进驻日期")
    ended_on = models.DateField("离岗日期", null=True, blank=True)
    ended_by = models.CharField("离岗原因", max_length=12, choices=Ended.choices, blank=True, default="")
    reasons = models.TextField("说明", blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["staff", "started_on"]
        verbose_name = verbose_name_plural = "派驻记录"
