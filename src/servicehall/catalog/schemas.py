"""Ninja schemas of the catalogue API. Input schemas refuse unknown keys so a typo is a 422, not ignored."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict


class MaterialIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    form: str = "原件"
    copies: int = 1
    required: bool = True
    note: str = ""


class ChangesIn(Schema):
    """The fields a unit changes (CAT-1 six publics, CAT-2 case type); leave out what stays the same."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = None
    name: str | None = None
    category: str | None = None
    case_type: str | None = None
    joint_unit_ids: list[int] | None = None
    content: str | None = None
    procedure: str | None = None
    legal_basis: str | None = None
    materials: list[MaterialIn] | None = None
    promised_days: int | None = None
    statutory_days: int | None = None
    fees: str | None = None


class RevisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item_id: int | None = None
    unit_id: int | None = None
    changes: ChangesIn
    reason: str = ""


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = ""


class MaterialOut(Schema):
    position: int
    name: str
    form: str
    copies: int
    required: bool
    note: str


class AttachmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    url: str


class UnitRefOut(Schema):
    id: int
    name: str


class ItemOut(Schema):
    id: int
    centre: str
    code: str
    name: str
    pinyin_initials: str
    category: str
    unit: UnitRefOut
    case_type: str
    case_type_label: str
    promised_days: int
    statutory_days: int | None
    fees: str
    url: str


class ItemDetailOut(ItemOut):
    content: str
    procedure: str
    legal_basis: str
    joint_units: list[UnitRefOut]
    materials: list[MaterialOut]
    attachments: list[AttachmentOut]
    guide_pdf_url: str
    published_at: datetime | None


class RevisionOut(Schema):
    id: int
    item_id: int | None
    unit_id: int
    is_new: bool
    status: str
    changes: dict
    before: dict
    reason: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
