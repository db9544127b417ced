"""Consultation pages, under /cases/ beside the case pages the window staff use (ASK-1..3)."""

from __future__ import annotations

from django.urls import path

from servicehall.consultation import views

urlpatterns = [
    path("cases/todo/", views.todo, name="todo"),
    path("cases/inquiries/", views.inquiries, name="inquiries"),
    path("cases/inquiries/new/", views.inquiry_new, name="inquiry_new"),
    path("cases/inquiries/<int:inquiry_id>/answer/", views.inquiry_answer, name="inquiry_answer"),
    path(
        "cases/notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"
    ),
]
