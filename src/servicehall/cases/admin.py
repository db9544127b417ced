"""Admin for cases and inquiries: read-mostly; status changes go through the services (CASE-9)."""

from __future__ import annotations

from django.contrib import admin

from servicehall.cases.models import Case, CaseEvent, CaseMaterial, Inquiry, OneTimeNotice, RefusalReport


class CaseMaterialInline(admin.TabularInline):
    model = CaseMaterial
    extra = 0
    readonly_fields = ("position", "name", "state", "problem", "fixed_at")
    can_delete = False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ("at", "actor", "kind", "action", "from_status", "to_status", "rule_id", "reason")
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "item", "case_type", "status", "responsible", "due_on", "urgent")
    list_filter = ("centre", "status", "case_type", "urgent")
    search_fields = ("number", "item__name")
    readonly_fields = (
        "status",
        "number",
        "policy_ref",
        "accepted_at",
        "due_on",
        "concluded_at",
        "delivered_at",
    )
    inlines = (CaseMaterialInline, CaseEventInline)


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("asked_at", "channel", "question", "asked", "outcome", "promised_by", "replied_at")
    list_filter = ("centre", "channel", "outcome")


admin.site.register(OneTimeNotice)
admin.site.register(RefusalReport)
