"""Printed ticket (排队小票, Q-1): the ESC/POS stream for thermal printers; the HTML print is a template."""

from __future__ import annotations

from django.utils import timezone

from servicehall.queue.config import queue_policy
from servicehall.queue.escpos import ticket_receipt
from servicehall.queue.models import Ticket


def priority_label(ticket: Ticket) -> str:
    if not ticket.priority:
        return ""
    group = queue_policy(centre_id=ticket.centre_id).group(ticket.priority)
    return group.label if group else ticket.priority


def rest_area_hint(ticket: Ticket) -> str:
    """Q-4: a long expected wait invites the visitor to the rest area."""
    policy = queue_policy(centre_id=ticket.centre_id)
    wait = ticket.estimated_wait_minutes
    if wait is not None and wait >= policy.rest_area_wait_minutes:
        return "等候时间较长，请到休息区休息，留意叫号。"
    return ""


def ticket_escpos(ticket: Ticket) -> bytes:
    wait = ticket.estimated_wait_minutes
    return ticket_receipt(
        centre=ticket.centre.name,
        number=ticket.number,
        line=ticket.line.name,
        items=[i.name for i in ticket.item_list()],
        issued=f"{timezone.localtime(ticket.issued_at):%Y-%m-%d %H:%M}",
        ahead=ticket.people_ahead_at_issue,
        wait_minutes=None if wait is None else int(-(-wait // 1)),
        priority=priority_label(ticket),
        footer=rest_area_hint(ticket),
    )
