from django.contrib import admin

from servicehall.core.admin import ReadOnlyAdmin, ReadOnlyInline
from servicehall.leave.models import CoverAssignment, LeaveRequest, LeaveStep


class LeaveStepInline(ReadOnlyInline):
    model = LeaveStep
    extra = 0
    readonly_fields = (
        "order",
        "approver_role",
        "status",
        "decided_by",
        "decided_at",
        "signer_name",
        "signed_on",
    )


class CoverInline(ReadOnlyInline):
    model = CoverAssignment
    extra = 0
    readonly_fields = ("checked_in_at", "checked_in_by")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    """Read-only: decisions go through the leave pages so every rule check and audit entry runs."""

    access_cell = ("leave", "read")

    list_display = ("staff", "kind", "start_date", "end_date", "days", "status", "policy_ref", "filed_late")
    list_filter = ("status", "kind", "centre", "filed_late")
    search_fields = ("staff__name", "staff__staff_no")
    readonly_fields = (
        "status",
        "days",
        "policy_ref",
        "tier_index",
        "decided_at",
        "filed_at",
        "original_kind",
    )
    inlines = (LeaveStepInline, CoverInline)


@admin.register(CoverAssignment)
class CoverAssignmentAdmin(ReadOnlyAdmin):
    access_cell = ("leave", "read")
    list_display = ("cover_name", "request", "window", "start_date", "end_date", "checked_in_at")
    list_filter = ("centre",)
