from django.urls import path

from servicehall.assessment import views

urlpatterns = [
    path("assessment/", views.rounds, name="rounds"),
    path("assessment/<int:round_id>/", views.round_detail, name="round"),
    path("assessment/<int:round_id>/score", views.score, name="score"),
    path("assessment/<int:round_id>/compute", views.compute, name="compute"),
    path("assessment/<int:round_id>/sheet/<int:staff_id>/", views.sheet, name="sheet"),
    path("assessment/<int:round_id>/unit/<int:unit_id>.<str:fmt>", views.unit_export, name="unit_export"),
]
