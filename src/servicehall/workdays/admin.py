from django.contrib import admin

from servicehall.core.audit import diff, record_audit, snapshot
from servicehall.workdays.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "note", "source")
    list_filter = ("kind", "source")
    list_editable = ("kind", "note")
    search_fields = ("date", "note")
    date_hierarchy = "date"
    ordering = ("-date",)

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        """The calendar is shared by every centre; each edit is logged (CASE-9)."""
        old = CalendarDay.objects.filter(pk=obj.pk).first() if change else None
        before = snapshot(old) if old is not None else {}
        obj.source = CalendarDay.Source.MANUAL
        super().save_model(request, obj, form, change)
        was, now = diff(before, snapshot(obj))
        record_audit(actor=request.user, verb="workdays.day.change", target=obj, before=was, after=now)
