from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "servicehall.leave"
    label = "leave"
    verbose_name = "请假顶岗 Leave"
    default_auto_field = "django.db.models.BigAutoField"
