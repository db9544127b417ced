from django.urls import path

from servicehall.inspections import views

urlpatterns = [
    path("inspections/", views.findings, name="list"),
    path("inspections/new/", views.new, name="new"),
    path("inspections/<int:finding_id>/", views.detail, name="detail"),
    path("inspections/<int:finding_id>/photo/", views.photo, name="photo"),
    path("inspections/<int:finding_id>/contest", views.contest, name="contest"),
    path("inspections/<int:finding_id>/decide", views.decide, name="decide"),
]
