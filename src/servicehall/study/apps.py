from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "servicehall.study"
    label = "study"
    verbose_name = "学习与例会"
    default_auto_field = "django.db.models.BigAutoField"
