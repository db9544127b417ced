"""Admin for the organisation's reference data. Model `clean()` carries the ORG rules, so the admin
forms show the same messages (e.g. "ORG-3: A角和B角不能是同一人") as the services, and every save goes
through `org.services` (one door for writes): a centre office edits only its own centre, or a centre that
granted it management (ORG-1). A window's pause (ORG-6) changes only on the window pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from servicehall.core.admin import ServiceAdmin
from servicehall.core.audit import record_audit
from servicehall.org import services
from servicehall.org.models import Centre, Post, Staff, Unit, Window


def _changed(form: Any, fields: frozenset[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}


@admin.register(Centre)
class CentreAdmin(ServiceAdmin):
    list_display = ("code", "name", "kind", "parent", "phone", "complaint_phone")
    list_filter = ("kind",)
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        return ("code", "parent") if obj is not None else ()

    def save_through_service(self, request, obj, form, change):
        if change:
            return services.update_centre(
                centre_id=obj.pk, actor=request.user, **_changed(form, services.CENTRE_FIELDS)
            )
        return services.create_centre(
            code=obj.code, name=obj.name, kind=obj.kind, parent_id=obj.parent_id, address=obj.address,
            phone=obj.phone, complaint_phone=obj.complaint_phone, actor=request.user,
        )  # fmt: skip


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ("name", "short_name", "centre", "chief_rep", "phone")
    list_filter = ("centre",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("chief_rep",)
    list_select_related = ("centre", "chief_rep")

    def get_readonly_fields(self, request, obj=None):
        return ("centre",) if obj is not None else ("chief_rep",)

    def save_through_service(self, request, obj, form, change):
        if not change:
            return services.create_unit(
                centre_id=obj.centre_id, name=obj.name, short_name=obj.short_name, phone=obj.phone,
                actor=request.user,
            )  # fmt: skip
        unit = services.update_unit(
            unit_id=obj.pk, actor=request.user, **_changed(form, services.UNIT_FIELDS)
        )
        if "chief_rep" in form.changed_data and obj.chief_rep_id:
            unit = services.set_chief_rep(unit_id=obj.pk, staff_id=obj.chief_rep_id, actor=request.user)
        return unit


@admin.register(Window)
class WindowAdmin(ServiceAdmin):
    list_display = ("number", "name", "unit", "centre", "floor", "status", "paused_message")
    list_filter = ("centre", "status", "unit")
    search_fields = ("number", "name", "business_scope", "unit__name")
    autocomplete_fields = ("unit", "redirect_window")
    list_select_related = ("centre", "unit")
    fieldsets = (
        (None, {"fields": ("centre", "unit", "number", "name", "business_scope", "floor", "location")}),
        ("暂停服务 (ORG-6)", {"fields": ("status", "paused_message", "redirect_window", "resume_at")}),
    )
    pause_fields = ("status", "paused_message", "redirect_window", "resume_at")

    def get_readonly_fields(self, request, obj=None):
        # ORG-6: pause and resume on the window page, where the sign's text is checked
        return ("centre", "unit", *self.pause_fields) if obj is not None else self.pause_fields

    def save_through_service(self, request, obj, form, change):
        if change:
            return services.update_window(
                window_id=obj.pk, actor=request.user, **_changed(form, services.WINDOW_FIELDS)
            )
        return services.create_window(
            centre_id=obj.centre_id, unit_id=obj.unit_id, number=obj.number, name=obj.name,
            business_scope=obj.business_scope, floor=obj.floor, location=obj.location, actor=request.user,
        )  # fmt: skip


@admin.register(Staff)
class StaffAdmin(ServiceAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        return ("centre", "unit", "user", "posting_note") if obj is not None else ("posting_note",)

    def save_through_service(self, request, obj, form, change):
        """Each changed group goes to its own service: role, posting (ORG-5), windows, contact (ORG-4)."""
        data, changed, actor = form.cleaned_data, set(form.changed_data), request.user
        if not change:
            staff = services.create_staff(
                centre_id=obj.centre_id, name=obj.name, staff_no=obj.staff_no, role=obj.role,
                unit_id=obj.unit_id, title=obj.title, post_title=obj.post_title, phone=obj.phone,
                badge_no=obj.badge_no, posted_from=obj.posted_from, posted_until=obj.posted_until, actor=actor,
            ).staff  # fmt: skip
            if data.get("user") is not None:
                staff.user = data["user"]
                staff.save(update_fields=["user"])
                record_audit(
                    actor=actor, verb="org.staff.link_login", target=staff, after={"user": staff.user_id}
                )
        else:
            staff = services.update_staff(
                staff_id=obj.pk, actor=actor, **_changed(form, services.STAFF_FIELDS)
            )
            if "role" in changed:
                staff = services.set_staff_role(staff_id=obj.pk, role=data["role"], actor=actor)
            if changed & {"posted_from", "posted_until"}:
                services.set_posting(
                    staff_id=obj.pk, posted_from=data.get("posted_from"), posted_until=data.get("posted_until"),
                    actor=actor,
                )  # fmt: skip
        if "windows" in changed:
            services.assign_windows(
                staff_id=staff.pk, window_ids=[w.pk for w in data.get("windows") or []], actor=actor
            )
        return staff

    fieldsets = (
        (None, {"fields": ("centre", "unit", "user", "role", "is_active")}),
        ("挂牌信息 (ORG-4)", {"fields": ("name", "title", "post_title", "photo", "windows")}),
        ("内部信息", {"fields": ("staff_no", "badge_no", "phone")}),
        ("进驻期限 (ORG-5)", {"fields": ("posted_from", "posted_until", "posting_note")}),
    )


@admin.register(Post)
class PostAdmin(ServiceAdmin):
    """A/B posts (ORG-3). A and B being one person is refused by `Post.clean()` as a form error on B."""

    list_display = ("name", "unit", "centre", "window", "a_holder", "b_holder")
    list_filter = ("centre", "unit")
    search_fields = ("name", "a_holder__name", "b_holder__name", "unit__name")
    autocomplete_fields = ("unit", "window", "a_holder", "b_holder")
    list_select_related = ("centre", "unit", "window", "a_holder", "b_holder")

    access_cell = ("org", "manage_unit_staff")

    def save_through_service(self, request, obj, form, change):
        if change:
            changed = set(form.changed_data)
            return services.update_post(
                post_id=obj.pk, actor=request.user,
                name=obj.name if "name" in changed else None,
                a_holder_id=obj.a_holder_id if "a_holder" in changed else None,
                b_holder_id=obj.b_holder_id if "b_holder" in changed else None,
                window_id=obj.window_id if "window" in changed else None,
            )  # fmt: skip
        return services.create_post(
            unit_id=obj.unit_id, name=obj.name, a_holder_id=obj.a_holder_id, b_holder_id=obj.b_holder_id,
            window_id=obj.window_id, actor=request.user,
        )  # fmt: skip
