from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "servicehall.supervision"
    label = "supervision"
    verbose_name = "电子监察 Supervision"
    default_auto_field = "django.db.models.BigAutoField"
