"""Queue pages: /queue/ (index, window pages, stats), /kiosk/<hall>/, /display/<hall>/, /appointments/<hall>/."""

from __future__ import annotations

from django.urls import path

from servicehall.queue import views, visit_views

urlpatterns = [
    path("queue/", views.index, name="index"),
    path("queue/tickets/<int:ticket_id>/", views.ticket_page, name="ticket"),
    path("queue/tickets/<int:ticket_id>/escpos/", views.ticket_escpos_view, name="ticket_escpos"),
    path("queue/windows/", views.window_list, name="windows"),
    path("queue/windows/<int:window_id>/", views.window_page, name="window"),
    path("queue/windows/<int:window_id>/<slug:action>/", views.window_action, name="window_action"),
    path("queue/stats/", views.stats, name="stats"),
    path("kiosk/<slug:hall>/", views.kiosk, name="kiosk"),
    path("kiosk/<slug:hall>/take/", views.kiosk_take, name="kiosk_take"),
    path("kiosk/<slug:hall>/check-in/", views.kiosk_check_in, name="kiosk_check_in"),
    path("display/<slug:hall>/", views.display, name="display"),
    path("display/<slug:hall>/snapshot/", views.display_snapshot, name="display_snapshot"),
    path("display/<slug:hall>/stream/", views.display_stream, name="display_stream"),
    path("appointments/<slug:hall>/", views.appointments, name="appointments"),
    path("appointments/<slug:hall>/home-visit/", visit_views.home_visit_request, name="home_visit_request"),
    path("queue/visits/", visit_views.visit_list, name="visits"),
    path("queue/visits/phone/", visit_views.phone_request, name="visit_phone"),
    path("queue/visits/assist/", visit_views.assist, name="visit_assist"),
    path("queue/visits/<int:visit_id>/", visit_views.visit_detail, name="visit"),
    path("queue/visits/<int:visit_id>/decide/", visit_views.visit_decide, name="visit_decide"),
    path("queue/visits/<int:visit_id>/record/", visit_views.visit_record, name="visit_record"),
]
