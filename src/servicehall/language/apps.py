from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "servicehall.language"
    label = "language"
    verbose_name = "文明用语 Service language"
    default_auto_field = "django.db.models.BigAutoField"
