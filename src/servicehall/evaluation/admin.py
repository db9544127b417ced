"""Read-only admin: ratings, tasks and complaints change only through the services (EVAL-1, EVAL-2).

`RaterContact` is not registered: who rated is read only through the audited call-back on the task.
"""

from __future__ import annotations

from django.contrib import admin

from servicehall.evaluation.models import Complaint, ManipulationFlag, Rating, Rectification, Suggestion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a rating is never deleted; overturned ones stay on record


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ("rated_at", "unit", "window", "staff", "level_label", "channel", "source", "overturned")
    list_filter = ("satisfied", "channel", "source", "overturned")
    exclude = ("import_key",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnly):
    list_display = ("pk", "unit", "category", "status", "opened_on", "due_on")
    list_filter = ("status", "category")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ("tracking_code", "channel", "received_at", "step", "outcome", "unit")
    list_filter = ("step", "outcome", "channel")


@admin.register(ManipulationFlag)
class ManipulationFlagAdmin(ReadOnly):
    list_display = ("month", "kind", "status", "unit", "staff")


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = ("tracking_code", "channel", "received_at", "replied_at")
