"""Citizens' voice (群众评价): ratings (好差评, EVAL-1) with rectification of bad ones, manipulation flags,
complaints (投诉, EVAL-2), the suggestion box (意见箱) and call-backs to citizens not served (ASK-2).

Who rated is kept apart from the rating (`RaterContact`), read only for the supervision office's
call-back, so no staff list or API can show it. Ratings are never deleted: a replaced rating keeps its
history in the audit log, an overturned one stops counting but stays on record.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from servicehall.cases.models import Case
from servicehall.org.models import CentreScoped, Staff, Unit, Window
from servicehall.queue.models import Ticket


class Rating(CentreScoped):
    """One citizen's rating of one service (一次服务一次评价, EVAL-1)."""

    class Channel(models.TextChoices):
        DEVICE = "device", "窗口评价器"
        CARD = "card", "评价卡"
        PHONE = "phone", "电话"
        WEB = "web", "网站/扫码"
        SMS = "sms", "短信"
        APP = "app", "移动端"

    class Source(models.TextChoices):
        PAD = "pad", "窗口评价器"
        WEB = "web", "扫码评价"
        IMPORT = "import", "省好差评系统导入"
        STAFF = "staff", "工作人员代录"

    # "ticket:12", "case:34" or the provincial system's service id; blank = no service behind it.
    service_key = models.CharField("服务编号", max_length=80, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.CharField("评价等级", max_length=40)
    level_label = models.CharField("评价", max_length=40)
    satisfied = models.BooleanField("好评")
    reasons = models.JSONField("评价原因", default=list, blank=True)
    comment = models.CharField("评价内容", max_length=500, blank=True)
    channel = models.CharField("评价渠道", max_length=10, choices=Channel.choices, default=Channel.DEVICE)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.PAD)
    first_rated_at = models.DateTimeField("首次评价时间")
    rated_at = models.DateTimeField("评价时间", db_index=True)
    replaced_count = models.PositiveSmallIntegerField("修改次数", default=0)
    anonymous = models.BooleanField("匿名评价", default=True)
    overturned = models.BooleanField("申诉成立(不计入)", default=False)
    import_key = models.CharField(max_length=64, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = verbose_name_plural = "评价"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "service_key"],
                condition=~models.Q(service_key=""),
                name="rating_one_per_service",
            ),
            models.UniqueConstraint(
                fields=["centre", "import_key"], condition=~models.Q(import_key=""), name="rating_import_once"
            ),
        ]
        indexes = [models.Index(fields=["centre", "rated_at"])]

    def __str__(self) -> str:
        return f"{self.level_label} {self.rated_at:%Y-%m-%d}"

    @property
    def counts(self) -> bool:
        return not self.overturned


