from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "servicehall.org"
    label = "org"
    verbose_name = "组织 Organisation"
    default_auto_field = "django.db.models.BigAutoField"
