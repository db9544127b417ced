"""Leave requests (请假), their approval steps (审批) and covers (顶岗): LEAVE-1..6, ORG-3.

A leave runs from the am/pm half of `start_date` to the am/pm half of `end_date`; `days` is its
length in working days, fixed when it is filed. Writes go through `leave.services` only.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models

from servicehall.leave import rules
from servicehall.org.models import CentreScoped, Staff, Window


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", "事假"
    SICK = "sick", "病假"
    ANNUAL = "annual", "公休假(年休假)"
    MARRIAGE = "marriage", "婚假"
    MATERNITY = "maternity", "产假"
    FAMILY_VISIT = "family_visit", "探亲假"
    FUNERAL = "funeral", "丧假"
    TRAINING = "training", "培训学习"
    BUSINESS = "business", "公差"


class Half(models.TextChoices):
    AM = rules.AM, "上午"
    PM = rules.PM, "下午"


class LeaveRequest(CentreScoped):
    """One leave request (请假条)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "审批中"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        CANCELLED = "cancelled", "已撤销"

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="leave_requests", verbose_name="请假人"
    )
    kind = models.CharField("假别", max_length=16, choices=LeaveKind.choices)
    original_kind = models.CharField("原假别", max_length=16, choices=LeaveKind.choices, blank=True)
    start_date = models.DateField("开始日期")
    start_half = models.CharField("开始", max_length=2, choices=Half.choices, default=Half.AM)
    end_date = models.DateField("结束日期")
    end_half = models.CharField("结束", max_length=2, choices=Half.choices, default=Half.PM)
    days = models.DecimalField("工作日天数", max_digits=6, decimal_places=1)
    reason = models.TextField("事由", blank=True)
    attachment = models.FileField("附件", upload_to="leave/attachments/", blank=True)
    certificate_provided = models.BooleanField("已提供诊断证明书", default=False)
    certificate_date = models.DateField("诊断证明日期", null=True, blank=True)
    training_document = models.FileField("培训书面文件", upload_to="leave/training/", blank=True)
    training_document_ref = models.CharField("培训文件文号", max_length=120, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    policy_ref = models.CharField("依据政策", max_length=80)
    tier_index = models.PositiveSmallIntegerField("审批档次", default=0)
    requires = models.JSONField("须附", default=list, blank=True)
    files_with = models.JSONField("备案", default=list, blank=True)
    cover_required_reason = models.CharField("顶岗要求", max_length=200, blank=True)
    filed_at = models.DateTimeField("提交时间")
    filed_late = models.BooleanField("事后补办", default=False)
    special_approved_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="特批人"
    )
    special_approval_note = models.TextField("特批说明", blank=True)
    decided_at = models.DateTimeField("审结时间", null=True, blank=True)
    returned_at = models.DateTimeField("销假时间", null=True, blank=True)
    created_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )

    class Meta:
        ordering = ("-start_date", "-id")
        indexes = (models.Index(fields=["centre", "start_date", "end_date"]),)
        verbose_name = verbose_name_plural = "请假申请"

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()} {self.start_date}~{self.end_date}"

    @property
    def span(self) -> rules.LeaveSpan:
        return rules.LeaveSpan(self.start_date, self.end_date, self.start_half, self.end_half)

    @property
    def start_at(self) -> datetime:
        return self.span.start_at

    @property
    def end_at(self) -> datetime:
        return self.span.end_at


class LeaveStep(models.Model):
    """One signature of the approval chain (LEAVE-1), decided in `order`.

    Roles without accounts (unit leader, county office, county leader) are entered by the centre office
    with the signer's name and date (`signer_name`, `signed_on`); `decided_by` is who entered it.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "待前序审批"
        PENDING = "pending", "待审批"
        APPROVED = "approved", "同意"
        REJECTED = "rejected", "不同意"
        SKIPPED = "skipped", "无需审批"

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    approver_role = models.CharField("审批角色", max_length=32)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="审批/录入人"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    signer_name = models.CharField("签批人", max_length=60, blank=True)
    signed_on = models.DateField("签批日期", null=True, blank=True)
    note = models.TextField("意见", blank=True)

    class Meta:
        ordering = ("request", "order")
        constraints = (models.UniqueConstraint(fields=["request", "order"], name="leave_step_order_unique"),)
        verbose_name = verbose_name_plural = "请假审批步骤"

    def __str__(self) -> str:
        return f"#{self.request_id} {self.order}. {self.approver_role} {self.status}"


class CoverAssignment(CentreScoped):
    """A cover (顶岗人员) sent by the unit for a leave, with its temporary badge (临时工作证) (LEAVE-5)."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="covers")
    cover_staff = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="covers",
        verbose_name="顶岗人员(在册)",
    )
    cover_name = models.CharField("顶岗人员姓名", max_length=40)
    cover_phone = models.CharField("联系电话", max_length=40, blank=True)
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.PROTECT, verbose_name="顶岗窗口"
    )
    start_date = models.DateField("顶岗开始")
    end_date = models.DateField("顶岗结束")
    badge_name = models.CharField("临时工作证姓名", max_length=40)
    badge_window = models.CharField("临时工作证窗口", max_length=120, blank=True)
    badge_valid_from = models.DateField("工作证有效期自")
    badge_valid_until = models.DateField("工作证有效期至")
    badge_returned_at = models.DateTimeField("工作证归还时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("到岗时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="到岗登记人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("request", "start_date", "id")
        verbose_name = verbose_name_plural = "顶岗安排"

    def __str__(self) -> str:
        return f"{self.cover_name} 顶岗 {self.start_date}~{self.end_date}"