class RaterContact(models.Model):
    """Who rated (评价人联系方式): read only through `selectors.rater_contact_for_callback`."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)
    device = models.CharField("设备", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评价人联系方式"

    def __str__(self) -> str:
        return "评价人联系方式"


class Rectification(CentreScoped):
    """The rectification task a bad rating opens for its unit (差评整改, EVAL-1)."""

    class Category(models.TextChoices):
        NONE = "", "待分类"
        ATTITUDE = "attitude", "服务态度"
        EFFICIENCY = "efficiency", "办事效率"
        POLICY = "policy", "政策规定"
        SYSTEM = "system", "系统设备"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        ANSWERED = "answered", "已回复待审核"
        CLOSED = "closed", "已办结"
        OVERTURNED = "overturned", "申诉成立"

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.CharField("问题分类", max_length=12, choices=Category.choices, blank=True, default="")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField("下发日期")
    due_on = models.DateField("整改期限", db_index=True)
    cause = models.TextField("原因分析", blank=True)
    measures = models.TextField("整改措施", blank=True)
    reviewed_without_callback = models.BooleanField("匿名评价已核查(无需回访)", default=False)
    closed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.CharField("办结意见", max_length=300, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "差评整改"

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"

    def is_overdue(self, today) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ANSWERED) and self.due_on < today


class CallbackLog(models.Model):
    """One call to the citizen about a bad rating (回访记录): when, by whom, outcome."""

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", "回访满意"
        UNSATISFIED = "unsatisfied", "回访仍不满意"
        UNREACHABLE = "unreachable", "无法联系"
        DECLINED = "declined", "拒绝回访"

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="callbacks")
    at = models.DateTimeField("回访时间", default=timezone.now)
    by = models.ForeignKey(Staff, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField("回访结果", max_length=12, choices=Outcome.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_outcome_display()


class RatingAppeal(CentreScoped):
    """A unit's appeal against a bad rating it believes mistaken or untrue (申诉复核, EVAL-1)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待复核"
        UPHELD = "upheld", "维持差评"
        OVERTURNED = "overturned", "申诉成立"

    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="appeals")
    filed_by = models.ForeignKey(Staff, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("申诉理由")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("复核意见", max_length=300, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = verbose_name_plural = "差评申诉"


class ManipulationFlag(CentreScoped):
    """A suspected manipulation of ratings (异常评价), for the supervision office; never deletes a rating."""

    class Kind(models.TextChoices):
        DEVICE_BURST = "device_burst", "同一设备短时集中评价"
        PHONE_BURST = "phone_burst", "同一手机号短时集中评价"
        NO_SERVICE = "no_service", "无对应服务的评价"
        TOP_SHARE = "top_share", "个人非常满意占比异常偏高"

    class Status(models.TextChoices):
        OPEN = "open", "待核查"
        CONFIRMED = "confirmed", "核实为异常"
        DISMISSED = "dismissed", "核实无异常"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    key = models.CharField(
        max_length=120
    )  # what the flag is about: device, phone, rating id, unit/staff/month
    month = models.DateField("月份")
    detail = models.JSONField(default=dict)
    ratings = models.ManyToManyField(Rating, blank=True, related_name="flags")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_note = models.CharField("核查意见", max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = verbose_name_plural = "异常评价"
        constraints = [
            models.UniqueConstraint(fields=["centre", "kind", "key", "month"], name="flag_once_per_key_month")
        ]


class Complaint(CentreScoped):
    """A complaint (投诉, EVAL-2), handled by the supervision office through five steps."""

    class Channel(models.TextChoices):
        HALL_OFFICE = "hall_office", "现场(效能监察室)"
        PHONE = "phone", "电话(12345转办)"
        MAILBOX = "mailbox", "意见箱/信件"
        WEB = "web", "网上投诉"

    class Step(models.TextChoices):
        ACCEPT = "accept", "受理"
        INVESTIGATE = "investigate", "调查"
        HANDLE = "handle", "处置"
        FEEDBACK = "feedback", "反馈"
        ARCHIVE = "archive", "归档"
        DONE = "done", "已归档"

    class Outcome(models.TextChoices):
        NONE = "", "—"
        VALID = "valid", "有效投诉"
        INVALID = "invalid", "无效投诉"

    tracking_code = models.CharField("查询码", max_length=12, unique=True)
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    hotline_ref = models.CharField("12345工单号", max_length=40, blank=True)
    received_at = models.DateTimeField("收到时间")
    complainant_name = models.CharField("投诉人", max_length=40, blank=True)
    complainant_phone = models.CharField("联系电话", max_length=20, blank=True)
    content = models.TextField("投诉内容")
    # What the complaint is about, as told; `unit`/`window`/`staff` are the findings (调查认定).
    about = models.CharField("被投诉对象(投诉人所述)", max_length=200, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step = models.CharField("当前环节", max_length=12, choices=Step.choices, default=Step.ACCEPT)
    step_due_on = models.DateField("本环节期限", null=True, blank=True)
    findings = models.TextField("调查情况", blank=True)
    outcome = models.CharField("认定结果", max_length=8, choices=Outcome.choices, blank=True, default="")
    outcome_reason = models.TextField("认定理由", blank=True)
    measures = models.TextField("处置措施", blank=True)
    feedback = models.TextField("反馈内容", blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = "投诉"

    def __str__(self) -> str:
        return f"投诉 {self.tracking_code}"


class ComplaintStep(models.Model):
    """One step of a complaint with its deadline and completion (办理环节)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=12, choices=Complaint.Step.choices)
    started_at = models.DateTimeField()
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.get_step_display()


class Suggestion(CentreScoped):
    """An entry in the suggestion box (意见箱), on site or on the web, with its reply (ASK-2)."""

    class Channel(models.TextChoices):
        ON_SITE = "on_site", "现场意见箱"
        WEB = "web", "网上留言"

    tracking_code = models.CharField("查询码", max_length=12, unique=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    content = models.TextField("意见建议")
    reply_due_on = models.DateField("答复期限", null=True, blank=True)
    reply = models.TextField("答复", blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    adopted = models.BooleanField("采纳", default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = "意见箱"


class UnservedCallback(CentreScoped):
    """A citizen who could not be served and left a phone number (机器故障等, 004 第八条6; ASK-2)."""

    class Reason(models.TextChoices):
        MACHINE = "machine", "设备故障"
        SYSTEM = "system", "系统故障"
        ABSENT = "absent", "经办人员不在"
        OTHER = "other", "其他"

    class Outcome(models.TextChoices):
        NONE = "", "待回访"
        SERVED = "served", "已约定办理/已办结"
        ANSWERED = "answered", "已答复"
        UNREACHABLE = "unreachable", "无法联系"

    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(Staff, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    business = models.CharField("所办事项", max_length=200)
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("联系电话", max_length=20)
    due_on = models.DateField("回访期限")
    outcome = models.CharField("回访结果", max_length=12, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.CharField("说明", max_length=300, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "回访名单"
