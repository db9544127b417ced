from django.apps import AppConfig


class RotationConfig(AppConfig):
    name = "servicehall.rotation"
    label = "rotation"
    verbose_name = "人员轮换"
    default_auto_field = "django.db.models.BigAutoField"
