from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "servicehall.notifications"
    label = "notifications"
    verbose_name = "站内通知"
    default_auto_field = "django.db.models.BigAutoField"
