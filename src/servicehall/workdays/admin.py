from django.contrib import admin

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
        obj.source = CalendarDay.Source.MANUAL
        super().save_model(request, obj, form, change)
