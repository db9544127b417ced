from __future__ import annotations

from django.contrib import admin

from servicehall.core.admin import ReadOnlyAdmin, ScopedAdmin
from servicehall.queue.models import Appointment, LineWindow, QueueEvent, ServiceLine, Ticket


class LineWindowInline(admin.TabularInline):
    model = LineWindow
    extra = 1


@admin.register(ServiceLine)
class ServiceLineAdmin(ScopedAdmin):
    list_display = ("prefix", "name", "centre", "position", "is_active")
    list_filter = ("centre", "is_active")
    filter_horizontal = ("items",)
    inlines = (LineWindowInline,)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    access_cell = ("queue", "read")
    list_display = (
        "number",
        "day",
        "line",
        "status",
        "priority",
        "issued_at",
        "called_at",
        "window",
        "staff",
    )
    list_filter = ("centre", "status", "day", "line")
    search_fields = ("number",)
    readonly_fields = tuple(f.name for f in Ticket._meta.fields)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    access_cell = ("queue", "read")
    list_display = ("code", "day", "slot_start", "line", "name", "status")
    list_filter = ("centre", "status", "day")
    search_fields = ("code", "name")


@admin.register(QueueEvent)
class QueueEventAdmin(ReadOnlyAdmin):
    access_cell = ("queue", "read")
    list_display = ("id", "at", "centre", "kind", "ticket", "window")
    list_filter = ("kind",)
