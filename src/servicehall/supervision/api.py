"""/api/supervision/: cards visible to the caller and their workflow (SUP-1)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.security import django_auth

from servicehall.core.errors import Forbidden
from servicehall.core.roles import staff_of
from servicehall.supervision import selectors, services
from servicehall.supervision.models import Card
from servicehall.supervision.schemas import CardOut, DecisionIn, TextIn

router = Router(tags=["supervision 电子监察"])


def _viewer(request: HttpRequest):
    staff = staff_of(request.user)
    if staff is None:
        raise Forbidden("需要工作人员账号")
    return staff


def _out(card: Card) -> dict:
    return {
        "id": card.pk,
        "case_number": card.case.number,
        "colour": card.colour,
        "trigger": card.trigger,
        "rule_id": card.rule_id,
        "policy_ref": card.policy_ref,
        "unit": str(card.unit),
        "window": str(card.window) if card.window else None,
        "responsible": card.responsible.name if card.responsible else None,
        "due_date": card.due_date,
        "due_at": card.due_at,
        "raised_at": card.raised_at,
        "status": card.status,
        "reply_due_on": card.reply_due_on,
        "provisional": card.provisional,
        "evidence": card.evidence,
    }


@router.get("/cards", response=list[CardOut], auth=django_auth, summary="监察牌 (SUP-1), newest first")
def cards(request: HttpRequest, status: str = "", limit: int = 200):
    qs = selectors.cards_visible_to(viewer=_viewer(request))
    if status:
        qs = qs.filter(status=status)
    return [_out(c) for c in qs[: max(1, min(limit, 1000))]]


@router.get("/cards/{card_id}", response=CardOut, auth=django_auth, summary="one card with its evidence")
def card(request: HttpRequest, card_id: int):
    return _out(selectors.get_card(viewer=_viewer(request), card_id=card_id))


@router.post("/cards/{card_id}/reply", response=CardOut, auth=django_auth, summary="written reply (SUP-1)")
def reply(request: HttpRequest, card_id: int, payload: TextIn):
    viewer = _viewer(request)
    selectors.get_card(viewer=viewer, card_id=card_id)
    services.reply_to_card(card_id=card_id, actor=viewer, text=payload.text)
    return _out(selectors.get_card(viewer=viewer, card_id=card_id))


@router.post("/cards/{card_id}/appeal", response=CardOut, auth=django_auth, summary="appeal (SUP-1)")
def appeal(request: HttpRequest, card_id: int, payload: TextIn):
    viewer = _viewer(request)
    selectors.get_card(viewer=viewer, card_id=card_id)
    services.appeal_card(card_id=card_id, actor=viewer, reason=payload.text)
    return _out(selectors.get_card(viewer=viewer, card_id=card_id))


@router.post(
    "/cards/{card_id}/decision", response=CardOut, auth=django_auth, summary="uphold or withdraw (SUP-1)"
)
def decide(request: HttpRequest, card_id: int, payload: DecisionIn):
    viewer = _viewer(request)
    selectors.get_card(viewer=viewer, card_id=card_id)
    services.decide_card(card_id=card_id, actor=viewer, uphold=payload.uphold, note=payload.note)
    return _out(selectors.get_card(viewer=viewer, card_id=card_id))
