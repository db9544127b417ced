"""Ninja schemas of the consultation API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class InquiryIn(Schema):
    channel: str
    question: str
    outcome: str = Field(description="answered | referred | promised")
    item_id: int | None = None
    answer: str = ""
    referred_window_id: int | None = None
    referred_location: str = ""
    promised_by: datetime | None = None
    visitor_name: str = ""
    contact: str = ""
    language_override_reason: str = ""


class InquiryOut(Schema):
    id: int
    channel: str
    question: str
    outcome: str
    promised_by: datetime | None
    replied_at: datetime | None
    overdue: bool
