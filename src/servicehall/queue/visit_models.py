"""Home visits (上门服务) and assisted service (帮办代办) as appointment kinds (Q-2, CASE-9; 002/篇3 §2–3, §8).

A request is an `Appointment` of kind `home_visit` or `assisted`; a home visit carries its approval, staff
assignment and visit record in `HomeVisit`; an assisted registration is recorded on the case in `AssistRecord`.
"""

from __future__ import annotations

from django.db import models

from servicehall.cases.models import Case
from servicehall.org.models import Staff


class HomeVisit(models.Model):
    """A home visit for a citizen who cannot come (生病住院、行动不便): approval, assignment and record (Q-2)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "不予批准"
        DONE = "done", "已上门"
        CANCELLED = "cancelled", "已取消"

    class Via(models.TextChoices):
        CITIZEN = "citizen", "本人网上申请"
        PHONE = "phone", "电话申请（工作人员登记）"

    class Result(models.TextChoices):
        DONE = "done", "已办结"
        ACCEPTED = "accepted", "已收件受理"
        CORRECTION = "correction", "材料需补正"
        NOT_DONE = "not_done", "未能办理"

    appointment = models.OneToOneField(
        "queue.Appointment", on_delete=models.CASCADE, related_name="home_visit", verbose_name="预约"
    )
    ground = models.CharField("申请理由类别", max_length=12)
    reason = models.CharField("申请理由", max_length=300)
    address = models.CharField("上门地址", max_length=200)
    via = models.CharField("申请方式", max_length=10, choices=Via.choices, default=Via.CITIZEN)
    requested_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="登记人"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REQUESTED)
    approver_role = models.CharField("审批人", max_length=20)
    policy_ref = models.CharField("政策版本", max_length=80)
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="审批人"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    assigned_staff = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="home_visits",
        verbose_name="上门人员",
    )
    visit_day = models.DateField("上门日期", null=True, blank=True)
    work_done = models.TextField("办理情况", blank=True)
    materials_collected = models.TextField("收取材料", blank=True)
    signature_name = models.CharField("申请人签名", max_length=60, blank=True)
    result = models.CharField("办理结果", max_length=12, choices=Result.choices, blank=True)
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="关联办件"
    )

    class Meta:
        ordering = ("-id",)
        verbose_name = verbose_name_plural = "上门服务"

    def __str__(self) -> str:
        return f"上门服务 {self.appointment_id} {self.get_status_display()}"


class AssistRecord(models.Model):
    """帮办代办 on a case: which staff member filled which forms for the citizen (CASE-9 service log)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name="办件")
    appointment = models.ForeignKey(
        "queue.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="assist_records"
    )
    helper = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="代办人员")
    forms = models.CharField("代填表格", max_length=300)
    note = models.CharField("说明", max_length=300, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = verbose_name_plural = "帮办代办记录"

    def __str__(self) -> str:
        return f"帮办代办 {self.case_id} {self.helper_id}"
