from django.urls import path

from servicehall.accountability import views

urlpatterns = [
    path("accountability/criticisms/", views.criticism_list, name="criticisms"),
    path("accountability/criticisms/<int:criticism_id>.pdf", views.criticism_notice, name="criticism_pdf"),
    path("accountability/training/", views.training_list, name="training"),
]
