"""The working-day calendar table (工作日历): one row per date, editable in the admin."""

from __future__ import annotations

from django.db import models

from servicehall.workdays.calendar import DayKind


class CalendarDay(models.Model):
    """A date's kind. Seeded from the `chinesecalendar` package; a centre adds a new year's
    State Council notice itself (admin or `servicehall workdays import`)."""

    class Kind(models.TextChoices):
        WORKDAY = DayKind.WORKDAY.value, "工作日"
        REST = DayKind.REST.value, "休息日"
        HOLIDAY = DayKind.HOLIDAY.value, "法定节假日"
        MAKEUP_WORKDAY = DayKind.MAKEUP_WORKDAY.value, "调休上班日"

    class Source(models.TextChoices):
        PACKAGE = "package", "chinesecalendar"
        IMPORT = "import", "导入"
        MANUAL = "manual", "手工维护"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    note = models.CharField("说明", max_length=100, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "工作日历"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
