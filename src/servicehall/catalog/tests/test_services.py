"""CAT-1 approval workflow, CAT-2 case-type rules, CAT-3 stock of guides, through the services."""

from __future__ import annotations

import pytest

from servicehall.catalog import selectors, services
from servicehall.catalog.errors import (
    BadChangePayload,
    InvalidItemChange,
    PendingRevisionExists,
    RevisionAlreadyDecided,
)
from servicehall.catalog.models import Item, ItemRevision
from servicehall.catalog.tests.factories import AttachmentFactory, ItemFactory
from servicehall.core.errors import Forbidden, InputError
from servicehall.core.models import AuditEntry
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

MATERIALS = [
    {"name": "申请书", "form": "原件", "copies": 1, "required": True, "note": ""},
    {"name": "居民身份证", "form": "复印件", "copies": 2, "required": True, "note": "正反面"},
]


def new_item(**over):
    data = {
        "code": "SCJ-001",
        "name": "营业执照变更登记",
        "case_type": "promised",
        "content": "企业名称、住所等登记事项变更",
        "procedure": "申请—受理—审核—发照",
        "legal_basis": "《中华人民共和国市场主体登记管理条例》",
        "materials": MATERIALS,
        "promised_days": 3,
        "statutory_days": 15,
        "fees": "不收费",
    }
    data.update(over)
    return data


def propose_new(hall, **over):
    """Unit A's chief representative proposes a new item: `new_item(**over)`."""
    return services.propose_item_change(
        item_id=None, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes=new_item(**over)
    )


@pytest.fixture
def hall():
    centre = CentreFactory(code="county")
    unit_a = UnitFactory(centre=centre, name="市场监督管理局")
    unit_b = UnitFactory(centre=centre, name="自然资源局")
    return {
        "centre": centre,
        "a": unit_a,
        "b": unit_b,
        "rep_a": StaffFactory(unit=unit_a, role=Staff.Role.CHIEF_REP),
        "clerk_a": StaffFactory(unit=unit_a, role=Staff.Role.WINDOW_STAFF),
        "rep_b": StaffFactory(unit=unit_b, role=Staff.Role.CHIEF_REP),
        "admin": StaffFactory(unit=None, centre=centre, role=Staff.Role.CENTRE_ADMIN),
        "supervisor": StaffFactory(unit=None, centre=centre, role=Staff.Role.SUPERVISOR),
    }


def test_cat_1__unit_change__not_public_until_centre_approves(hall):
    item = ItemFactory(unit=hall["a"], fees="不收费", with_materials=1)
    revision = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"fees": "工本费 10 元/本"}
    )
    assert revision.status == ItemRevision.Status.PENDING
    assert selectors.item_detail(item_id=item.pk).fees == "不收费"

    services.approve_item_revision(revision_id=revision.pk, approver=hall["admin"], note="同意")

    assert selectors.item_detail(item_id=item.pk).fees == "工本费 10 元/本"
    revision.refresh_from_db()
    assert revision.status == ItemRevision.Status.APPROVED
    assert revision.decided_by == hall["admin"]
    assert AuditEntry.objects.filter(verb="catalog.revision.approve", target_id=str(revision.pk)).exists()


def test_cat_1__new_item__published_only_after_approval_with_materials(hall):
    revision = services.propose_item_change(
        item_id=None, unit_id=hall["a"].pk, proposer=hall["clerk_a"], changes=new_item()
    )
    assert not Item.objects.filter(code="SCJ-001").exists()
    assert not selectors.published_items(centre_id=hall["centre"].pk, q="营业执照").exists()

    services.approve_item_revision(revision_id=revision.pk, approver=hall["admin"])

    item = selectors.item_detail(centre_id=hall["centre"].pk, code="SCJ-001")
    assert item.published_at is not None
    assert item.unit == hall["a"]
    assert [(m.position, m.name, m.form, m.copies) for m in item.materials.all()] == [
        (1, "申请书", "原件", 1),
        (2, "居民身份证", "复印件", 2),
    ]


def test_cat_1__materials_change__replaces_checklist_in_order(hall):
    item = ItemFactory(unit=hall["a"], with_materials=3)
    revision = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"materials": MATERIALS[::-1]}
    )
    assert item.materials.count() == 3  # unchanged while pending
    services.approve_item_revision(revision_id=revision.pk, approver=hall["admin"])
    assert list(item.materials.values_list("position", "name")) == [(1, "居民身份证"), (2, "申请书")]


