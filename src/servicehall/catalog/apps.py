from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "servicehall.catalog"
    label = "catalog"
    verbose_name = "事项目录 Catalogue"
    default_auto_field = "django.db.models.BigAutoField"
