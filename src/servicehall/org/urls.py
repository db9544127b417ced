from django.urls import path

from servicehall.org import views

urlpatterns = [
    path("windows/", views.board_index, name="board_index"),
    path("windows/<slug:centre_code>/", views.board, name="board"),
    path("org/staff/", views.staff_list, name="staff_list"),
    path("org/staff/<int:staff_id>/", views.staff_detail, name="staff_detail"),
    path("org/windows/", views.window_list, name="windows"),
    path("org/windows/<int:window_id>/row", views.window_row, name="window_row"),
    path("org/windows/<int:window_id>/pause", views.window_pause, name="window_pause"),
    path("org/windows/<int:window_id>/resume", views.window_resume, name="window_resume"),
]
