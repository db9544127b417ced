from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "servicehall.policy"
    label = "policy"
    verbose_name = "政策文件 Policy"
    default_auto_field = "django.db.models.BigAutoField"
