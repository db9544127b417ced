from django.apps import AppConfig


class PolicyVersionsConfig(AppConfig):
    """Stored policy versions. The label stays `policy`, so the table and migrations keep their names."""

    name = "servicehall.policy_versions"
    label = "policy"
    verbose_name = "政策文件 Policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # org sits below the stored versions and reads the policy in force through the published lookup.
        from servicehall.policy import in_force
        from servicehall.policy_versions.selectors import in_force_lookup

        in_force.install_lookup(in_force_lookup)

        # Staff sessions end after the policy's organisation.staff_session_minutes (INT-2).
        from django.contrib.auth.signals import user_logged_in

        from servicehall.policy_versions.sessions import limit_staff_session

        user_logged_in.connect(limit_staff_session, dispatch_uid="servicehall.policy.staff_session")
