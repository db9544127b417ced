from django.urls import path

from servicehall.core import views

urlpatterns = [
    path("audit/", views.audit_search, name="audit"),
]
