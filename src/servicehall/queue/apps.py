from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "servicehall.queue"
    label = "queue"
    verbose_name = "排队叫号 Queue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from servicehall.queue.config import _connect_invalidation

        _connect_invalidation()
