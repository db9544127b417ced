"""Service items (服务事项) with their six publics (六公开, CAT-1), case type (CAT-2) and materials;
units' proposed changes (事项变更, CAT-1) and guides / sample forms (办事指南 / 样表, CAT-3)."""

from __future__ import annotations

from django.db import models

from servicehall.catalog.pinyin import pinyin_initials
from servicehall.org.models import CentreScoped, Staff, Unit


class CaseType(models.TextChoices):
    """CAT-2 case types (办件类型)."""

    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"
    JOINT = "joint", "联办件"
    REPORTED = "reported", "上报件"


class Item(CentreScoped):
    """A catalogue item. Only `published` items are shown to citizens; units' edits need CAT-1 approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已公开"
        WITHDRAWN = "withdrawn", "已停用"

    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    pinyin_initials = models.CharField("拼音首字母", max_length=200, blank=True, db_index=True)
    category = models.CharField("类别", max_length=60, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="items", verbose_name="主办单位")
    joint_units = models.ManyToManyField(
        Unit, blank=True, related_name="joint_items", verbose_name="联办单位"
    )
    case_type = models.CharField(
        "办件类型", max_length=12, choices=CaseType.choices, default=CaseType.PROMISED
    )
    # The six publics (六公开, CAT-1)
    content = models.TextField("办理内容", blank=True)
    procedure = models.TextField("办理程序", blank=True)
    legal_basis = models.TextField("法律依据", blank=True)
    promised_days = models.PositiveIntegerField("承诺时限(工作日)", default=0)
    statutory_days = models.PositiveIntegerField("法定时限(工作日)", null=True, blank=True)
    fees = models.TextField("收费标准及依据", blank=True, default="不收费")
    default_approval = models.BooleanField(
        "可超时默认", default=False, help_text="CASE-6: 超时后中心可直接督促办理并核发证照"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        ordering = ["centre", "unit", "code"]
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="item_code_unique_in_centre")]
        verbose_name = verbose_name_plural = "服务事项"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Search by pinyin initials (营业执照 → YYZZ) stays right whatever path changed the name.
        self.pinyin_initials = pinyin_initials(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pinyin_initials"}
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FeeScheduleLine(models.Model):
    """One line of an item's fee schedule (收费标准, SUP-2): name, legal basis, amount or free (不收费)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="fee_lines", verbose_name="事项")
    position = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("收费项目", max_length=120)
    legal_basis = models.CharField("收费依据", max_length=300)
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2, default=0)
    free = models.BooleanField("不收费", default=False)

    class Meta:
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="fee_line_name_unique")]
        verbose_name = verbose_name_plural = "收费标准"

    def __str__(self) -> str:
        return f"{self.name}：{'不收费' if self.free else f'{self.amount} 元'}"


class Material(models.Model):
    """One line of an item's required-materials checklist (申请材料); CASE-2 ticks these at registration."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField("材料形式", max_length=40, default="原件", blank=True)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("必须提交", default=True)
    note = models.CharField("说明/要求", max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ItemRevision(CentreScoped):
    """A unit's proposed change to an item, or a new item (`is_new`), waiting for the centre (CAT-1).

    `changes` holds only the fields that change, validated by `catalog.rules`; `before` is the item's
    state when the change was proposed, so reviewers see what changes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已退回"
        CANCELLED = "cancelled", "已撤回"

    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions", verbose_name="事项"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="item_revisions", verbose_name="申请单位"
    )
    is_new = models.BooleanField("新增事项", default=False)
    changes = models.JSONField("变更内容", default=dict)
    before = models.JSONField("变更前", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="proposed_item_revisions", verbose_name="提交人"
    )
    proposed_at = models.DateTimeField("提交时间", auto_now_add=True)
    reason = models.TextField("变更理由", blank=True)
    decided_by = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_item_revisions",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = verbose_name_plural = "事项变更申请"

    def __str__(self) -> str:
        target = self.item.name if self.item is not None else f"新事项 {self.changes.get('name', '')}"
        return f"{target}（{self.get_status_display()}）"

    @property
    def title(self) -> str:
        return self.changes.get("name") or (self.item.name if self.item is not None else "")


class Attachment(models.Model):
    """A guide (办事指南), sample form (样表/示范文本) or blank form of an item (CAT-3).

    `in_stock` counts printed copies at the window; at or below `low_stock_at` the item is flagged so the
    hall never runs out (不断档). The public page offers the file for download whatever the stock.
    """

    class Kind(models.TextChoices):
        GUIDE = "guide", "办事指南"
        SAMPLE = "sample", "样表(示范文本)"
        BLANK = "blank", "空白表格"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments", verbose_name="事项")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField("标题", max_length=200)
    file = models.FileField("文件", upload_to="catalog/attachments/", blank=True)
    position = models.PositiveSmallIntegerField("序号", default=1)
    in_stock = models.PositiveIntegerField("现存纸质份数", default=0)
    low_stock_at = models.PositiveIntegerField("补印提醒阈值", default=10)
    stock_counted_at = models.DateTimeField("盘点时间", null=True, blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = verbose_name_plural = "办事指南与样表"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_low_stock(self) -> bool:
        """CAT-3: at or below the threshold, reprint before the window runs out."""
        return self.in_stock <= self.low_stock_at
