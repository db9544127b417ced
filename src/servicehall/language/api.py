"""JSON API of the service-language domain: check a reply (LANG-4) for any client, e.g. a chat window."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.security import django_auth

from servicehall.language.matcher import check_reply
from servicehall.language.selectors import policy_for

router = Router(tags=["language"])


class CheckIn(Schema):
    text: str


class FindingOut(Schema):
    rule: str
    phrase: str
    matched: str
    start: int
    end: int
    suggestion: str
    phrase_id: str


class CheckOut(Schema):
    findings: list[FindingOut]


@router.post("/check", response=CheckOut, auth=django_auth)
def check(request, payload: CheckIn) -> dict:
    """Forbidden phrases in one staff reply, with offsets (characters) and polite rewrites (LANG-4)."""
    return {"findings": [f.as_dict() for f in check_reply(payload.text[:20_000], policy_for(request.user))]}
