from django.urls import path

from servicehall.ops import views

urlpatterns = [
    path("ops/calendar/", views.calendar_page, name="calendar"),
]
