from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    """No tables of its own: `Inquiry` and `Notification` are declared in the cases app (see models note)."""

    name = "servicehall.consultation"
    label = "consultation"
    verbose_name = "咨询登记 Consultation"
