"""Admin for attendance records; corrections are made through the office page so they are audited."""

from __future__ import annotations

from django.contrib import admin

from servicehall.attendance.models import OffPostRecord, Punch, PunchCorrection, PunchImport
from servicehall.core.admin import ReadOnlyAdmin


@admin.register(PunchImport)
class PunchImportAdmin(ReadOnlyAdmin):
    access_cell = ("attendance", "correct")
    list_display = ("filename", "centre", "layout", "rows", "created", "imported_at")
    readonly_fields = ("sha256",)


@admin.register(Punch)
class PunchAdmin(ReadOnlyAdmin):
    """ATT-2: punches change through audited corrections (补卡 / 作废) on the office page."""

    access_cell = ("attendance", "correct")
    list_display = ("staff", "at", "source", "voided", "batch")
    list_filter = ("source", "voided", "centre")
    search_fields = ("staff__name", "staff__staff_no")
    date_hierarchy = "at"


@admin.register(PunchCorrection)
class PunchCorrectionAdmin(ReadOnlyAdmin):
    access_cell = ("attendance", "correct")
    list_display = ("staff", "action", "punch", "reason", "corrected_by", "created_at")


@admin.register(OffPostRecord)
class OffPostRecordAdmin(ReadOnlyAdmin):
    access_cell = ("attendance", "correct")
    list_display = ("staff", "date", "kind", "minutes", "note")
    list_filter = ("kind", "centre")
