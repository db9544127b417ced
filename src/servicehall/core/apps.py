from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = "基础 Core"

    def ready(self) -> None:
        from servicehall.core import checks  # noqa: F401  registers the static-manifest check
        from servicehall.core.tasks import configure

        configure()  # eager (in-process) tasks unless a broker is configured
