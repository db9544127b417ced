"""Roles (角色) and the unit scope that decides what each person may see.

centre_admin (中心管理办公室) and supervisor (效能监察室) see the whole centre; auditor sees it read-only;
chief_rep (首席代表) sees their own unit; window_staff see their own records. A unit's people never see
another unit's private data: every selector filters through `visible_unit_ids` or `ensure_can_see`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices

from servicehall.core.errors import Forbidden, NotFound


class Role(TextChoices):
    CENTRE_ADMIN = "centre_admin", "中心管理办公室"
    SUPERVISOR = "supervisor", "效能监察室"
    CHIEF_REP = "chief_rep", "首席代表"
    WINDOW_STAFF = "window_staff", "窗口工作人员"
    AUDITOR = "auditor", "审计(只读)"


CENTRE_WIDE = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR})
WRITERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.WINDOW_STAFF})


def staff_of(user: Any) -> Any | None:
    """The Staff record of a signed-in user (or the Staff itself), else None (citizens, bare superusers)."""
    if user is None:
        return None
    if hasattr(user, "staff_no") and hasattr(user, "role"):  # already a Staff: services accept either
        return user
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Exception:  # RelatedObjectDoesNotExist has no importable name
        return None


def role_of(user: Any) -> str | None:
    staff = staff_of(user)
    if staff is not None:
        role: str = staff.role
        return role
    if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
        return Role.CENTRE_ADMIN
    return None


def require_role(user: Any, *roles: str) -> Any:
    """The viewer's Staff record if they hold one of `roles`; otherwise Forbidden."""
    role = role_of(user)
    if role not in roles:
        raise Forbidden("您的角色无权进行此操作", role=role or "anonymous")
    return staff_of(user)


def visible_unit_ids(user: Any, *, centre_id: int) -> set[int] | None:
    """Unit ids the viewer may see private data of in `centre_id`; None means all units of the centre."""
    role = role_of(user)
    staff = staff_of(user)
    if staff is None:
        if role == Role.CENTRE_ADMIN:  # a superuser without a Staff record
            return None
        return set()
    if staff.centre_id != centre_id:
        return set()
    if role in CENTRE_WIDE:
        return None
    return {staff.unit_id} if staff.unit_id else set()


def ensure_can_see(
    user: Any, *, centre_id: int, unit_id: int | None, owner_staff_id: int | None = None
) -> None:
    """Raise NotFound unless the viewer may see it: another unit's or person's private record answers
    exactly like an absent one, in pages and API alike (ORG-1: existence is not leaked).

    Window staff see only records they own (`owner_staff_id`); chief reps their unit; centre roles all.
    """
    units = visible_unit_ids(user, centre_id=centre_id)
    staff = staff_of(user)
    if units is None:
        return
    if role_of(user) == Role.WINDOW_STAFF and owner_staff_id is not None:
        if staff is not None and staff.pk == owner_staff_id:
            return
        raise NotFound("记录不存在")
    if unit_id is not None and unit_id in units:
        return
    raise NotFound("记录不存在")
