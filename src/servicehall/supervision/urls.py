"""Supervision office pages (效能监察室) under /supervision/."""

from __future__ import annotations

from django.urls import path

from servicehall.supervision import views

urlpatterns = [
    path("supervision/", views.today, name="today"),
    path("supervision/cards/<int:card_id>/", views.card_detail, name="card"),
    path("supervision/cards/<int:card_id>/act/", views.card_act, name="card_act"),
    path("supervision/ranking/", views.ranking, name="ranking"),
    path("supervision/ranking.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("supervision/ranking/<int:unit_id>/notice.pdf", views.rectification_pdf, name="rectification_pdf"),
    path("supervision/leader-days/", views.leader_day, name="leader_day"),
    path("supervision/fees/", views.fees, name="fees"),
    path("supervision/fees.xlsx", views.fees_xlsx, name="fees_xlsx"),
]
