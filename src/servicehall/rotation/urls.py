from django.urls import path

from servicehall.rotation import views

urlpatterns = [
    path("rotation/", views.applications, name="applications"),
    path("rotation/<int:application_id>/", views.detail, name="detail"),
    path("rotation/<int:application_id>/reply", views.reply, name="reply"),
    path("rotation/<int:application_id>/handover", views.handover, name="handover"),
    path("rotation/staff/<int:staff_id>/", views.staff_postings, name="staff"),
]
