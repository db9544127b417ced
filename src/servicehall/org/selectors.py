"""Reads of the organisation, scoped to the viewer (ORG-1, accounts and roles).

Centre admin, supervisor and auditor see their whole centre; a chief representative (首席代表) sees
their own unit; window staff see their own record. Nobody sees another centre's people. A record the
viewer may not see is reported as NotFound, so its existence does not leak. The public window board
(ORG-4, ORG-6) needs no viewer and carries no private staff data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Length

from servicehall.core.errors import Forbidden, InputError, NotFound
from servicehall.core.masking import mask_phone
from servicehall.core.roles import Role, ensure_can_see, role_of, staff_of, visible_unit_ids
from servicehall.org.models import Centre, Post, Staff, Unit, Window


def viewer_centre_id(viewer: Any, centre_id: int | None = None) -> int:
    """The centre a viewer works in; an installation admin (no Staff record) must name one."""
    staff = staff_of(viewer)
    if centre_id is not None:
        return centre_id
    if staff is not None:
        return staff.centre_id
    raise InputError("centre_id", "请指定服务中心")


def centre_by_code(*, code: str) -> Centre:
    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise NotFound(f"服务中心 {code} 不存在", code=code)
    return centre


def public_centres() -> QuerySet[Centre]:
    return Centre.objects.select_related("parent").order_by("code")


def units_for(*, viewer: Any, centre_id: int | None = None) -> QuerySet[Unit]:
    """Units whose private data the viewer may see in their centre."""
    centre_id = viewer_centre_id(viewer, centre_id)
    units = Unit.objects.filter(centre_id=centre_id).select_related("chief_rep", "centre").order_by("id")
    visible = visible_unit_ids(viewer, centre_id=centre_id)
    return units if visible is None else units.filter(pk__in=visible)


def windows_for(*, viewer: Any, centre_id: int | None = None) -> QuerySet[Window]:
    """Windows of the units the viewer may see (with their redirect window for the pause panel)."""
    centre_id = viewer_centre_id(viewer, centre_id)
    windows = (
        Window.objects.filter(centre_id=centre_id)
        .select_related("unit", "redirect_window")
        .order_by(Length("number"), "number")
    )
    visible = visible_unit_ids(viewer, centre_id=centre_id)
    return windows if visible is None else windows.filter(unit_id__in=visible)


def window_for_write(*, window_id: int) -> Window:
    window = Window.objects.select_related("unit", "centre", "redirect_window").filter(pk=window_id).first()
    if window is None:
        raise NotFound("窗口不存在", id=window_id)
    return window


def staff_list(*, viewer: Any, centre_id: int | None = None) -> QuerySet[Staff]:
    """Staff of the viewer's centre whose private data (phone, staff_no, badge_no) the viewer may see."""
    centre_id = viewer_centre_id(viewer, centre_id)
    people = (
        Staff.objects.filter(centre_id=centre_id)
        .select_related("unit", "centre", "user")
        .prefetch_related("windows")
        .order_by("unit_id", "staff_no")
    )
    visible = visible_unit_ids(viewer, centre_id=centre_id)
    if visible is None:
        return people
    if role_of(viewer) == Role.WINDOW_STAFF:
        me = staff_of(viewer)
        return people.filter(pk=me.pk) if me is not None and me.centre_id == centre_id else people.none()
    return people.filter(unit_id__in=visible)


# Roles that read staff records to check them, not to reach the person: phones shown masked (INT-2).
PHONE_MASKED_ROLES = frozenset({Role.AUDITOR})


def staff_phone(*, viewer: Any, person: Staff) -> str:
    """The person's phone as this viewer may see it: in full for the centre office, the unit's chief
    representative and the person; masked (`138****5678`) for the auditor, who has no need to call them."""
    me = staff_of(viewer)
    if role_of(viewer) in PHONE_MASKED_ROLES and (me is None or me.pk != person.pk):
        return mask_phone(person.phone)
    return person.phone


