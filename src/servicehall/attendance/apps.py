from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "servicehall.attendance"
    label = "attendance"
    verbose_name = "考勤 Attendance"
    default_auto_field = "django.db.models.BigAutoField"
