"""Writes to the catalogue (事项目录): units propose, the centre approves and publishes (CAT-1), stock of
guides and sample forms is counted (CAT-3). Every write is atomic and audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.catalog.errors import (
    BadChangePayload,
    InvalidItemChange,
    PendingRevisionExists,
    RevisionAlreadyDecided,
)
from servicehall.catalog.models import Attachment, Item, ItemRevision, Material
from servicehall.catalog.rules import FIELDS, changed_fields, check_item, merge, normalize_change
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, NotFound
from servicehall.core.roles import Role
from servicehall.org.models import Staff, Unit

PROPOSER_ROLES = frozenset({Role.CHIEF_REP, Role.WINDOW_STAFF})
NEW_ITEM_DEFAULTS: dict[str, Any] = {
    "category": "",
    "joint_unit_ids": [],
    "statutory_days": None,
    "fees": "不收费",
}
SIMPLE_FIELDS = tuple(f for f in FIELDS if f not in {"materials", "joint_unit_ids"})


def item_state(item: Item) -> dict[str, Any]:
    """The item's current published content as a plain dict (the shape `catalog.rules` checks)."""
    state: dict[str, Any] = {field: getattr(item, field) for field in SIMPLE_FIELDS}
    state["joint_unit_ids"] = sorted(item.joint_units.values_list("pk", flat=True)) if item.pk else []
    state["materials"] = (
        [
            {"name": m.name, "form": m.form, "copies": m.copies, "required": m.required, "note": m.note}
            for m in item.materials.order_by("position", "pk")
        ]
        if item.pk
        else []
    )
    return state


def _require_centre_admin(actor: Staff, *, centre_id: int, what: str) -> None:
    if actor.role != Role.CENTRE_ADMIN or actor.centre_id != centre_id:
        raise Forbidden(f"CAT-1: 只有本中心管理办公室可以{what}", role=actor.role)


def _check_references(state: dict[str, Any], *, centre_id: int, item_pk: int | None) -> None:
    joint = state.get("joint_unit_ids") or []
    found = set(Unit.objects.filter(centre_id=centre_id, pk__in=joint).values_list("pk", flat=True))
    missing = [pk for pk in joint if pk not in found]
    if missing:
        raise InvalidItemChange("CAT-2", "joint_unit_ids", f"联办单位 {missing[0]} 不是本中心的窗口单位")
    taken = Item.objects.filter(centre_id=centre_id, code=state["code"]).exclude(pk=item_pk)  # type: ignore[misc]  # a new item has no pk yet: exclude(pk=None) excludes nothing
    if taken.exists():
        raise InvalidItemChange("CAT-1", "code", f"事项编码 {state['code']} 已被本中心其他事项使用")


@transaction.atomic
def propose_item_change(
    *, item_id: int | None, unit_id: int, proposer: Staff, changes: dict[str, Any], reason: str = ""
) -> ItemRevision:
    """A unit proposes a change to one of its items, or a new item (`item_id=None`). Nothing is public
    until the centre approves it (CAT-1). One pending change per item at a time."""
    if proposer.role not in PROPOSER_ROLES:
        raise Forbidden(
            "CAT-1: 事项变更由窗口单位的首席代表或窗口工作人员提交，由中心审核", role=proposer.role
        )
    if proposer.unit_id != unit_id:
        raise Forbidden("CAT-1: 只能为本单位的事项提交变更", unit_id=unit_id)
    unit = Unit.objects.filter(pk=unit_id, centre_id=proposer.centre_id).first()
    if unit is None:
        raise NotFound("窗口单位不存在", unit_id=unit_id)
    change = normalize_change(changes)
    if item_id is not None:
        item = Item.objects.select_for_update().filter(pk=item_id, centre_id=unit.centre_id).first()
        if item is None:
            raise NotFound("事项不存在", item_id=item_id)
        if item.unit_id != unit_id:
            raise Forbidden("CAT-1: 只能修改本单位主办的事项", item_id=item_id)
        pending = item.revisions.filter(status=ItemRevision.Status.PENDING).first()
        if pending is not None:
            raise PendingRevisionExists(item_id=item.pk, revision_id=pending.pk)
        before = item_state(item)
        change = {k: v for k, v in change.items() if before.get(k) != v}
        if not change:
            raise BadChangePayload("changes", "与现行内容相比没有任何修改")
        merged = merge(before, change)
    else:
        item = None
        before = {}
        if "case_type" not in change:
            raise InvalidItemChange("CAT-2", "case_type", "新增事项须确定办件类型（即办/承诺/联办/上报）")
        merged = merge(NEW_ITEM_DEFAULTS, change)
        change = merged  # a new item's revision carries its whole content
    check_item(merged, lead_unit_id=unit.pk)
    _check_references(merged, centre_id=unit.centre_id, item_pk=item.pk if item else None)
    revision = ItemRevision.objects.create(
        centre_id=unit.centre_id,
        item=item,
        unit=unit,
        is_new=item is None,
        changes=change,
        before=before,
        proposed_by=proposer,
        reason=reason.strip(),
    )
    record_audit(
        actor=proposer,
        verb="catalog.revision.propose",
        target=revision,
        reason=reason,
        data={"item_id": item.pk if item else None, "fields": sorted(change)},
    )
    return revision


