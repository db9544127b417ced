from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "servicehall.workdays"
    label = "workdays"
    verbose_name = "工作日 Working days"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from servicehall.workdays.models import CalendarDay
        from servicehall.workdays.selectors import forget_calendar

        for signal in (post_save, post_delete):
            signal.connect(lambda **kwargs: forget_calendar(), sender=CalendarDay, weak=False)
