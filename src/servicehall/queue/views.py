"""Queue pages: kiosk (取号机), printed ticket, hall display with live stream, window page, appointments, stats."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import time as clock
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.catalog.search import search_text
from servicehall.core import bus
from servicehall.core.charts import Chart, figure
from servicehall.core.errors import DomainError, Forbidden, InputError
from servicehall.core.exports import csv_text, workbook_bytes
from servicehall.core.replica import reads_replica
from servicehall.core.roles import Role, require_role, role_of, visible_unit_ids
from servicehall.core.throttle import check_anonymous_tickets, check_booking_rate
from servicehall.org.models import Centre, Window
from servicehall.queue import selectors, services, visit_services
from servicehall.queue.config import queue_policy
from servicehall.queue.models import QueueEvent, ServiceLine, Ticket
from servicehall.queue.printing import priority_label, rest_area_hint, ticket_escpos

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0
WAIT_SECONDS = 1.0  # a sync stream blocks on its inbox at most this long between heartbeat checks
ASYNC_TICK_SECONDS = 0.2  # an async stream looks at its inbox this often (no query, no thread)
LATE_COMMIT_WINDOW = (
    50  # event ids re-checked behind the newest one: a transaction may commit out of id order
)
STAFF_ROLES = (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.WINDOW_STAFF)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _hall(code: str) -> Centre:
    return get_object_or_404(Centre, code=code)


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "queue/index.html", {"centres": Centre.objects.all()})


# -- kiosk (Q-1, Q-2, ASK-1) ---------------------------------------------------------------------------------


def kiosk(request: HttpRequest, hall: str) -> HttpResponse:
    centre = _hall(hall)
    lines = list(selectors.active_lines(centre_id=centre.pk))
    entries = []
    seen = set()
    for line in lines:
        for item in line.items.all():
            if item.pk in seen or item.status != item.Status.PUBLISHED:
                continue
            seen.add(item.pk)
            entries.append(
                {"item": item, "line": line, "search": search_text(name=item.name, content=item.content)}
            )
    units = sorted({e["item"].unit.short_name or e["item"].unit.name for e in entries})  # type: ignore[attr-defined]  # an Item
    categories = sorted({e["item"].category for e in entries if e["item"].category})  # type: ignore[attr-defined]  # an Item
    overview = {r["id"]: r for r in selectors.line_overview(centre_id=centre.pk)}
    policy = queue_policy(centre_id=centre.pk)
    return render(
        request,
        "queue/kiosk.html",
        {
            "centre": centre,
            "entries": entries,
            "units": units,
            "categories": categories,
            "overview": overview,
            "lines": lines,
            "elderly_age": policy.elderly_min_age,
        },
    )


@require_POST
def kiosk_take(request: HttpRequest, hall: str) -> HttpResponse:
    centre = _hall(hall)
    try:
        item_id = int(request.POST.get("item_id", ""))
    except ValueError:
        messages.error(request, "请选择要办理的事项")
        return redirect("queue:kiosk", hall=hall)
    try:
        check_anonymous_tickets(request)
        ticket = services.issue_ticket(
            item_ids=[item_id], centre_id=centre.pk, id_number=request.POST.get("id_number", "").strip()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("queue:kiosk", hall=hall)
    return redirect("queue:ticket", ticket_id=ticket.pk)


@require_POST
def kiosk_check_in(request: HttpRequest, hall: str) -> HttpResponse:
    centre = _hall(hall)
    try:
        ticket = services.check_in(code=request.POST.get("code", ""), centre_id=centre.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("queue:kiosk", hall=hall)
    return redirect("queue:ticket", ticket_id=ticket.pk)


def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_object_or_404(Ticket.objects.select_related("line", "centre", "window"), pk=ticket_id)
    return render(
        request,
        "queue/ticket.html",
        {
            "ticket": ticket,
            "items": ticket.item_list(),
            "priority_label": priority_label(ticket),
            "rest_hint": rest_area_hint(ticket),
            "policy": queue_policy(centre_id=ticket.centre_id),
            "wait": None
            if ticket.estimated_wait_minutes is None
            else int(-(-ticket.estimated_wait_minutes // 1)),
        },
    )


def ticket_escpos_view(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_object_or_404(Ticket.objects.select_related("line", "centre"), pk=ticket_id)
    response = HttpResponse(ticket_escpos(ticket), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{ticket.number}.bin"'
    return response


# -- hall display (Q-1, Q-4, ORG-6) ---------------------------------------------------------------------------


def display(request: HttpRequest, hall: str) -> HttpResponse:
    centre = _hall(hall)
    notice = queue_policy(centre_id=centre.pk).display_notice
    return render(request, "queue/display.html", {"centre": centre, "hall": hall, "notice": notice})


def display_snapshot(request: HttpRequest, hall: str) -> JsonResponse:
    response = JsonResponse(
        selectors.display_snapshot(centre=_hall(hall)), json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response


def _sse(event: str, data: dict, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class _Tail:
    """Tracks which events a stream has sent; `poll()` is one cheap index range query on (centre, id)."""

    def __init__(self, centre_id: int, last_id: int | None) -> None:
        self.centre_id = centre_id
        self.last_id = selectors.latest_event_id(centre_id=centre_id) if last_id is None else last_id
        # whatever already exists up to last_id was seen by the client (or is covered by its snapshot)
        self.sent: set[int] = set(self._ids_after(self.last_id - LATE_COMMIT_WINDOW, upto=self.last_id))

    def _ids_after(self, floor: int, upto: int | None = None) -> list[int]:
        qs = QueueEvent.objects.filter(centre_id=self.centre_id, id__gt=max(floor, 0))
        if upto is not None:
            qs = qs.filter(id__lte=upto)
        return list(qs.order_by("id").values_list("id", flat=True)[:500])

    def poll(self) -> list[bytes]:
        new = [i for i in self._ids_after(self.last_id - LATE_COMMIT_WINDOW) if i not in self.sent]
        if not new:
            return []
        out = []
        for ev in QueueEvent.objects.filter(pk__in=new).select_related("ticket").order_by("id"):
            out.append(_sse(ev.kind, selectors.event_payload(ev), ev.pk))
            self.sent.add(ev.pk)
        self.last_id = max(self.last_id, *new)
        if len(self.sent) > 2000:
            self.sent = {i for i in self.sent if i > self.last_id - LATE_COMMIT_WINDOW}
        return out


def _parse_last_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last")
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _relay(tail: _Tail, inbox: list[dict[str, Any] | None]) -> list[bytes]:
    """Turn bus messages into SSE frames: a payload goes out as it is (no query); a bare wake-up, or a
    payload this stream cannot place, is looked up in the database."""
    out: list[bytes] = []
    lookup = False
    for message in inbox:
        if message is None or "id" not in message:
            lookup = True
            continue
        event_id = int(message["id"])
        if event_id in tail.sent:
            continue
        tail.sent.add(event_id)
        tail.last_id = max(tail.last_id, event_id)
        out.append(_sse(str(message.get("kind", "")), message, event_id))
    if lookup:
        out.extend(tail.poll())
    return out


def _stream_sync(tail: _Tail, sub: bus.Subscription, seconds: float) -> Iterator[bytes]:
    try:
        backlog = tail.poll()  # what committed between the client's last id and the subscription
        yield b"retry: 1000\n\n"
        yield _sse("hello", {"last_event_id": tail.last_id, "seconds": seconds})
        yield from backlog
        deadline = clock.monotonic() + seconds
        next_beat = clock.monotonic() + HEARTBEAT_SECONDS
        while clock.monotonic() < deadline:
            sub.wait(min(WAIT_SECONDS, max(0.0, deadline - clock.monotonic())))
            yield from _relay(tail, sub.drain())
            if clock.monotonic() >= next_beat:
                yield _sse("heartbeat", {"at": timezone.now().isoformat()})
                next_beat += HEARTBEAT_SECONDS
        yield _sse("bye", {"reconnect": True})
    finally:
        sub.close()


async def _stream_async(tail: _Tail, sub: bus.Subscription, seconds: float) -> AsyncIterator[bytes]:
    relay = sync_to_async(_relay)
    try:
        backlog = await sync_to_async(tail.poll)()
        yield b"retry: 1000\n\n"
        yield _sse("hello", {"last_event_id": tail.last_id, "seconds": seconds})
        for chunk in backlog:
            yield chunk
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        next_beat = loop.time() + HEARTBEAT_SECONDS
        while loop.time() < deadline:
            await asyncio.sleep(ASYNC_TICK_SECONDS)  # the inbox is checked without a thread or a query
            inbox = sub.drain()
            if inbox:
                for chunk in await relay(tail, inbox):
                    yield chunk
            if loop.time() >= next_beat:
                yield _sse("heartbeat", {"at": timezone.now().isoformat()})
                next_beat += HEARTBEAT_SECONDS
        yield _sse("bye", {"reconnect": True})
    finally:
        sub.close()


@functools.cache
def _warn_single_threaded() -> None:
    log.warning(
        "hall display stream served by a single-threaded WSGI worker: a few displays can hold every "
        "worker; run gunicorn -c python:servicehall.ops.gunicorn_conf (gthread) or uvicorn"
    )


def display_stream(request: HttpRequest, hall: str) -> StreamingHttpResponse:
    """Server-Sent Events for the display; ends after `stream_seconds` so clients reconnect (and resync).

    Events are pushed (core.bus): a stream with nothing to say sleeps on its inbox and makes no query.

    Under WSGI (runserver, gunicorn threads) a plain generator streams; under ASGI (uvicorn) an async
    generator does, because Django would buffer a sync iterator completely before sending it.
    """
    if request.META.get("wsgi.multiprocess") and request.META.get("wsgi.multithread") is False:
        _warn_single_threaded()
    centre = _hall(hall)
    seconds = float(queue_policy(centre_id=centre.pk).stream_seconds)
    with contextlib.suppress(ValueError):  # ?seconds= may only shorten the stream (tests, slow proxies)
        seconds = min(seconds, max(1.0, float(request.GET.get("seconds", seconds))))
    # Subscribe before reading the tail, so an event committed in between is not missed.
    sub = bus.subscribe(services.event_channel(centre.pk))
    tail = _Tail(centre.pk, _parse_last_id(request))
    stream = (
        _stream_async(tail, sub, seconds)
        if isinstance(request, ASGIRequest)
        else _stream_sync(tail, sub, seconds)
    )
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


# -- window page (Q-1, Q-3, ORG-6, ASK-1, LANG-2) -------------------------------------------------------------


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    windows = sorted(
        selectors.windows_for(user=request.user).select_related("unit", "centre"), key=_window_order
    )
    return render(request, "queue/window_list.html", {"windows": windows})


def _stat_charts(*, centre_id: int, first: date, last: date, unit_ids: set[int] | None) -> list[Chart]:
    """Trends supervisors asked for: waiting by hour, served per window, tickets per line per day."""
    t = selectors.queue_trends(centre_id=centre_id, first=first, last=last, unit_ids=unit_ids)
    return [
        figure("line", element_id="chart-wait-by-hour", title="各时段平均等候时间", unit="分钟",
               labels=t.hours, series={"平均等候": t.wait_by_hour}),
        figure("bar", element_id="chart-served-by-window", title="各窗口办结量", unit="件",
               labels=t.windows, series={"办结": t.served_by_window}),
        figure("line" if len(t.days) > 1 else "bar", element_id="chart-tickets-by-line", title="各队列每日取号量",
               unit="张", labels=t.days, series=t.tickets_by_line),
    ]  # fmt: skip


def _window_order(w: Window) -> tuple:
    """Natural order of window numbers (窗口号): "2" before "10"; numbers are strings such as "3" or "A3"."""
    return (w.centre_id, [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", w.number)])


def _operable_window(request: HttpRequest, window_id: int) -> Window:
    window = get_object_or_404(Window.objects.select_related("centre", "unit"), pk=window_id)
    try:
        services.ensure_can_operate(request.user, window)
    except Forbidden:
        raise Http404("窗口不存在") from None
    return window


@login_required
def window_page(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _operable_window(request, window_id)
    panel = selectors.window_panel(window=window)
    policy = queue_policy(centre_id=window.centre_id)
    panel["groups"] = policy.priority_groups
    panel["sign"] = selectors.pause_sign(window) if window.status == Window.Status.PAUSED else ""
    panel["hall"] = window.centre.code
    return render(request, "queue/window.html", panel)


def _optional_int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(field, "应为数字") from None


@login_required
@require_POST
def window_action(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    window = _operable_window(request, window_id)
    post = request.POST
    user = request.user
    try:
        if action == "call-next":
            t = services.call_next(window_id=window.pk, actor=user)
            messages.info(request, f"已呼叫 {t.number}" if t else "当前没有等候的号码")
        elif action == "recall":
            t = services.recall(window_id=window.pk, actor=user)
            messages.info(request, f"已重呼 {t.number}")
        elif action == "skip":
            t = services.skip(window_id=window.pk, actor=user)
            back = "已回到队列" if t.status == Ticket.Status.WAITING else "已记为过号"
            messages.info(request, f"{t.number} {back}")
        elif action == "finish":
            t = services.finish(
                window_id=window.pk, actor=user, case_id=_optional_int(post.get("case_id"), "case_id")
            )
            messages.info(request, f"{t.number} 已办结，请邀请办事群众评价")
        elif action == "transfer":
            t = services.transfer(
                window_id=window.pk,
                actor=user,
                to_line_id=_optional_int(post.get("to_line_id"), "to_line_id"),
                to_window_id=_optional_int(post.get("to_window_id"), "to_window_id"),
            )
            messages.info(
                request,
                f"{t.number} 已转至{t.line.name}" + (f"，{t.target_window}" if t.target_window else ""),
            )
        elif action == "pause":
            resume_at = None
            if post.get("resume_at"):
                try:
                    hh, mm = (int(x) for x in post["resume_at"].split(":"))
                    resume_at = timezone.localtime().replace(hour=hh, minute=mm, second=0, microsecond=0)
                except ValueError:
                    raise InputError("resume_at", "时间格式应为 HH:MM") from None
            services.pause_window(
                window_id=window.pk,
                actor=user,
                message=post.get("message", ""),
                redirect_window_id=_optional_int(post.get("redirect_window_id"), "redirect_window_id"),
                resume_at=resume_at,
            )
            messages.info(request, "已暂停服务")
        elif action == "resume":
            services.resume_window(window_id=window.pk, actor=user)
            messages.info(request, "已恢复服务")
        elif action == "priority":
            ticket_id = _optional_int(post.get("ticket_id"), "ticket_id")
            if ticket_id is None:
                raise InputError("ticket_id", "请选择号码")
            t = services.confirm_priority(ticket_id=ticket_id, group=post.get("group", ""), actor=user)
            messages.info(request, f"{t.number} 已设为优先")
        else:
            raise Http404("unknown action")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("queue:window", window_id=window.pk)


# -- appointments (Q-2) ---------------------------------------------------------------------------------------


def appointments(request: HttpRequest, hall: str) -> HttpResponse:
    centre = _hall(hall)
    policy = queue_policy(centre_id=centre.pk)
    lines = list(ServiceLine.objects.filter(centre=centre, is_active=True))
    now = timezone.now()
    today = timezone.localdate(now)
    days = [
        today + timedelta(days=i)
        for i in range(policy.appointment_days_ahead + 1)
        if policy.weekend_appointments or (today + timedelta(days=i)).weekday() < 5
    ]
    # Late in the day nothing of today is left to book: start the list tomorrow.
    if (
        days
        and days[0] == today
        and lines
        and all(s["past"] for s in selectors.slot_availability(line=lines[0], day=today, now=now))
    ):
        days = days[1:]
    booked = None
    line = None
    day = None
    try:
        line_id = _optional_int(request.GET.get("line") or request.POST.get("line_id"), "line")
        line = next((x for x in lines if x.pk == line_id), lines[0] if lines else None)
        day = date.fromisoformat(
            request.GET.get("day") or request.POST.get("day") or (days[0] if days else today).isoformat()
        )
        if request.method == "POST":
            check_booking_rate(request)
            hh, mm = (int(x) for x in request.POST.get("slot_start", "").split(":"))
            from datetime import time as dtime

            # 帮办代办 is a kind of appointment booked through its own service (visit_services).
            book = (
                visit_services.book_assisted_service
                if request.POST.get("assisted")
                else services.book_appointment
            )
            booked = book(
                line_id=line.pk if line else 0,
                day=day,
                slot_start=dtime(hh, mm),
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, "请选择预约时段")
    slots = selectors.slot_availability(line=line, day=day, now=now) if line and day else []
    # A refused choice keeps what the visitor typed; a booking clears it.
    entered = (
        {"name": "", "phone": ""}
        if booked or request.method != "POST"
        else {
            "name": request.POST.get("name", "")[:40],
            "phone": request.POST.get("phone", "")[:20],
        }
    )
    return render(
        request,
        "queue/appointments.html",
        {
            "centre": centre,
            "lines": lines,
            "line": line,
            "day": day,
            "days": days,
            "slots": slots,
            "booked": booked,
            "policy": policy,
            "entered": entered,
            "visits": visit_services.visits_policy(centre.pk)[0],
        },
    )


# -- statistics --------------------------------------------------------------------------------------------------


_GROUP_KEY_LABELS = {"line": "队列", "window": "窗口", "staff": "工号", "day": "日期"}


@login_required
@reads_replica
def stats(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.AUDITOR)
    staff = getattr(request.user, "staff", None) if role_of(request.user) else None
    centres = Centre.objects.all() if staff is None else Centre.objects.filter(pk=staff.centre_id)
    centre = centres.filter(code=request.GET.get("hall", "")).first() or centres.first()
    today = timezone.localdate()
    try:
        first = date.fromisoformat(request.GET.get("first") or (today - timedelta(days=6)).isoformat())
        last = date.fromisoformat(request.GET.get("last") or today.isoformat())
    except ValueError:
        first, last = today - timedelta(days=6), today
        messages.error(request, "日期格式应为 YYYY-MM-DD")
    group_by = request.GET.get("group_by", "line")
    if group_by not in selectors.GROUPINGS:
        group_by = "line"
    rows = []
    units = visible_unit_ids(request.user, centre_id=centre.pk) if centre is not None else None
    if centre is not None:
        rows = selectors.queue_statistics(
            centre_id=centre.pk, first=first, last=last, group_by=group_by, today=today, unit_ids=units
        )
    fmt = request.GET.get("format")
    name = f"queue-{group_by}-{first}-{last}"
    # The first column holds the grouping key: label it in Chinese on the page (exports and API keep "key").
    headers = [_GROUP_KEY_LABELS.get(group_by, "分组"), *selectors.STAT_HEADERS[1:]]
    if fmt == "csv":
        text = csv_text([selectors.STAT_HEADERS, *(r.as_list() for r in rows)])
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = cast("Worksheet", wb.active)  # a new workbook always has its first sheet
        ws.title = "排队统计"
        ws.append(selectors.STAT_HEADERS)
        for r in rows:
            ws.append(r.as_list())
        response = HttpResponse(
            workbook_bytes(wb),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return render(
        request,
        "queue/stats.html",
        {
            "charts": _stat_charts(centre_id=centre.pk, first=first, last=last, unit_ids=units)
            if centre is not None and fmt is None
            else [],
            "rows": rows,
            "headers": headers,
            "centre": centre,
            "centres": centres,
            "first": first,
            "last": last,
            "group_by": group_by,
            "groupings": list(selectors.GROUPINGS),
            "now": timezone.localtime(),
        },
    )
