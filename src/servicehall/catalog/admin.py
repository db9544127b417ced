"""Catalogue admin: the centre office edits items directly and approves units' changes here too (CAT-1)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import F

from servicehall.catalog import services
from servicehall.catalog.models import Attachment, Item, ItemRevision, Material
from servicehall.core.admin import ScopedAdmin
from servicehall.core.errors import DomainError
from servicehall.core.roles import staff_of


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ("position", "name", "form", "copies", "required", "note")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("kind", "title", "file", "in_stock", "low_stock_at")


@admin.register(Item)
class ItemAdmin(ScopedAdmin):
    access_cell = ("catalog", "approve")
    list_display = ("code", "name", "unit", "case_type", "promised_days", "status", "published_at", "centre")
    list_filter = ("centre", "status", "case_type", "unit")
    search_fields = ("code", "name", "pinyin_initials", "unit__name")
    readonly_fields = ("pinyin_initials",)
    filter_horizontal = ("joint_units",)
    inlines = (MaterialInline, AttachmentInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "centre",
                    "unit",
                    "code",
                    "name",
                    "pinyin_initials",
                    "category",
                    "status",
                    "published_at",
                )
            },
        ),
        ("办件类型 (CAT-2)", {"fields": ("case_type", "joint_units", "promised_days", "statutory_days")}),
        ("六公开 (CAT-1)", {"fields": ("content", "procedure", "legal_basis", "fees")}),
    )


class LowStockFilter(admin.SimpleListFilter):
    title = "库存 (CAT-3)"
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return (("low", "需补印"), ("ok", "充足"))

    def queryset(self, request, queryset):
        if self.value() == "low":
            return queryset.filter(in_stock__lte=F("low_stock_at"))
        if self.value() == "ok":
            return queryset.filter(in_stock__gt=F("low_stock_at"))
        return queryset


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    access_cell = ("catalog", "stock")
    centre_lookup = "item__centre_id"
    list_display = ("title", "kind", "item", "in_stock", "low_stock_at", "low_stock", "stock_counted_at")
    list_filter = ("kind", LowStockFilter, "item__centre")
    search_fields = ("title", "item__name", "item__code")
    autocomplete_fields = ("item",)

    @admin.display(boolean=True, description="需补印")
    def low_stock(self, obj: Attachment) -> bool:
        return obj.is_low_stock


@admin.register(ItemRevision)
class ItemRevisionAdmin(ScopedAdmin):
    access_cell = ("catalog", "approve")
    list_display = (
        "__str__",
        "unit",
        "is_new",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "centre", "unit")
    search_fields = ("item__name", "item__code", "reason")
    readonly_fields = (
        "centre", "item", "unit", "is_new", "changes", "before", "status", "proposed_by", "proposed_at",
        "reason", "decided_by", "decided_at", "decision_note",
    )  # fmt: skip
    actions = ("approve_selected",)

    def has_add_permission(self, request) -> bool:
        return False  # units propose through the catalogue pages or the API, where CAT-1/CAT-2 are checked

    @admin.action(description="批准并公开所选变更 (CAT-1)")
    def approve_selected(self, request, queryset) -> None:
        approver = staff_of(request.user)
        if approver is None:
            self.message_user(request, "需要中心管理办公室工作人员身份才能审核", messages.ERROR)
            return
        done = 0
        for revision in queryset.filter(status=ItemRevision.Status.PENDING):
            try:
                services.approve_item_revision(revision_id=revision.pk, approver=approver, note="后台批准")
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{revision}：{exc}", messages.ERROR)
        if done:
            self.message_user(request, f"已批准并公开 {done} 项变更", messages.SUCCESS)
