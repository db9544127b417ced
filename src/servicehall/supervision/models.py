"""Electronic supervision (电子监察): yellow/red cards, when they fall due, fees charged, unit leaders' days.

SUP-1 (cards and their workflow), SUP-2 (fees, other triggers), CASE-2 (deemed acceptance card),
CASE-6 (超时默认), EVAL-4 (unit ranking). A card exists once per (case, trigger, colour, subject):
the unique constraint is what makes two sweeps at once issue each card once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from servicehall.cases.models import Case, UnitStep
from servicehall.catalog.models import FeeScheduleLine, Item
from servicehall.org.models import CentreScoped, Staff, Unit, Window


class Colour(models.TextChoices):
    YELLOW = "yellow", "黄牌"
    RED = "red", "红牌"


class Trigger(models.TextChoices):
    DEADLINE = "deadline", "办结时限"
    NOTICE_LAPSED = "notice_lapsed", "逾期未一次性告知"
    REFUSAL_UNREPORTED = "refusal_unreported", "否定事项未按时报备"
    FEE_OFF_SCHEDULE = "fee_off_schedule", "超标准收费"
    STEP_OVERRUN = "step_overrun", "办理环节超时"


class CardStatus(models.TextChoices):
    OPEN = "open", "待回复"
    REPLIED = "replied", "已书面回复"
    APPEALED = "appealed", "申诉中"
    UPHELD = "upheld", "维持"
    WITHDRAWN = "withdrawn", "已撤销"


COUNTING_STATUSES = (CardStatus.OPEN, CardStatus.REPLIED, CardStatus.APPEALED, CardStatus.UPHELD)


class CardSchedule(models.Model):
    """The instant a case's card becomes due, stored when the case gets or changes its deadline.

    `due_at` is null while the case is paused (no card becomes due during a pause). The sweep reads only
    pending rows with `due_at` <= now through the partial index, so its work follows the cards due.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="card_schedules")
    trigger = models.CharField(max_length=24, choices=Trigger.choices)
    colour = models.CharField(max_length=8, choices=Colour.choices)
    subject = models.CharField(max_length=40, blank=True, default="")
    rule_id = models.CharField(max_length=12)
    due_date = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    policy_ref = models.CharField(max_length=80)
    provisional = models.BooleanField(default=False)
    issued = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "trigger", "colour", "subject"], name="one_schedule_per_card"
            )
        ]
        indexes = [models.Index(fields=["due_at"], name="card_schedule_pending", condition=Q(issued=False))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.trigger} {self.colour} @ {self.due_at}"


class Card(CentreScoped):
    """A yellow or red card (黄牌/红牌) against the responsible staff, their window and unit (SUP-1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cards", verbose_name="办件")
    step = models.ForeignKey(
        UnitStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="办理环节"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="窗口"
    )
    responsible = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards", verbose_name="责任人"
    )
    trigger = models.CharField("触发原因", max_length=24, choices=Trigger.choices)
    colour = models.CharField("牌色", max_length=8, choices=Colour.choices)
    subject = models.CharField(max_length=40, blank=True, default="")
    rule_id = models.CharField("规则", max_length=12)
    policy_ref = models.CharField("政策版本", max_length=80)
    due_date = models.DateField("办结期限", null=True, blank=True)
    due_at = models.DateTimeField("应亮牌时间")
    raised_at = models.DateTimeField("亮牌时间", db_index=True)
    evidence = models.JSONField("依据", default=dict, blank=True)
    provisional = models.BooleanField("临时期限", default=False)
    status = models.CharField("状态", max_length=10, choices=CardStatus.choices, default=CardStatus.OPEN)
    reply_due_on = models.DateField("书面回复期限", null=True, blank=True)
    reply = models.TextField("书面回复", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    appeal = models.TextField("申诉理由", blank=True)
    appealed_at = models.DateTimeField("申诉时间", null=True, blank=True)
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_note = models.TextField("决定意见", blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "trigger", "colour", "subject"], name="one_card_per_trigger"
            )
        ]
        indexes = [
            models.Index(fields=["centre", "raised_at"]),
            models.Index(fields=["unit", "raised_at"]),
        ]
        verbose_name = verbose_name_plural = "监察牌"

    def __str__(self) -> str:
        return f"{self.get_colour_display()} {self.case_id} {self.get_trigger_display()}"

    @property
    def counts(self) -> bool:
        """A withdrawn card stops counting against the staff, window and unit (SUP-1)."""
        return self.status != CardStatus.WITHDRAWN


class SweepMark(models.Model):
    """How far the sweep has read the case timeline (CaseEvent id) to refresh card schedules."""

    name = models.CharField(max_length=20, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    swept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"


class FeeCharge(CentreScoped):
    """A fee charged on a case (收费, SUP-2): amount, receipt number, and the schedule line it follows.

    A line of the schedule is charged once per case; a charge with no matching line is off schedule
    and raises a card.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="fees", verbose_name="办件")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="事项")
    schedule_line = models.ForeignKey(
        FeeScheduleLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="收费标准",
    )
    name = models.CharField("收费项目", max_length=120)
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2)
    receipt_no = models.CharField("票据号", max_length=40)
    charged_at = models.DateTimeField("收费时间", db_index=True)
    charged_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="收费人")
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    on_schedule = models.BooleanField("符合收费标准", default=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-charged_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "schedule_line"], name="fee_line_charged_once"),
            models.UniqueConstraint(fields=["centre", "receipt_no"], name="fee_receipt_unique"),
        ]
        verbose_name = verbose_name_plural = "收费记录"

    def __str__(self) -> str:
        return f"{self.name} {self.amount} 元 ({self.receipt_no})"


class LeaderOfficeDay(CentreScoped):
    """A day a unit's leader worked at the centre (窗口单位领导到中心办公, 篇6 §14), recorded by the office."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="单位")
    leader_name = models.CharField("领导姓名", max_length=40)
    on = models.DateField("日期")
    note = models.CharField("事项", max_length=200, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "leader_name", "on"], name="leader_office_day_once")
        ]
        verbose_name = verbose_name_plural = "单位领导到中心办公"

    def __str__(self) -> str:
        return f"{self.leader_name} {self.on}"


class Investigation(CentreScoped):
    """An investigation of a unit opened by 超时默认 (CASE-6): the unit answers to the supervision office."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name="办件")
    rule_id = models.CharField("规则", max_length=12, default="CASE-6")
    reason = models.TextField("事由")
    opened_at = models.DateTimeField("立案时间")
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    finding = models.TextField("调查结论", blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["case"], name="one_investigation_per_case")]
        verbose_name = verbose_name_plural = "超时默认调查"

    def __str__(self) -> str:
        return f"调查 {self.unit} ({self.case_id})"
