"""Reads of the catalogue. Citizens see only published items (CAT-1); reviewers see the changes their role
allows: the centre office all of its centre's, a unit's people their own unit's."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from servicehall.catalog.models import Attachment, CaseType, Item, ItemRevision
from servicehall.catalog.search import normalise_query, search_text
from servicehall.core.errors import Forbidden, NotFound
from servicehall.core.roles import Role, role_of, staff_of, visible_unit_ids
from servicehall.org.models import Centre, Unit


def centres() -> QuerySet[Centre]:
    return Centre.objects.order_by("kind", "code")


def centre_by_code(code: str) -> Centre:
    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise NotFound("服务中心不存在", centre=code)
    return centre


def published_items(
    *, centre_id: int | None, q: str = "", unit_id: int | None = None, case_type: str | None = None
) -> QuerySet[Item]:
    """Published items, searched by name, code, unit, pinyin (initials or full), issued documents and synonyms."""
    items = Item.objects.filter(status=Item.Status.PUBLISHED)
    if centre_id is not None:
        items = items.filter(centre_id=centre_id)
    if unit_id:
        items = items.filter(Q(unit_id=unit_id) | Q(joint_units__pk=unit_id))
    if case_type:
        if case_type not in CaseType.values:
            raise NotFound("办件类型不存在", case_type=case_type)
        items = items.filter(case_type=case_type)
    words = normalise_query(q)
    if words:
        # Names, issued documents, synonyms and pinyin are matched in Python (`catalog.search`): a centre has
        # a few hundred items, and the kiosk matches the very same text in the browser.
        texts = {
            pk: search_text(name=name, content=content)
            for pk, name, content in items.values_list("pk", "name", "content")
        }
        for word in words:
            hits = [pk for pk, text in texts.items() if word in text]
            items = items.filter(
                Q(pk__in=hits)
                | Q(code__icontains=word)
                | Q(unit__name__icontains=word)
                | Q(unit__short_name__icontains=word)
                | Q(category__icontains=word)
            )
    return (
        items.distinct()
        .select_related("unit", "centre")
        .annotate(material_count=Count("materials", distinct=True))
        .order_by("unit_id", "code")
    )


def units_with_items(*, centre_id: int) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(centre_id=centre_id, items__status=Item.Status.PUBLISHED)
        .annotate(item_count=Count("items", distinct=True))
        .order_by("id")
    )


def item_detail(*, centre_id: int | None = None, code: str | None = None, item_id: int | None = None) -> Item:
    """One published item with everything its public page shows; NotFound for drafts and withdrawn items."""
    items = Item.objects.filter(status=Item.Status.PUBLISHED)
    items = items.filter(pk=item_id) if item_id is not None else items.filter(centre_id=centre_id, code=code)  # type: ignore[misc]  # code lookup comes with centre_id
    item = (
        items.select_related("unit", "centre")
        .prefetch_related(
            "materials", "joint_units", Prefetch("attachments", Attachment.objects.order_by("kind"))
        )
        .first()
    )
    if item is None:
        raise NotFound("事项不存在或尚未公开", item=item_id or code)
    return item


def public_attachment(*, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related("item", "item__centre")
        .filter(pk=attachment_id, item__status=Item.Status.PUBLISHED)
        .first()
    )
    if attachment is None or not attachment.file:
        raise NotFound("附件不存在", attachment_id=attachment_id)
    return attachment


def _viewer_centre_id(viewer: Any) -> int | None:
    staff = staff_of(viewer)
    return staff.centre_id if staff is not None else None


def revisions_for_viewer(
    *, viewer: Any, status: str | None = ItemRevision.Status.PENDING
) -> QuerySet[ItemRevision]:
    """Changes the viewer may see: the centre office all of its centre's, a unit's people their unit's."""
    staff = staff_of(viewer)
    revisions = ItemRevision.objects.select_related("item", "unit", "proposed_by", "decided_by")
    if status:
        revisions = revisions.filter(status=status)
    if staff is None:
        if role_of(viewer) == Role.CENTRE_ADMIN:  # superuser without a Staff record
            return revisions
        return revisions.none()
    revisions = revisions.filter(centre_id=staff.centre_id)
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if units is not None:
        revisions = revisions.filter(unit_id__in=units)
    return revisions


def revision_for_viewer(*, viewer: Any, revision_id: int) -> ItemRevision:
    revision = revisions_for_viewer(viewer=viewer, status=None).filter(pk=revision_id).first()
    if revision is None:
        raise NotFound("事项变更申请不存在", revision_id=revision_id)
    return revision


def items_for_proposer(*, viewer: Any) -> QuerySet[Item]:
    """Items a unit's people may propose changes to: their own unit's, in any status."""
    staff = staff_of(viewer)
    if staff is None or staff.role not in {Role.CHIEF_REP, Role.WINDOW_STAFF} or not staff.unit_id:
        raise Forbidden("只有窗口单位的首席代表和窗口工作人员可以提交事项变更")
    return Item.objects.filter(unit_id=staff.unit_id).order_by("code")


def low_stock_attachments(*, viewer: Any) -> QuerySet[Attachment]:
    """CAT-3: guides and sample forms at or below their reprint threshold, in the units the viewer may see."""
    staff = staff_of(viewer)
    attachments = Attachment.objects.select_related("item", "item__unit").filter(
        in_stock__lte=F("low_stock_at"), item__status=Item.Status.PUBLISHED
    )
    if staff is None:
        return attachments if role_of(viewer) == Role.CENTRE_ADMIN else attachments.none()
    attachments = attachments.filter(item__centre_id=staff.centre_id)
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if units is not None:
        attachments = attachments.filter(item__unit_id__in=units)
    return attachments.order_by("in_stock", "item__code")


def stock_for_viewer(*, viewer: Any) -> QuerySet[Attachment]:
    staff = staff_of(viewer)
    if staff is None:
        raise Forbidden("需要工作人员身份")
    attachments = Attachment.objects.select_related("item", "item__unit").filter(
        item__centre_id=staff.centre_id
    )
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if units is not None:
        attachments = attachments.filter(item__unit_id__in=units)
    return attachments.order_by("item__unit_id", "item__code", "position")