def staff_detail(*, viewer: Any, staff_id: int) -> Staff:
    """One person's full record; NotFound when it does not exist or the viewer may not see it."""
    person = (
        Staff.objects.select_related("unit", "centre", "user")
        .prefetch_related("windows")
        .filter(pk=staff_id)
        .first()
    )
    if person is None:
        raise NotFound("工作人员不存在", id=staff_id)
    try:
        ensure_can_see(viewer, centre_id=person.centre_id, unit_id=person.unit_id, owner_staff_id=person.pk)
    except (Forbidden, NotFound):
        raise NotFound("工作人员不存在", id=staff_id) from None
    return person


def posts_for(*, viewer: Any, centre_id: int | None = None) -> QuerySet[Post]:
    centre_id = viewer_centre_id(viewer, centre_id)
    posts = Post.objects.filter(centre_id=centre_id).select_related("unit", "window", "a_holder", "b_holder")
    visible = visible_unit_ids(viewer, centre_id=centre_id)
    return posts if visible is None else posts.filter(unit_id__in=visible)


def ab_partners(*, staff_id: int) -> list[Staff]:
    """ORG-3: who holds the other role of any post `staff_id` holds (for "never both away" checks)."""
    posts = Post.objects.filter(Q(a_holder_id=staff_id) | Q(b_holder_id=staff_id)).select_related(
        "a_holder", "b_holder"
    )
    partners: dict[int, Staff] = {}
    for post in posts:
        other = post.b_holder if post.a_holder_id == staff_id else post.a_holder
        partners[other.pk] = other
    return list(partners.values())


# --- public window board (挂牌上岗 ORG-4, 暂停服务 ORG-6) ----------------------------------------


@dataclass(frozen=True)
class Badge:
    """What a window shows of a person (ORG-4): name, title, post. Never phone, staff_no or badge_no."""

    name: str
    title: str
    post: str
    photo_url: str = ""


@dataclass(frozen=True)
class BoardWindow:
    window: Window
    badges: list[Badge] = field(default_factory=list)

    @property
    def paused(self) -> bool:
        return self.window.status == Window.Status.PAUSED


@dataclass(frozen=True)
class Board:
    centre: Centre
    windows: list[BoardWindow]

    @property
    def paused_count(self) -> int:
        return sum(1 for w in self.windows if w.paused)


def window_board(*, centre_code: str) -> Board:
    """Every window of a centre with its badges and, when paused, its message and redirect (public)."""
    centre = centre_by_code(code=centre_code)
    active_staff = Staff.objects.filter(is_active=True).order_by("role", "staff_no")
    windows = (
        Window.objects.filter(centre=centre)
        .select_related("unit", "redirect_window")
        .prefetch_related(Prefetch("staff", queryset=active_staff, to_attr="active_staff"))
        .order_by("number")
    )
    post_names: dict[int, list[str]] = {}
    for post in Post.objects.filter(centre=centre).only("name", "a_holder_id", "b_holder_id"):
        post_names.setdefault(post.a_holder_id, []).append(f"{post.name}(A角)")
        post_names.setdefault(post.b_holder_id, []).append(f"{post.name}(B角)")
    board = []
    for window in _natural_order(windows):
        badges = [
            Badge(
                name=person.name,
                title=person.title,
                post=person.post_title or "、".join(post_names.get(person.pk, [])),
                photo_url=person.photo.url if person.photo else "",
            )
            for person in window.active_staff  # type: ignore[attr-defined]  # Prefetch(to_attr=...) above
        ]
        board.append(BoardWindow(window=window, badges=badges))
    return Board(centre=centre, windows=board)


def _natural_order(windows: QuerySet[Window]) -> list[Window]:
    """Window 2 before window 10: numbers are text, so sort numeric ones by value."""

    def key(w: Window) -> tuple[int, int, str]:
        return (0, int(w.number), "") if w.number.isdigit() else (1, 0, w.number)

    return sorted(windows, key=key)
