from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "servicehall.cases"
    label = "cases"
    verbose_name = "办件 Cases"
    default_auto_field = "django.db.models.BigAutoField"
