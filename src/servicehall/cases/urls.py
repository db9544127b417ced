"""Case pages: /cases/... for staff, /progress/ for the public (CASE-10)."""

from __future__ import annotations

from django.urls import path

from servicehall.cases import views

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/new/", views.register, name="register"),
    path("cases/items/", views.item_search, name="item_search"),
    path("cases/items/<int:item_id>/checklist/", views.checklist, name="checklist"),
    path("cases/<int:case_id>/", views.detail, name="detail"),
    path("cases/<int:case_id>/act/", views.act, name="act"),
    path("cases/<int:case_id>/notices/<str:kind>.pdf", views.notice, name="notice"),
]
