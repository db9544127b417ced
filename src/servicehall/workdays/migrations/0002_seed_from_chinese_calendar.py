"""Seed the calendar with every year the `chinesecalendar` package knows."""

from django.db import migrations


def seed(apps, schema_editor):
    from servicehall.workdays.chinese_calendar_source import day_kinds

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, kind=k.value, source="package") for d, k in day_kinds().items() if d not in existing],
        batch_size=2000,
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_calendar_day")]
    operations = [migrations.RunPython(seed, unseed)]
