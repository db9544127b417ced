"""Admin for cases and inquiries: read-only; every change goes through the services (CASE-9), and the
applicant's ID number and phone are not shown here (INT-2)."""

from __future__ import annotations

from django.contrib import admin

from servicehall.cases.models import Case, CaseEvent, CaseMaterial, Inquiry, OneTimeNotice, RefusalReport
from servicehall.core.admin import ReadOnlyAdmin, ReadOnlyInline


class CaseMaterialInline(ReadOnlyInline):
    model = CaseMaterial
    extra = 0
    readonly_fields = ("position", "name", "state", "problem", "fixed_at")
    can_delete = False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ("at", "actor", "kind", "action", "from_status", "to_status", "rule_id", "reason")
    can_delete = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    access_cell = ("cases", "read")
    exclude = ("applicant_id_no", "applicant_phone", "applicant_id_hash")
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
class InquiryAdmin(ReadOnlyAdmin):
    access_cell = ("cases", "read")
    list_display = ("asked_at", "channel", "question", "asked", "outcome", "promised_by", "replied_at")
    list_filter = ("centre", "channel", "outcome")


@admin.register(OneTimeNotice)
class OneTimeNoticeAdmin(ReadOnlyAdmin):
    access_cell = ("cases", "read")
    centre_lookup = "case__centre_id"


@admin.register(RefusalReport)
class RefusalReportAdmin(ReadOnlyAdmin):
    access_cell = ("cases", "read")
    centre_lookup = "case__centre_id"
