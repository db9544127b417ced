from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "servicehall.inspections"
    label = "inspections"
    verbose_name = "巡查检查"
    default_auto_field = "django.db.models.BigAutoField"