def _apply(item: Item, state: dict[str, Any], fields: list[str]) -> None:
    for field in SIMPLE_FIELDS:
        setattr(item, field, state[field])
    item.status = Item.Status.PUBLISHED
    item.published_at = timezone.now()
    item.save()
    if "joint_unit_ids" in fields:
        item.joint_units.set(state["joint_unit_ids"])
    if "materials" in fields:
        item.materials.all().delete()
        Material.objects.bulk_create(
            Material(item=item, position=i, **material)
            for i, material in enumerate(state["materials"], start=1)
        )


def _revision_to_decide(*, revision_id: int, approver: Staff) -> ItemRevision:
    """Lock a revision for the centre's decision: it must exist, be in the approver's centre and still be pending."""
    revision = ItemRevision.objects.select_for_update().filter(pk=revision_id).first()
    if revision is None:
        raise NotFound("事项变更申请不存在", revision_id=revision_id)
    _require_centre_admin(approver, centre_id=revision.centre_id, what="审核事项变更")
    if revision.status != ItemRevision.Status.PENDING:
        raise RevisionAlreadyDecided(revision_id=revision.pk, status=revision.status)
    return revision


def _save_decision(
    revision: ItemRevision, *, status: str, approver: Staff, note: str, also: Sequence[str] = ()
) -> None:
    """Stamp the centre's decision on `revision`; `also` names fields the caller changed as well."""
    revision.status = status
    revision.decided_by = approver
    revision.decided_at = timezone.now()
    revision.decision_note = note.strip()
    revision.save(update_fields=[*also, "status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def approve_item_revision(*, revision_id: int, approver: Staff, note: str = "") -> ItemRevision:
    """The centre approves a unit's change: apply it and publish in one transaction (CAT-1).

    The change is checked again against the item as it is now; the revision row is locked so two
    reviewers cannot both decide it.
    """
    revision = _revision_to_decide(revision_id=revision_id, approver=approver)
    if revision.item_id is not None:
        item = Item.objects.select_for_update().get(pk=revision.item_id)
        before = item_state(item)
        state = merge(before, revision.changes)
        fields = changed_fields(before, state)
    else:
        item = Item(centre_id=revision.centre_id, unit_id=revision.unit_id)
        state = merge(NEW_ITEM_DEFAULTS, revision.changes)
        fields = list(FIELDS)
    check_item(state, lead_unit_id=item.unit_id)
    _check_references(state, centre_id=revision.centre_id, item_pk=item.pk)
    _apply(item, state, fields)
    revision.item = item
    _save_decision(revision, status=ItemRevision.Status.APPROVED, approver=approver, note=note, also=["item"])
    record_audit(
        actor=approver,
        verb="catalog.revision.approve",
        target=revision,
        reason=note,
        data={"item_id": item.pk, "fields": fields},
    )
    return revision


@transaction.atomic
def reject_item_revision(*, revision_id: int, approver: Staff, note: str) -> ItemRevision:
    """The centre sends a change back to the unit with its reason; the published item is untouched."""
    if not note.strip():
        raise InputError("note", "退回事项变更须写明理由")
    revision = _revision_to_decide(revision_id=revision_id, approver=approver)
    _save_decision(revision, status=ItemRevision.Status.REJECTED, approver=approver, note=note)
    record_audit(actor=approver, verb="catalog.revision.reject", target=revision, reason=note)
    return revision


@transaction.atomic
def cancel_item_revision(*, revision_id: int, actor: Staff) -> ItemRevision:
    """The proposing unit takes back a change the centre has not decided yet."""
    revision = ItemRevision.objects.select_for_update().filter(pk=revision_id).first()
    if revision is None or revision.centre_id != actor.centre_id:
        raise NotFound("事项变更申请不存在", revision_id=revision_id)
    own_unit = actor.role == Role.CHIEF_REP and actor.unit_id == revision.unit_id
    if revision.proposed_by_id != actor.pk and not own_unit:
        raise Forbidden("只有提交人或本单位首席代表可以撤回事项变更")
    if revision.status != ItemRevision.Status.PENDING:
        raise RevisionAlreadyDecided(revision_id=revision.pk, status=revision.status)
    revision.status = ItemRevision.Status.CANCELLED
    revision.save(update_fields=["status"])
    record_audit(actor=actor, verb="catalog.revision.cancel", target=revision)
    return revision


@transaction.atomic
def withdraw_item(*, item_id: int, actor: Staff, reason: str) -> Item:
    """The centre takes an item off the public catalogue (停用); its history and cases stay."""
    if not reason.strip():
        raise InputError("reason", "停用事项须写明理由")
    item = Item.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise NotFound("事项不存在", item_id=item_id)
    _require_centre_admin(actor, centre_id=item.centre_id, what="停用事项")
    if item.status == Item.Status.WITHDRAWN:
        return item
    item.status = Item.Status.WITHDRAWN
    item.save(update_fields=["status"])
    record_audit(actor=actor, verb="catalog.item.withdraw", target=item, reason=reason)
    return item


@transaction.atomic
def count_attachment_stock(*, attachment_id: int, actor: Staff, in_stock: int) -> Attachment:
    """Record how many printed copies of a guide / sample form are at the window (CAT-3 不断档)."""
    if isinstance(in_stock, bool) or not isinstance(in_stock, int) or in_stock < 0:
        raise InputError("in_stock", f"现存份数应为非负整数，收到 {in_stock!r}")
    attachment = (
        Attachment.objects.select_for_update().select_related("item").filter(pk=attachment_id).first()
    )
    if attachment is None or attachment.item.centre_id != actor.centre_id:
        raise NotFound("附件不存在", attachment_id=attachment_id)
    if not (actor.role == Role.CENTRE_ADMIN or actor.unit_id == attachment.item.unit_id):
        raise Forbidden("只能盘点本单位事项的办事指南和样表")
    before = attachment.in_stock
    attachment.in_stock = in_stock
    attachment.stock_counted_at = timezone.now()
    attachment.save(update_fields=["in_stock", "stock_counted_at"])
    record_audit(
        actor=actor,
        verb="catalog.attachment.count",
        target=attachment,
        centre_id=attachment.item.centre_id,
        data={"before": before, "after": in_stock, "low": attachment.is_low_stock},
    )
    return attachment


@transaction.atomic
def import_items(
    *, centre_id: int, rows: list[dict[str, Any]], actor: Staff | None = None, guide_stock: bool = False
) -> int:
    """Load published items from plain dicts (e.g. `demo_data.demo_items()`), all or nothing.

    Rows name their unit and joint units by unit name; each row is checked by the CAT-1/CAT-2 rules and a
    bad row raises an error naming the row. Idempotent: an existing code is updated in place. With
    `guide_stock`, each item gets a printed-guide stock record (CAT-3) if it has none.
    """
    units = dict(Unit.objects.filter(centre_id=centre_id).values_list("name", "pk"))
    count = 0
    for index, row in enumerate(rows, start=1):
        where = f"第 {index} 行（{row.get('code', '?')}）"
        for key, names in (("unit", [row.get("unit")]), ("joint_units", row.get("joint_units", []))):
            for name in names:
                if name not in units:
                    raise InputError(f"{where}.{key}", f"本中心没有窗口单位“{name}”")
        lead = units[row["unit"]]
        joint = [units[name] for name in row.get("joint_units", [])]
        change = {k: row[k] for k in FIELDS if k in row and k != "joint_unit_ids"}
        change["joint_unit_ids"] = joint
        try:
            state = merge(NEW_ITEM_DEFAULTS, normalize_change(change))
            check_item(state, lead_unit_id=lead)
        except (InputError, InvalidItemChange) as exc:
            raise InputError(where, str(exc)) from None
        item = Item.objects.filter(centre_id=centre_id, code=state["code"]).first() or Item(
            centre_id=centre_id, code=state["code"]
        )
        item.unit_id = lead
        _apply(item, state, ["joint_unit_ids", "materials"])
        if guide_stock and not item.attachments.exists():
            Attachment.objects.create(
                item=item,
                kind=Attachment.Kind.GUIDE,
                title=f"{item.name}办事指南",
                in_stock=(index * 37) % 90,
                low_stock_at=10,
            )
        count += 1
    record_audit(actor=actor, verb="catalog.items.import", centre_id=centre_id, data={"count": count})
    return count
