from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "servicehall.evaluation"
    label = "evaluation"
    verbose_name = "评价考核 Evaluation"
    default_auto_field = "django.db.models.BigAutoField"
