"""Attendance pages under /attendance/."""

from __future__ import annotations

from django.urls import path

from servicehall.attendance import views

urlpatterns = [
    path("attendance/", views.my_month, name="my_month"),
    path("attendance/me/", views.my_month, name="my_month_alias"),
    path("attendance/staff/<int:staff_id>/", views.staff_detail, name="staff_detail"),
    path("attendance/staff/<int:staff_id>/punch/", views.add_punch, name="add_punch"),
    path("attendance/punches/<int:punch_id>/void/", views.void_punch, name="void_punch"),
    path("attendance/unit/", views.unit_month, name="unit_month"),
    path("attendance/unit/<int:unit_id>/", views.unit_month, name="unit_month_of"),
    path("attendance/centre/", views.centre_month, name="centre_month"),
    path("attendance/month.xlsx", views.month_xlsx, name="month_xlsx"),
    path("attendance/weekly/", views.weekly, name="weekly"),
    path("attendance/office/", views.office, name="office"),
    path("attendance/office/import/", views.upload, name="upload"),
    path("attendance/office/off-post/", views.off_post, name="off_post"),
]
