from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = "基础 Core"

    def ready(self) -> None:
        from servicehall.core import checks, fieldcrypt  # noqa: F401  register the static-manifest and key checks
        from servicehall.core.tasks import configure

        configure()  # eager (in-process) tasks unless a broker is configured
