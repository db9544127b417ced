"""Organisation API (/api/org/): the public window board and the staff-only directory and window controls.

Public: `GET centres/{code}/windows` (ORG-4 badges, ORG-6 pause signs). Everything else needs a session
login; a record outside the viewer's scope reads as 404 and a write outside it is refused with 403.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.org import selectors, services
from servicehall.org.models import Post, Staff, Unit, Window
from servicehall.org.schemas import (
    BadgeOut,
    PauseIn,
    PostIn,
    PostOut,
    PublicBoardOut,
    PublicWindowOut,
    RedirectOut,
    StaffOut,
    UnitOut,
    WindowStateOut,
)

router = Router(tags=["org 组织"])


@router.get("/centres/{code}/windows", response=PublicBoardOut, auth=None)
def public_windows(request: HttpRequest, code: str):
    """Windows of a centre as the hall shows them: badge (挂牌 ORG-4) and pause sign (ORG-6). No login."""
    board = selectors.window_board(centre_code=code)
    return PublicBoardOut(
        centre_code=board.centre.code,
        centre_name=board.centre.name,
        complaint_phone=board.centre.complaint_phone,
        windows=[_public_window(bw.window, bw.badges) for bw in board.windows],
    )


@router.get("/units", response=list[UnitOut], auth=django_auth)
def list_units(request: HttpRequest, centre_id: int | None = None):
    return [_unit_out(u) for u in selectors.units_for(viewer=request.user, centre_id=centre_id)]


@router.get("/staff", response=list[StaffOut], auth=django_auth)
def list_staff(request: HttpRequest, centre_id: int | None = None):
    return [_staff_out(s, request) for s in selectors.staff_list(viewer=request.user, centre_id=centre_id)]


@router.get("/staff/{staff_id}", response=StaffOut, auth=django_auth)
def get_staff(request: HttpRequest, staff_id: int):
    return _staff_out(selectors.staff_detail(viewer=request.user, staff_id=staff_id), request)


@router.post("/windows/{window_id}/pause", response=WindowStateOut, auth=django_auth)
def pause(request: HttpRequest, window_id: int, payload: PauseIn):
    """ORG-6: pause a window; give `redirect_window_id` (an open window of the same centre) or `resume_at`."""
    window = services.pause_window(
        window_id=window_id,
        actor=request.user,
        message=payload.message,
        redirect_window_id=payload.redirect_window_id,
        resume_at=payload.resume_at,
    )
    return _window_state(window)


@router.post("/windows/{window_id}/resume", response=WindowStateOut, auth=django_auth)
def resume(request: HttpRequest, window_id: int):
    return _window_state(services.resume_window(window_id=window_id, actor=request.user))


@router.post("/posts", response={201: PostOut}, auth=django_auth)
def create_post(request: HttpRequest, payload: PostIn):
    """ORG-3: an A/B post; A and B must be two different people of the post's unit."""
    post = services.create_post(actor=request.user, **payload.dict())
    return Status(201, _post_out(post))


def _public_window(window: Window, badges: list) -> PublicWindowOut:
    redirect = window.redirect_window
    return PublicWindowOut(
        id=window.pk,
        number=window.number,
        name=window.name,
        unit=str(window.unit),
        business_scope=window.business_scope,
        floor=window.floor,
        location=window.location,
        status=window.status,
        status_label=window.get_status_display(),
        paused_message=window.paused_message if window.is_paused else "",
        redirect=RedirectOut(
            number=redirect.number, name=redirect.name, floor=redirect.floor, location=redirect.location
        )
        if redirect is not None and window.is_paused
        else None,
        resume_at=window.resume_at if window.is_paused else None,
        badges=[BadgeOut(name=b.name, title=b.title, post=b.post) for b in badges],
    )


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=unit.pk,
        name=unit.name,
        short_name=unit.short_name,
        phone=unit.phone,
        chief_rep_id=unit.chief_rep_id,
        chief_rep_name=unit.chief_rep.name if unit.chief_rep else "",
    )


def _staff_out(person: Staff, request: HttpRequest) -> StaffOut:
    return StaffOut(
        id=person.pk,
        name=person.name,
        staff_no=person.staff_no,
        badge_no=person.badge_no,
        title=person.title,
        post_title=person.post_title,
        phone=selectors.staff_phone(viewer=request.user, person=person),
        role=person.role,
        unit_id=person.unit_id,
        unit=str(person.unit) if person.unit else "",
        window_ids=[w.pk for w in person.windows.all()],
        posted_from=person.posted_from,
        posted_until=person.posted_until,
        posting_note=person.posting_note,
        is_active=person.is_active,
    )


def _window_state(window: Window) -> WindowStateOut:
    return WindowStateOut(
        id=window.pk,
        number=window.number,
        status=window.status,
        paused_message=window.paused_message,
        redirect_window_id=window.redirect_window_id,
        resume_at=window.resume_at,
    )


def _post_out(post: Post) -> PostOut:
    return PostOut(
        id=post.pk,
        name=post.name,
        unit_id=post.unit_id,
        window_id=post.window_id,
        a_holder_id=post.a_holder_id,
        b_holder_id=post.b_holder_id,
    )
