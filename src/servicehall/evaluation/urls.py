"""Evaluation pages: public /pad/, /rate/, /complaints/, /suggestions/, /satisfaction/; staff /evaluation/."""

from __future__ import annotations

from django.urls import path

from servicehall.evaluation import views

urlpatterns = [
    path("pad/<slug:hall>/<str:number>/", views.pad, name="pad"),
    path("pad/<slug:hall>/<str:number>/panel/", views.pad_panel, name="pad_panel"),
    path("pad/<slug:hall>/<str:number>/rate/", views.pad_rate, name="pad_rate"),
    path("rate/", views.rate_case, name="rate_case"),
    path("complaints/track/", views.complaint_track, name="complaint_track"),
    path("complaints/<slug:hall>/new/", views.complaint_new, name="complaint_new"),
    path("suggestions/<slug:hall>/", views.suggestion_new, name="suggestion_new"),
    path("satisfaction/<slug:hall>/", views.satisfaction, name="satisfaction"),
    path("evaluation/", views.overview, name="overview"),
    path("evaluation/ratings/", views.rating_list, name="ratings"),
    path("evaluation/rectifications/", views.rectification_list, name="rectifications"),
    path("evaluation/rectifications/<int:task_id>/", views.rectification_detail, name="rectification"),
    path("evaluation/complaints/", views.complaint_list, name="complaints"),
    path("evaluation/complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path("evaluation/flags/", views.flag_list, name="flags"),
    path("evaluation/suggestions/", views.suggestion_list, name="suggestions"),
    path("evaluation/unserved/", views.unserved_list, name="unserved"),
]
