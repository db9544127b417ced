from typing import Any

from django.contrib import admin

from servicehall.core.admin import ReadOnlyAdmin
from servicehall.language.models import FlaggedReplyOverride


@admin.register(FlaggedReplyOverride)
class FlaggedReplyOverrideAdmin(ReadOnlyAdmin):
    access_cell = ("language", "review")
    list_display = ("created_at", "staff", "reason", "context")
    list_filter = ("centre",)
    search_fields = ("staff__name", "text", "reason")
    readonly_fields = ("centre", "staff", "text", "findings", "reason", "context", "created_at")

    def has_add_permission(
        self, request: Any, obj: Any = None
    ) -> bool:  # written only by services.record_override
        return False
