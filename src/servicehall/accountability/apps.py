from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "servicehall.accountability"
    label = "accountability"
    verbose_name = "问责事件"
    default_auto_field = "django.db.models.BigAutoField"
