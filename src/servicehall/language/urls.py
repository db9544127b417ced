from django.urls import path

from servicehall.language import views

urlpatterns = [
    path("language/check/", views.check_fragment, name="check_fragment"),
    path("language/training/", views.training, name="training"),
    path("language/review/", views.review, name="review"),
]
