"""The Django admin is not a back door (ORG-1, CASE-9).

`ScopedAdmin`: a person sees and edits only the centres the access matrix gives them for the admin's
(domain, action) cell — their own centre, plus centres that granted theirs management. Foreign-key and
centre choices are limited the same way; every save and delete is audited with masked before/after.

`ServiceAdmin`: for records whose state a rule guards, the save goes through the domain's service (one
implementation of each rule); a refused write is shown as a message and nothing is written.

`ReadOnlyAdmin`: records changed only by their services (cases, punches, leave, notices) are viewable,
never added, changed or deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from servicehall.core import access
from servicehall.core.audit import diff, record_audit, snapshot
from servicehall.core.errors import DomainError


def _centre_of(obj: models.Model, lookup: str = "centre_id") -> int | None:
    if obj._meta.label_lower == "org.centre":
        return int(obj.pk)
    value: Any = obj
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return int(value)


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    """Rows limited to the centres the matrix cell `access_cell` allows; audited saves."""

    access_cell: tuple[str, str] = ("org", "manage")
    centre_lookup = "centre_id"  # how to reach the centre from this model (e.g. "line__centre_id")

    def allowed_centres(self, request: HttpRequest) -> set[int] | None:
        return access.centres_for(request.user, *self.access_cell)

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        centres = self.allowed_centres(request)
        if centres is None:
            return qs
        if self.model._meta.label_lower == "org.centre":
            return qs.filter(pk__in=centres)
        return qs.filter(**{f"{self.centre_lookup}__in": centres})

    def _in_scope(self, request: HttpRequest, obj: models.Model | None) -> bool:
        if obj is None:
            return True
        centres = self.allowed_centres(request)
        return centres is None or _centre_of(obj, self.centre_lookup) in centres

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        centres = self.allowed_centres(request)
        related = db_field.related_model
        if centres is not None and related is not None:
            if related._meta.label_lower == "org.centre":
                kwargs["queryset"] = related._default_manager.filter(pk__in=centres)
            elif any(f.name == "centre" for f in related._meta.fields):
                kwargs["queryset"] = related._default_manager.filter(centre_id__in=centres)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        centres = self.allowed_centres(request)
        related = db_field.related_model
        if centres is not None and any(f.name == "centre" for f in related._meta.fields):
            kwargs["queryset"] = related._default_manager.filter(centre_id__in=centres)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self._in_scope(request, obj):
            raise DomainError("不能修改其他服务中心的数据")
        before = {}
        if change and obj.pk:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old is not None else {}
        super().save_model(request, obj, form, change)
        was, now = diff(before, snapshot(obj))
        verb = f"admin.{obj._meta.label_lower}.{'change' if change else 'add'}"
        record_audit(
            actor=request.user,
            verb=verb,
            target=obj,
            centre_id=_centre_of(obj, self.centre_lookup),
            before=was,
            after=now,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_audit(
            actor=request.user,
            verb=f"admin.{obj._meta.label_lower}.delete",
            target=obj,
            centre_id=_centre_of(obj, self.centre_lookup),
            before=snapshot(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as exc:  # the service refused: the admin's transaction rolled back
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ServiceAdmin(ScopedAdmin):
    """Saves call the domain service (`save_through_service`); the service audits the change."""

    def save_through_service(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> Any:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.save_through_service(request, obj, form, change)
        if saved is not None and saved is not obj:
            obj.pk = saved.pk
            obj._state.adding = False
            obj._state.db = saved._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Relations are part of the service call; the form's own m2m save would bypass it."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        raise DomainError("请通过业务页面停用或撤销，不能在后台删除")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ScopedAdmin):
    """Viewable in the admin; every change goes through the domain's pages, API or commands."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at run time
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
