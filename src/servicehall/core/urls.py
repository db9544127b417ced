from django.urls import path

from servicehall.core import views

urlpatterns = [
    path("audit/", views.audit_search, name="audit"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
