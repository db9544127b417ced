from django.urls import path

from servicehall.study import views

urlpatterns = [
    path("study/", views.sessions, name="sessions"),
    path("study/<int:session_id>/", views.detail, name="detail"),
]
