"""Cases (办件) from registration to result, their materials, notices, clock and timeline; the inquiry log.

CASE-1..11, CAT-2, ASK-1..3. Status changes only through `lifecycle.transition_case`; every change and
every other step writes a `CaseEvent` (服务日志台账, CASE-9).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from servicehall.cases.enums import (
    CaseStatus,
    Channel,
    DeliveryMethod,
    EventKind,
    InquiryOutcome,
    MaterialState,
    Outcome,
    PauseKind,
    RefusalKind,
)
from servicehall.catalog.models import CaseType, Item, Material
from servicehall.core.errors import InputError
from servicehall.core.fieldcrypt import EncryptedTextField, lookup_hash
from servicehall.core.identity import ID_KIND_CHOICES, IdKind, validate_id_number
from servicehall.core.masking import last4
from servicehall.org.models import CentreScoped, Staff, Unit, Window


class Case(CentreScoped):
    """One application (办件) for a catalogue item, owned by its first responsible person (CASE-1)."""

    number = models.CharField("办件编号", max_length=32, unique=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="cases", verbose_name="事项")
    case_type = models.CharField("办件类型", max_length=12, choices=CaseType.choices)
    status = models.CharField(
        "状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    outcome = models.CharField("办理结果", max_length=16, choices=Outcome.choices, blank=True)
    # Applicant (申请人) — personal data, never shown to the public (INT-2).
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_id_kind = models.CharField(
        "证件类型", max_length=20, choices=ID_KIND_CHOICES, default=IdKind.RESIDENT_ID.value
    )
    # Encrypted at rest (core.fieldcrypt); found through the keyed hashes below, never by decrypting rows.
    applicant_id_no = EncryptedTextField("证件号码", blank=True)
    # HMAC of the whole number (same applicant, search) and of its last four characters (the progress
    # query, CASE-10) — the tail only for a valid number, so a legacy "abc" opens nothing (INT-2).
    applicant_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    applicant_id_tail_hash = models.CharField(max_length=64, blank=True, editable=False)
    applicant_phone = models.CharField("联系电话", max_length=40, blank=True)
    applicant_address = models.CharField("联系地址", max_length=200, blank=True)
    # First responsible person (第一责任人, CASE-1) and the window the applicant deals with.
    responsible = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="cases", verbose_name="第一责任人"
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="受理窗口"
    )
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    limit_days = models.PositiveIntegerField("承诺时限(工作日)", default=0)
    due_on = models.DateField("办结期限", null=True, blank=True, db_index=True)
    # Counted over a year whose working-day calendar is not loaded yet; recomputed on load (CASE-5).
    due_provisional = models.BooleanField("办结期限为暂定", default=False)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    decision_note = models.TextField("办理意见", blank=True)
    delivery_method = models.CharField("送达方式", max_length=10, choices=DeliveryMethod.choices, blank=True)
    postal_address = models.CharField("邮寄地址", max_length=200, blank=True)
    tracking_no = models.CharField("邮件单号", max_length=60, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    urgent = models.BooleanField("急办/绿色通道", default=False)
    urgent_reason = models.CharField("急办理由", max_length=200, blank=True)
    current_step = models.CharField("当前环节", max_length=120, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)
    # Printed on the acceptance notice; with the case number it opens the public progress query (CASE-10).
    query_code = models.CharField("查询码", max_length=12, blank=True)
    inquiry = models.ForeignKey(
        "Inquiry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name="来源咨询",
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["centre", "status", "due_on"])]
        verbose_name = verbose_name_plural = "办件"

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}"

    @property
    def is_open(self) -> bool:
        from servicehall.cases.enums import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    def refresh_id_hashes(self) -> list[str]:
        """Recompute the lookup hashes from the (decrypted) ID number; the names of those that changed."""
        full, tail = id_lookup_hashes(self.applicant_id_kind, self.applicant_id_no)
        changed = [
            name
            for name, value in (("applicant_id_hash", full), ("applicant_id_tail_hash", tail))
            if getattr(self, name) != value
        ]
        self.applicant_id_hash, self.applicant_id_tail_hash = full, tail
        return changed

    def save(self, *args: object, **kwargs: object) -> None:
        update_fields = kwargs.get("update_fields")
        loaded = "applicant_id_no" not in self.get_deferred_fields()
        if loaded and (update_fields is None or "applicant_id_no" in update_fields):  # type: ignore[operator]
            self.refresh_id_hashes()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "applicant_id_hash", "applicant_id_tail_hash"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


ID_HASH_PURPOSE = "case.applicant_id"
ID_TAIL_PURPOSE = "case.applicant_id.tail4"


def id_lookup_hashes(kind: str, id_no: str) -> tuple[str, str]:
    """(hash of the whole number, hash of its last four characters if the number is valid) — INT-2, CASE-10."""
    number = "".join((id_no or "").split()).upper()
    try:
        valid = validate_id_number(kind, number, today=date.max) if number else ""
    except InputError:
        valid = ""
    return lookup_hash(number, purpose=ID_HASH_PURPOSE), lookup_hash(last4(valid), purpose=ID_TAIL_PURPOSE)


def id_tail_hash(code: str) -> str:
    """The lookup hash a progress-query code would have as an ID tail: one HMAC (CASE-10)."""
    return lookup_hash("".join((code or "").split()).upper(), purpose=ID_TAIL_PURPOSE)


class CaseMaterial(models.Model):
    """One checklist line of a case, ticked at registration from the item's `Material` rows (CASE-2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(Material, null=True, blank=True, on_delete=models.SET_NULL)
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必须提交", default=True)
    state = models.CharField("状态", max_length=16, choices=MaterialState.choices, default=MaterialState.OK)
    problem = models.CharField("问题/补正要求", max_length=300, blank=True)
    fixed_at = models.DateTimeField("补正时间", null=True, blank=True)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = verbose_name_plural = "办件材料"

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.get_state_display()})"


