"""Who may change what in the organisation (ORG-1, accounts and roles).

Writes are refused with Forbidden (HTTP 403); reads go through the selectors, which hide what the viewer
may not see (HTTP 404). `actor=None` means the system itself (command line, demo loader, migrations):
it is trusted, and its audit entries carry no user.
"""

from __future__ import annotations

from typing import Any

from servicehall.core import access
from servicehall.core.errors import Forbidden
from servicehall.core.roles import role_of, staff_of


def is_installation_admin(actor: Any) -> bool:
    """A superuser without a Staff record administers every centre of the installation (ORG-1)."""
    return actor is None or (getattr(actor, "is_superuser", False) and staff_of(actor) is None)


def is_centre_admin_of(actor: Any, *, centre_id: int) -> bool:
    """The centre's own office, or another centre's office this centre granted management (ORG-1)."""
    return access.allows(actor, "org", "manage", access.Target.of(centre_id=centre_id))


def ensure_installation_admin(actor: Any) -> None:
    if not is_installation_admin(actor):
        raise Forbidden("只有系统管理员可以新建服务中心", role=role_of(actor) or "anonymous")


def ensure_centre_admin(actor: Any, *, centre_id: int) -> None:
    """Centre reference data (units, windows, staff) is kept by the centre's management office."""
    if not is_centre_admin_of(actor, centre_id=centre_id):
        raise Forbidden("只有本中心管理办公室可以进行此操作", role=role_of(actor) or "anonymous")


def can_manage_unit(actor: Any, *, centre_id: int, unit_id: int | None) -> bool:
    """Centre admin, or that unit's chief representative (首席代表 manages its window staff, ORG-1)."""
    return access.allows(
        actor, "org", "manage_unit_staff", access.Target.of(centre_id=centre_id, unit_ids=[unit_id])
    )


def ensure_can_manage_unit(actor: Any, *, centre_id: int, unit_id: int | None) -> None:
    if not can_manage_unit(actor, centre_id=centre_id, unit_id=unit_id):
        raise Forbidden(
            "只有本中心管理办公室或本单位首席代表可以进行此操作", role=role_of(actor) or "anonymous"
        )


def can_pause_window(actor: Any, *, window: Any) -> bool:
    """ORG-6: the window's own staff, its unit's chief representative, or the centre admin may pause it."""
    target = access.Target.of(centre_id=window.centre_id, unit_ids=[window.unit_id], window_ids=[window.pk])
    return access.allows(actor, "org", "pause_window", target)


def ensure_can_pause_window(actor: Any, *, window: Any) -> None:
    if not can_pause_window(actor, window=window):
        raise Forbidden("无权变更该窗口的服务状态", role=role_of(actor) or "anonymous", window_id=window.pk)
