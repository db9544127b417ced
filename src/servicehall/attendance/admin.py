"""Admin for attendance records; corrections are made through the office page so they are audited."""

from __future__ import annotations

from django.contrib import admin

from servicehall.attendance.models import OffPostRecord, Punch, PunchCorrection, PunchImport


@admin.register(PunchImport)
class PunchImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "centre", "layout", "rows", "created", "imported_at")
    readonly_fields = ("sha256",)


@admin.register(Punch)
class PunchAdmin(admin.ModelAdmin):
    list_display = ("staff", "at", "source", "voided", "batch")
    list_filter = ("source", "voided", "centre")
    search_fields = ("staff__name", "staff__staff_no")
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None) -> bool:  # ATT-2: change through audited corrections
        return False


@admin.register(PunchCorrection)
class PunchCorrectionAdmin(admin.ModelAdmin):
    list_display = ("staff", "action", "punch", "reason", "corrected_by", "created_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OffPostRecord)
class OffPostRecordAdmin(admin.ModelAdmin):
    list_display = ("staff", "date", "kind", "minutes", "note")
    list_filter = ("kind", "centre")
