"""Admin for the organisation's reference data. Model `clean()` carries the ORG rules, so the admin
forms show the same messages (e.g. "ORG-3: A角和B角不能是同一人") as the services."""

from __future__ import annotations

from django.contrib import admin

from servicehall.org.models import Centre, Post, Staff, Unit, Window


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "phone", "complaint_phone")
    list_filter = ("kind",)
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("parent",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "centre", "chief_rep", "phone")
    list_filter = ("centre",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("chief_rep",)
    list_select_related = ("centre", "chief_rep")


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "unit", "centre", "floor", "status", "paused_message")
    list_filter = ("centre", "status", "unit")
    search_fields = ("number", "name", "business_scope", "unit__name")
    autocomplete_fields = ("unit", "redirect_window")
    list_select_related = ("centre", "unit")
    fieldsets = (
        (None, {"fields": ("centre", "unit", "number", "name", "business_scope", "floor", "location")}),
        ("暂停服务 (ORG-6)", {"fields": ("status", "paused_message", "redirect_window", "resume_at")}),
    )


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "staff_no",
        "unit",
        "centre",
        "role",
        "title",
        "posted_from",
        "posted_until",
        "posting_note",
        "is_active",
    )
    list_filter = ("centre", "role", "is_active", "unit")
    search_fields = ("name", "staff_no", "badge_no", "phone", "user__username")
    autocomplete_fields = ("unit", "user")
    filter_horizontal = ("windows",)
    list_select_related = ("centre", "unit")
    readonly_fields = ("posting_note",)
    fieldsets = (
        (None, {"fields": ("centre", "unit", "user", "role", "is_active")}),
        ("挂牌信息 (ORG-4)", {"fields": ("name", "title", "post_title", "photo", "windows")}),
        ("内部信息", {"fields": ("staff_no", "badge_no", "phone")}),
        ("进驻期限 (ORG-5)", {"fields": ("posted_from", "posted_until", "posting_note")}),
    )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """A/B posts (ORG-3). A and B being one person is refused by `Post.clean()` as a form error on B."""

    list_display = ("name", "unit", "centre", "window", "a_holder", "b_holder")
    list_filter = ("centre", "unit")
    search_fields = ("name", "a_holder__name", "b_holder__name", "unit__name")
    autocomplete_fields = ("unit", "window", "a_holder", "b_holder")
    list_select_related = ("centre", "unit", "window", "a_holder", "b_holder")
