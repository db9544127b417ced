from django.urls import path

from servicehall.leave import views

urlpatterns = [
    path("leave/", views.mine, name="mine"),
    path("leave/apply/", views.apply, name="apply"),
    path("leave/approvals/", views.approvals, name="approvals"),
    path("leave/covers/", views.covers, name="covers"),
    path("leave/covers/<int:cover_id>/check-in", views.check_in, name="check_in"),
    path("leave/steps/<int:step_id>/decide", views.decide, name="decide"),
    path("leave/<int:leave_id>/", views.detail, name="detail"),
    path("leave/<int:leave_id>/attachment/", views.attachment, name="attachment"),
    path("leave/<int:leave_id>/return", views.record_return, name="return"),
    path("leave/<int:leave_id>/cancel", views.cancel, name="cancel"),
]