@pytest.mark.parametrize("role", ["chief_rep", "window_staff", "supervisor"])
def test_cat_1__only_centre_admin_approves(hall, role):
    item = ItemFactory(unit=hall["a"], with_materials=1)
    revision = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"fees": "10 元"}
    )
    approver = {
        "chief_rep": hall["rep_a"],
        "window_staff": hall["clerk_a"],
        "supervisor": hall["supervisor"],
    }[role]
    with pytest.raises(Forbidden):
        services.approve_item_revision(revision_id=revision.pk, approver=approver)
    revision.refresh_from_db()
    item.refresh_from_db()
    assert revision.status == ItemRevision.Status.PENDING
    assert item.fees == "不收费"


def test_cat_1__admin_of_another_centre__cannot_approve(hall):
    item = ItemFactory(unit=hall["a"], with_materials=1)
    revision = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"fees": "10 元"}
    )
    other_admin = StaffFactory(unit=None, centre=CentreFactory(code="town"), role=Staff.Role.CENTRE_ADMIN)
    with pytest.raises(Forbidden):
        services.approve_item_revision(revision_id=revision.pk, approver=other_admin)


def test_cat_1__chief_rep_of_unit_a__cannot_propose_for_unit_b_item(hall):
    item_b = ItemFactory(unit=hall["b"], with_materials=1)
    with pytest.raises(Forbidden):
        services.propose_item_change(
            item_id=item_b.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"fees": "10 元"}
        )
    with pytest.raises(Forbidden):
        services.propose_item_change(
            item_id=item_b.pk, unit_id=hall["b"].pk, proposer=hall["rep_a"], changes={"fees": "10 元"}
        )
    assert not ItemRevision.objects.exists()


def test_cat_1__centre_admin__does_not_propose_but_edits_directly(hall):
    with pytest.raises(Forbidden):
        services.propose_item_change(
            item_id=None, unit_id=hall["a"].pk, proposer=hall["admin"], changes=new_item()
        )


def test_cat_1__rejected_change__leaves_item_and_needs_a_reason(hall):
    item = ItemFactory(unit=hall["a"], with_materials=1)
    revision = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"promised_days": 2}
    )
    with pytest.raises(InputError) as err:
        services.reject_item_revision(revision_id=revision.pk, approver=hall["admin"], note=" ")
    assert err.value.where == "note"
    services.reject_item_revision(revision_id=revision.pk, approver=hall["admin"], note="依据未更新")
    item.refresh_from_db()
    assert item.promised_days == 5
    with pytest.raises(RevisionAlreadyDecided) as err:
        services.approve_item_revision(revision_id=revision.pk, approver=hall["admin"])
    assert err.value.rule_id == "CAT-1"


def test_cat_1__second_pending_change__refused_until_first_decided(hall):
    item = ItemFactory(unit=hall["a"], with_materials=1)
    first = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"promised_days": 2}
    )
    with pytest.raises(PendingRevisionExists):
        services.propose_item_change(
            item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["clerk_a"], changes={"promised_days": 3}
        )
    services.cancel_item_revision(revision_id=first.pk, actor=hall["rep_a"])
    again = services.propose_item_change(
        item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["clerk_a"], changes={"promised_days": 3}
    )
    assert again.status == ItemRevision.Status.PENDING


def test_cat_1__change_equal_to_current_content__refused(hall):
    item = ItemFactory(unit=hall["a"], with_materials=1, promised_days=5)
    with pytest.raises(BadChangePayload):
        services.propose_item_change(
            item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"promised_days": 5}
        )


def test_cat_1__negative_promised_days__refused_naming_field(hall):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, promised_days=-1)
    assert (err.value.rule_id, err.value.field) == ("CAT-1", "promised_days")


def test_cat_1__promised_days_above_statutory__refused(hall):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, promised_days=20, statutory_days=15)
    assert err.value.field == "promised_days"


@pytest.mark.parametrize("missing", ["content", "procedure", "legal_basis", "fees"])
def test_cat_1__new_item_without_one_of_six_publics__refused(hall, missing):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, **{missing: "  "})
    assert (err.value.rule_id, err.value.field) == ("CAT-1", missing)


def test_cat_1__material_entry_without_name__refused_naming_row(hall):
    bad = [MATERIALS[0], {"form": "原件", "copies": 1}]
    with pytest.raises(BadChangePayload) as err:
        propose_new(hall, materials=bad)
    assert err.value.where == "materials[1].name"


