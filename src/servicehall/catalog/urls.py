"""Catalogue pages under /catalog/. Staff paths come first so they are never read as a centre code."""

from __future__ import annotations

from django.urls import path

from servicehall.catalog import views

urlpatterns = [
    path("catalog/", views.item_list, name="item_list"),
    path("catalog/review/", views.review, name="review"),
    path("catalog/review/<int:pk>/", views.review_detail, name="review_detail"),
    path("catalog/review/<int:pk>/decide/", views.decide, name="decide"),
    path("catalog/propose/", views.propose, name="propose"),
    path("catalog/propose/<int:item_id>/", views.propose, name="propose_change"),
    path("catalog/stock/", views.stock, name="stock"),
    path("catalog/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("catalog/<slug:centre_code>/", views.centre_items, name="centre_items"),
    path("catalog/<slug:centre_code>/items/<str:code>/", views.item_detail, name="item_detail"),
    path("catalog/<slug:centre_code>/items/<str:code>/guide.pdf", views.guide_pdf, name="guide_pdf"),
]
