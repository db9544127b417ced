from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "servicehall.reports"
    label = "reports"
    verbose_name = "报表 Reports"
    default_auto_field = "django.db.models.BigAutoField"
