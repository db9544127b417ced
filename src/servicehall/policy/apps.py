from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "servicehall.policy"
    label = "policy"
    verbose_name = "政策文件 Policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from servicehall.policy.sessions import limit_staff_session

        user_logged_in.connect(limit_staff_session, dispatch_uid="servicehall.policy.staff_session")