class OneTimeNotice(models.Model):
    """一次性告知书 (CASE-2); `sequence` 2 may only repeat lines of sequence 1 (CASE-3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    sequence = models.PositiveSmallIntegerField("第几次告知", default=1)
    issued_at = models.DateTimeField("告知时间", default=timezone.now)
    issued_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="告知人")
    legal_basis = models.CharField("法律依据", max_length=200)
    note = models.TextField("说明", blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="notice_sequence_unique")]
        verbose_name = verbose_name_plural = "一次性告知书"

    def __str__(self) -> str:
        return f"一次性告知书 第{self.sequence}次"


class NoticeLine(models.Model):
    notice = models.ForeignKey(OneTimeNotice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField("序号")
    case_material = models.ForeignKey(CaseMaterial, on_delete=models.PROTECT, related_name="notice_lines")
    state = models.CharField("问题", max_length=16, choices=MaterialState.choices)
    what_to_fix = models.CharField("补正要求", max_length=300)

    class Meta:
        ordering = ["notice", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.what_to_fix}"


class UnitStep(models.Model):
    """A unit's part of the work; a 联办件 has one per unit, run in parallel, all must finish (CAT-2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="办理单位")
    name = models.CharField("环节", max_length=120)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("意见", max_length=300, blank=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="one_step_per_unit")]

    def __str__(self) -> str:
        return f"{self.name} ({'已完成' if self.done_at else '办理中'})"


class CasePause(models.Model):
    """Time excluded from the clock (CASE-5): from `starts_on` to `ends_on` inclusive; open while null."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("类型", max_length=20, choices=PauseKind.choices)
    starts_on = models.DateField("开始")
    ends_on = models.DateField("结束", null=True, blank=True)
    reason = models.CharField("理由", max_length=300)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "starts_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on or ''}"


class CaseExtension(models.Model):
    """An extension with its reason and the applicant's recorded consent (CASE-5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    working_days = models.PositiveIntegerField("延长工作日")
    reason = models.CharField("理由", max_length=300)
    consent_note = models.CharField("申请人同意记录", max_length=300)
    consented_at = models.DateTimeField("同意时间")
    granted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    def __str__(self) -> str:
        return f"延期 {self.working_days} 个工作日"


class RefusalReport(models.Model):
    """否定事项报备 (CASE-7): a refusal is reported to the centre before the decision is issued."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="refusal_reports")
    kind = models.CharField("类型", max_length=16, choices=RefusalKind.choices)
    reasons = models.TextField("理由")
    legal_basis = models.TextField("法律依据")
    reported_at = models.DateTimeField("报备时间", default=timezone.now)
    reported_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField("中心确认时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("决定书出具时间", null=True, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = verbose_name_plural = "否定事项报备"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}报备 {self.case_id}"


class CaseEvent(models.Model):
    """The case timeline (服务日志台账, CASE-9): who did what, when, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.TRANSITION)
    action = models.CharField(max_length=30, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    rule_id = models.CharField(max_length=12, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "办件日志"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.action} {self.rule_id}"


class Inquiry(CentreScoped):
    """A consultation (咨询) logged by the first person asked (首问责任人, ASK-1..3)."""

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    question = models.TextField("咨询问题")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="相关事项")
    asked = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="inquiries", verbose_name="首问责任人"
    )
    asked_at = models.DateTimeField("咨询时间", default=timezone.now)
    visitor_name = models.CharField("咨询人", max_length=60, blank=True)
    contact = models.CharField("联系方式", max_length=80, blank=True)
    outcome = models.CharField("处理方式", max_length=10, choices=InquiryOutcome.choices)
    answer = models.TextField("答复内容", blank=True)
    referred_window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="引导至窗口"
    )
    referred_location = models.CharField("窗口位置", max_length=160, blank=True)
    promised_by = models.DateTimeField("承诺答复时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language_override_reason = models.CharField("用语提示确认理由", max_length=300, blank=True)
    policy_ref = models.CharField("政策版本", max_length=80)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = verbose_name_plural = "咨询登记"

    def __str__(self) -> str:
        return f"{self.get_channel_display()}咨询 {self.question[:20]}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.outcome == InquiryOutcome.PROMISED
            and self.replied_at is None
            and self.promised_by is not None
            and self.promised_by < timezone.now()
        )


class Notification(CentreScoped):
    """A message to one staff member (e.g. a referral to their window, ASK-1)."""

    recipient = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="case_notifications")
    text = models.CharField(max_length=300)
    inquiry = models.ForeignKey(Inquiry, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text
