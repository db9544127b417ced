"""Queue API under /api/queue/: tickets (Q-1, Q-2), calling (Q-1, Q-3, ORG-6), display, appointments, statistics."""

from __future__ import annotations

from datetime import date
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.core.errors import Forbidden, NotFound
from servicehall.core.roles import Role, require_role, visible_unit_ids
from servicehall.core.throttle import check_anonymous_tickets, check_booking_rate
from servicehall.queue import selectors, services
from servicehall.queue.models import Appointment, Ticket
from servicehall.queue.printing import ticket_escpos
from servicehall.queue.schemas import (
    BookingIn,
    BookingOut,
    CallOut,
    CheckInIn,
    FinishIn,
    PauseIn,
    PriorityIn,
    TicketIn,
    TicketOut,
    TransferIn,
    WindowOut,
)

router = Router(tags=["queue 排队叫号"])


def ticket_out(ticket: Ticket, *, live: bool = False) -> TicketOut:
    ahead = ticket.people_ahead_at_issue
    wait = ticket.estimated_wait_minutes
    if live:
        est = selectors.ticket_wait(ticket=ticket)
        ahead, wait = est.ahead, est.minutes
    return TicketOut(
        id=ticket.pk,
        number=ticket.number,
        line_id=ticket.line_id,
        line=ticket.line.name,
        items=[i.name for i in ticket.item_list()],
        status=ticket.status,
        priority=ticket.priority,
        issued_at=ticket.issued_at,
        people_ahead=ahead,
        estimated_wait_minutes=None if wait is None else int(-(-wait // 1)),
        window=ticket.window.number if ticket.window_id else None,  # type: ignore[union-attr]  # a called ticket has its window
        print_url=_ticket_path("queue:ticket", get_script_prefix()).format(ticket.pk),
        escpos_url=_ticket_path("queue:ticket_escpos", get_script_prefix()).format(ticket.pk),
    )


_ID_STAND_IN = 918273645  # an id no real path contains, replaced by `{}` in `_ticket_path`


@cache
def _ticket_path(name: str, script_prefix: str) -> str:
    """The path of a ticket's page `name` with `{}` for its id, reversed once per deployment prefix:
    `reverse` walks the URL resolver on every call, and every ticket the kiosk issues names two paths."""
    return reverse(name, args=[_ID_STAND_IN]).replace(str(_ID_STAND_IN), "{}")


def _centre_id(hall: str | None) -> int | None:
    if not hall:
        return None
    centre = selectors.centre_by_code(hall)
    if centre is None:
        raise NotFound(f"服务大厅 {hall} 不存在", hall=hall)
    return centre.pk


def _ticket(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("line", "window").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"号码 {ticket_id} 不存在", ticket_id=ticket_id)
    return ticket


@router.post("/tickets", response={201: TicketOut}, summary="取号 (Q-1, Q-2)")
def take_ticket(request: HttpRequest, payload: TicketIn):
    check_anonymous_tickets(request)
    ticket = services.issue_ticket(
        item_ids=payload.item_ids,
        line_id=payload.line_id,
        centre_id=_centre_id(payload.hall),
        priority=payload.priority,
        id_number=payload.id_number,
        actor=request.user,
    )
    return Status(201, ticket_out(ticket))


@router.get("/tickets/{ticket_id}", response=TicketOut, summary="号码状态与当前预计等候")
def get_ticket(request: HttpRequest, ticket_id: int):
    return ticket_out(_ticket(ticket_id), live=True)


@router.get("/tickets/{ticket_id}/escpos", summary="热敏打印 ESC/POS 字节 (GB18030)")
def get_ticket_escpos(request: HttpRequest, ticket_id: int):
    return HttpResponse(ticket_escpos(_ticket(ticket_id)), content_type="application/octet-stream")


@router.post(
    "/tickets/{ticket_id}/priority", response=TicketOut, auth=django_auth, summary="确认优先 (Q-2, CASE-11)"
)
def set_priority(request: HttpRequest, ticket_id: int, payload: PriorityIn):
    return ticket_out(services.confirm_priority(ticket_id=ticket_id, group=payload.group, actor=request.user))


@router.post("/windows/{window_id}/call-next", response=CallOut, auth=django_auth, summary="叫号 (Q-1, Q-3)")
def call_next(request: HttpRequest, window_id: int):
    ticket = services.call_next(window_id=window_id, actor=request.user)
    if ticket is None:
        return CallOut(ticket=None, detail="当前没有等候的号码")
    return CallOut(ticket=ticket_out(ticket), detail=f"已呼叫 {ticket.number}")


@router.post("/windows/{window_id}/recall", response=TicketOut, auth=django_auth, summary="重呼")
def recall(request: HttpRequest, window_id: int):
    return ticket_out(services.recall(window_id=window_id, actor=request.user))


@router.post("/windows/{window_id}/skip", response=TicketOut, auth=django_auth, summary="过号")
def skip(request: HttpRequest, window_id: int):
    return ticket_out(services.skip(window_id=window_id, actor=request.user))


@router.post("/windows/{window_id}/transfer", response=TicketOut, auth=django_auth, summary="转移 (ASK-1)")
def transfer(request: HttpRequest, window_id: int, payload: TransferIn):
    ticket = services.transfer(
        window_id=window_id,
        actor=request.user,
        to_line_id=payload.to_line_id,
        to_window_id=payload.to_window_id,
    )
    return ticket_out(ticket)


@router.post("/windows/{window_id}/finish", response=TicketOut, auth=django_auth, summary="办结")
def finish(request: HttpRequest, window_id: int, payload: FinishIn):
    return ticket_out(services.finish(window_id=window_id, actor=request.user, case_id=payload.case_id))


@router.post("/windows/{window_id}/pause", response=WindowOut, auth=django_auth, summary="暂停服务 (ORG-6)")
def pause(request: HttpRequest, window_id: int, payload: PauseIn):
    w = services.pause_window(
        window_id=window_id,
        actor=request.user,
        message=payload.message,
        redirect_window_id=payload.redirect_window_id,
        resume_at=payload.resume_at,
    )
    return WindowOut(id=w.pk, number=w.number, status=w.status, sign=selectors.pause_sign(w))


@router.post("/windows/{window_id}/resume", response=WindowOut, auth=django_auth, summary="恢复服务")
def resume(request: HttpRequest, window_id: int):
    w = services.resume_window(window_id=window_id, actor=request.user)
    return WindowOut(id=w.pk, number=w.number, status=w.status, sign="")


@router.get("/display/{hall}/snapshot", summary="大厅显示屏快照")
def display_snapshot(request: HttpRequest, hall: str):
    centre = selectors.centre_by_code(hall)
    if centre is None:
        raise NotFound(f"服务大厅 {hall} 不存在", hall=hall)
    return selectors.display_snapshot(centre=centre)


@router.get("/lines", summary="各队列等候人数与预计等候 (Q-4)")
def lines(request: HttpRequest, hall: str):
    return selectors.line_overview(centre_id=_centre_id(hall))  # type: ignore[arg-type]  # staff endpoint: the viewer has a centre


@router.get("/appointments/slots", summary="预约时段与余量 (Q-2)")
def slots(request: HttpRequest, line_id: int, day: date):
    from servicehall.queue.models import ServiceLine

    line = ServiceLine.objects.filter(pk=line_id, is_active=True).first()
    if line is None:
        raise NotFound(f"业务队列 {line_id} 不存在")
    return selectors.slot_availability(line=line, day=day)


@router.post("/appointments", response={201: BookingOut}, summary="预约 (Q-2)")
def book(request: HttpRequest, payload: BookingIn):
    check_booking_rate(request)
    appt = services.book_appointment(**payload.dict())
    return Status(201, _booking_out(appt))


def _booking_out(appt: Appointment) -> BookingOut:
    return BookingOut(
        code=appt.code, line=appt.line.name, day=appt.day, slot_start=appt.slot_start, status=appt.status
    )


@router.post("/appointments/check-in", response={201: TicketOut}, summary="预约签到取号 (Q-2)")
def check_in(request: HttpRequest, payload: CheckInIn):
    return Status(201, ticket_out(services.check_in(code=payload.code)))


@router.get("/stats", auth=django_auth, summary="排队统计")
def stats(request: HttpRequest, hall: str, first: date, last: date, group_by: str = "line"):
    require_role(request.user, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.AUDITOR)
    centre_id = _centre_id(hall)
    units = visible_unit_ids(request.user, centre_id=centre_id)  # type: ignore[arg-type]  # staff endpoint: the viewer has a centre
    if units is not None and not units:
        raise Forbidden("无权查看该中心的统计")
    rows = selectors.queue_statistics(
        centre_id=centre_id,  # type: ignore[arg-type]  # staff endpoint: the viewer has a centre
        first=first,
        last=last,
        group_by=group_by,
        today=timezone.localdate(),
        unit_ids=units,
    )
    return [dict(zip(selectors.STAT_HEADERS, r.as_list(), strict=True)) for r in rows]
