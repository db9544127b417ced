from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "servicehall.ops"
    label = "ops"
    verbose_name = "运维"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from servicehall.ops import checks  # noqa: F401 - registers the deployment checks