def test_cat_1__duplicate_code_in_centre__refused(hall):
    ItemFactory(unit=hall["b"], code="SCJ-001")
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall)
    assert err.value.field == "code"


def test_cat_2__immediate_item__must_promise_zero_days(hall):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, case_type="immediate", promised_days=1)
    assert (err.value.rule_id, err.value.field) == ("CAT-2", "promised_days")
    ok = propose_new(hall, case_type="immediate", promised_days=0)
    assert ok.changes["case_type"] == "immediate"


def test_cat_2__switching_item_to_immediate__checks_its_current_promised_days(hall):
    item = ItemFactory(unit=hall["a"], with_materials=1, promised_days=5)
    with pytest.raises(InvalidItemChange) as err:
        services.propose_item_change(
            item_id=item.pk, unit_id=hall["a"].pk, proposer=hall["rep_a"], changes={"case_type": "immediate"}
        )
    assert err.value.rule_id == "CAT-2"


def test_cat_2__promised_item_with_zero_days__refused(hall):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, promised_days=0)
    assert err.value.rule_id == "CAT-2"


def test_cat_2__joint_item__needs_a_joint_unit_other_than_the_lead(hall):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, case_type="joint")
    assert (err.value.rule_id, err.value.field) == ("CAT-2", "joint_unit_ids")
    with pytest.raises(InvalidItemChange):
        propose_new(hall, case_type="joint", joint_unit_ids=[hall["a"].pk])
    foreign = UnitFactory()  # another centre's unit
    with pytest.raises(InvalidItemChange):
        propose_new(hall, case_type="joint", joint_unit_ids=[foreign.pk])
    revision = propose_new(hall, case_type="joint", joint_unit_ids=[hall["b"].pk])
    services.approve_item_revision(revision_id=revision.pk, approver=hall["admin"])
    item = Item.objects.get(code="SCJ-001")
    assert list(item.joint_units.all()) == [hall["b"]]


def test_cat_2__joint_units_on_a_non_joint_item__refused(hall):
    with pytest.raises(InvalidItemChange) as err:
        propose_new(hall, joint_unit_ids=[hall["b"].pk])
    assert err.value.rule_id == "CAT-2"


def test_cat_2__unknown_case_type__refused_naming_field(hall):
    with pytest.raises(BadChangePayload) as err:
        propose_new(hall, case_type="urgent")
    assert err.value.where == "case_type"


def test_cat_1__withdraw_item__takes_it_off_public_list(hall):
    item = ItemFactory(unit=hall["a"], name="出生医学证明")
    assert selectors.published_items(centre_id=hall["centre"].pk, q="出生").count() == 1
    with pytest.raises(Forbidden):
        services.withdraw_item(item_id=item.pk, actor=hall["rep_a"], reason="事项调整")
    services.withdraw_item(item_id=item.pk, actor=hall["admin"], reason="事项调整")
    assert selectors.published_items(centre_id=hall["centre"].pk, q="出生").count() == 0


def test_cat_3__stock_at_threshold__flagged_low(hall):
    guide = AttachmentFactory(item=ItemFactory(unit=hall["a"]), in_stock=30, low_stock_at=10)
    viewer = StaffFactory(unit=hall["a"], role=Staff.Role.CHIEF_REP, with_user=True).user
    assert not selectors.low_stock_attachments(viewer=viewer).exists()
    services.count_attachment_stock(attachment_id=guide.pk, actor=hall["clerk_a"], in_stock=10)
    guide.refresh_from_db()
    assert guide.is_low_stock
    assert list(selectors.low_stock_attachments(viewer=viewer)) == [guide]
    services.count_attachment_stock(attachment_id=guide.pk, actor=hall["clerk_a"], in_stock=11)
    guide.refresh_from_db()
    assert not guide.is_low_stock


def test_cat_3__other_unit__cannot_count_or_see_low_stock(hall):
    guide = AttachmentFactory(item=ItemFactory(unit=hall["a"]), in_stock=0)
    with pytest.raises(Forbidden):
        services.count_attachment_stock(attachment_id=guide.pk, actor=hall["rep_b"], in_stock=5)
    viewer_b = StaffFactory(unit=hall["b"], role=Staff.Role.CHIEF_REP, with_user=True).user
    assert not selectors.low_stock_attachments(viewer=viewer_b).exists()
