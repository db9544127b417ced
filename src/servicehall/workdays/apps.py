from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "servicehall.workdays"
    label = "workdays"
    verbose_name = "工作日 Working days"
    default_auto_field = "django.db.models.BigAutoField"
