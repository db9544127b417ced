"""Catalogue API (/api/catalog/). Public: published items only (CAT-1). Staff: units propose changes,
the centre office approves or rejects them. Malformed payloads are 422 naming the field; broken rules
cite CAT-1/CAT-2."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.catalog import selectors, services
from servicehall.catalog.models import Item, ItemRevision
from servicehall.catalog.schemas import (
    AttachmentOut,
    DecisionIn,
    ItemDetailOut,
    ItemOut,
    MaterialOut,
    RevisionIn,
    RevisionOut,
    UnitRefOut,
)
from servicehall.core.errors import Forbidden
from servicehall.core.roles import staff_of

router = Router(tags=["catalog 事项目录"])


def _item_out(item: Item) -> dict:
    return {
        "id": item.pk,
        "centre": item.centre.code,
        "code": item.code,
        "name": item.name,
        "pinyin_initials": item.pinyin_initials,
        "category": item.category,
        "unit": UnitRefOut(id=item.unit_id, name=item.unit.name),
        "case_type": item.case_type,
        "case_type_label": item.get_case_type_display(),
        "promised_days": item.promised_days,
        "statutory_days": item.statutory_days,
        "fees": item.fees,
        "url": reverse("catalog:item_detail", args=[item.centre.code, item.code]),
    }


def _revision_out(revision: ItemRevision) -> RevisionOut:
    return RevisionOut(
        id=revision.pk,
        item_id=revision.item_id,
        unit_id=revision.unit_id,
        is_new=revision.is_new,
        status=revision.status,
        changes=revision.changes,
        before=revision.before,
        reason=revision.reason,
        proposed_by=revision.proposed_by.name,
        proposed_at=revision.proposed_at,
        decided_by=revision.decided_by.name if revision.decided_by_id else None,  # type: ignore[union-attr]  # staff-only endpoint
        decided_at=revision.decided_at,
        decision_note=revision.decision_note,
    )


def _staff(request: HttpRequest):
    staff = staff_of(request.user)
    if staff is None:
        raise Forbidden("需要工作人员身份")
    return staff


@router.get("/items", response=list[ItemOut], auth=None)
def list_items(
    request: HttpRequest,
    centre: str | None = None,
    q: str = "",
    unit: int | None = None,
    case_type: str | None = None,
    limit: int = 200,
):
    """Published items; `q` matches name, code, unit or pinyin initials (`yyzz` → 营业执照). No login."""
    centre_id = selectors.centre_by_code(centre).pk if centre else None
    items = selectors.published_items(centre_id=centre_id, q=q, unit_id=unit, case_type=case_type)
    return [_item_out(i) for i in items[: max(1, min(limit, 1000))]]


@router.get("/items/{item_id}", response=ItemDetailOut, auth=None)
def get_item(request: HttpRequest, item_id: int):
    """One published item with the six publics (六公开) and its attachments; 404 if not published."""
    item = selectors.item_detail(item_id=item_id)
    return {
        **_item_out(item),
        "content": item.content,
        "procedure": item.procedure,
        "legal_basis": item.legal_basis,
        "published_at": item.published_at,
        "joint_units": [UnitRefOut(id=u.pk, name=u.name) for u in item.joint_units.all()],
        "materials": [
            MaterialOut(
                position=m.position,
                name=m.name,
                form=m.form,
                copies=m.copies,
                required=m.required,
                note=m.note,
            )
            for m in item.materials.all()
        ],
        "attachments": [
            AttachmentOut(
                id=a.pk,
                kind=a.kind,
                kind_label=a.get_kind_display(),
                title=a.title,
                url=reverse("catalog:attachment", args=[a.pk]),
            )
            for a in item.attachments.all()
            if a.file
        ],
        "guide_pdf_url": reverse("catalog:guide_pdf", args=[item.centre.code, item.code]),
    }


@router.get("/revisions", response=list[RevisionOut], auth=django_auth)
def list_revisions(request: HttpRequest, status: str | None = "pending"):
    """Changes the viewer may see: the centre office all, a unit its own (CAT-1)."""
    return [
        _revision_out(r) for r in selectors.revisions_for_viewer(viewer=request.user, status=status or None)
    ]


@router.post("/revisions", response={201: RevisionOut}, auth=django_auth)
def propose(request: HttpRequest, payload: RevisionIn):
    """A unit proposes a change (`item_id`) or a new item (no `item_id`); public after approval (CAT-1)."""
    staff = _staff(request)
    revision = services.propose_item_change(
        item_id=payload.item_id,
        unit_id=payload.unit_id if payload.unit_id is not None else staff.unit_id,
        proposer=staff,
        changes=payload.changes.model_dump(exclude_unset=True),
        reason=payload.reason,
    )
    return Status(201, _revision_out(revision))


@router.post("/revisions/{revision_id}/approve", response=RevisionOut, auth=django_auth)
def approve(request: HttpRequest, revision_id: int, payload: DecisionIn | None = None):
    """Centre office only: apply and publish the change (CAT-1)."""
    revision = services.approve_item_revision(
        revision_id=revision_id, approver=_staff(request), note=payload.note if payload else ""
    )
    return _revision_out(revision)


@router.post("/revisions/{revision_id}/reject", response=RevisionOut, auth=django_auth)
def reject(request: HttpRequest, revision_id: int, payload: DecisionIn):
    """Centre office only: send the change back with a reason; the public item is unchanged."""
    revision = services.reject_item_revision(
        revision_id=revision_id, approver=_staff(request), note=payload.note
    )
    return _revision_out(revision)
