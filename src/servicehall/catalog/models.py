"""Service items (服务事项) with their six publics (六公开, CAT-1), case type (CAT-2) and materials."""

from __future__ import annotations

from django.db import models

from servicehall.org.models import CentreScoped, Unit


class CaseType(models.TextChoices):
    """CAT-2 case types (办件类型)."""

    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"
    JOINT = "joint", "联办件"
    REPORTED = "reported", "上报件"


class Item(CentreScoped):
    """A catalogue item. Only `published` items are shown to citizens; units' edits go through CAT-1 approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已公开"
        WITHDRAWN = "withdrawn", "已停用"

    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    pinyin_initials = models.CharField("拼音首字母", max_length=200, blank=True, db_index=True)
    category = models.CharField("类别", max_length=60, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="items", verbose_name="主办单位")
    joint_units = models.ManyToManyField(Unit, blank=True, related_name="joint_items", verbose_name="联办单位")
    case_type = models.CharField("办件类型", max_length=12, choices=CaseType.choices, default=CaseType.PROMISED)
    # The six publics (六公开, CAT-1)
    content = models.TextField("办理内容", blank=True)
    procedure = models.TextField("办理程序", blank=True)
    legal_basis = models.TextField("法律依据", blank=True)
    promised_days = models.PositiveIntegerField("承诺时限(工作日)", default=0)
    statutory_days = models.PositiveIntegerField("法定时限(工作日)", null=True, blank=True)
    fees = models.TextField("收费标准及依据", blank=True, default="不收费")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        ordering = ["centre", "unit", "code"]
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="item_code_unique_in_centre")]
        verbose_name = verbose_name_plural = "服务事项"

    def __str__(self) -> str:
        return self.name


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
