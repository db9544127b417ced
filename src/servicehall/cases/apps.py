from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "servicehall.cases"
    label = "cases"
    verbose_name = "办件 Cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from servicehall.cases.enums import Action, EventKind
        from servicehall.core.audit_labels import register_verb_labels

        register_verb_labels("cases", {**dict(EventKind.choices), **dict(Action.choices)})
