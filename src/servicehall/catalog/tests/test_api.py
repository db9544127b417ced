"""/api/catalog/: public reads show published items only; proposals and decisions follow CAT-1/CAT-2."""

from __future__ import annotations

import pytest
from django.test import Client

from servicehall.catalog.models import Item, ItemRevision
from servicehall.catalog.tests.factories import ItemFactory
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

MATERIAL = {"name": "申请书", "form": "原件", "copies": 1, "required": True, "note": ""}


@pytest.fixture
def hall():
    centre = CentreFactory(code="county")
    a = UnitFactory(centre=centre, name="市场监督管理局")
    b = UnitFactory(centre=centre, name="自然资源局")
    return {
        "centre": centre,
        "a": a,
        "b": b,
        "rep_a": StaffFactory(unit=a, role=Staff.Role.CHIEF_REP, with_user=True),
        "admin": StaffFactory(unit=None, centre=centre, role=Staff.Role.CENTRE_ADMIN, with_user=True),
    }


def login(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def test_api__list_items__published_only_and_searchable_by_pinyin(client, hall):
    ItemFactory(unit=hall["a"], name="营业执照变更登记", code="SJ-1")
    ItemFactory(unit=hall["a"], name="营业执照注销登记", code="SJ-2", draft=True)
    res = client.get("/api/catalog/items", {"centre": "county", "q": "yyzz"})
    assert res.status_code == 200
    assert [i["name"] for i in res.json()] == ["营业执照变更登记"]
    assert res.json()[0]["url"] == "/catalog/county/items/SJ-1/"


def test_api__unknown_centre__404(client, hall):
    assert client.get("/api/catalog/items", {"centre": "nowhere"}).status_code == 404


def test_cat_1__api_unpublished_item_detail__404(client, hall):
    draft = ItemFactory(unit=hall["a"], draft=True)
    published = ItemFactory(unit=hall["a"], with_materials=2)
    assert client.get(f"/api/catalog/items/{draft.pk}").status_code == 404
    body = client.get(f"/api/catalog/items/{published.pk}").json()
    assert [m["position"] for m in body["materials"]] == [1, 2]
    assert body["guide_pdf_url"].endswith("/guide.pdf")


def test_cat_1__api_propose_then_approve__public_only_after_approval(client, hall):
    item = ItemFactory(unit=hall["a"], with_materials=1, fees="不收费")
    res = login(hall["rep_a"]).post(
        "/api/catalog/revisions",
        {"item_id": item.pk, "changes": {"fees": "工本费 10 元"}},
        content_type="application/json",
    )
    assert res.status_code == 201, res.content
    revision_id = res.json()["id"]
    assert client.get(f"/api/catalog/items/{item.pk}").json()["fees"] == "不收费"

    refused = login(hall["rep_a"]).post(
        f"/api/catalog/revisions/{revision_id}/approve", {}, content_type="application/json"
    )
    assert refused.status_code == 403

    ok = login(hall["admin"]).post(
        f"/api/catalog/revisions/{revision_id}/approve", {"note": "同意"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "approved"
    assert client.get(f"/api/catalog/items/{item.pk}").json()["fees"] == "工本费 10 元"


def test_cat_1__api_chief_rep_of_unit_a__403_on_unit_b_item(hall):
    item_b = ItemFactory(unit=hall["b"], with_materials=1)
    res = login(hall["rep_a"]).post(
        "/api/catalog/revisions",
        {"item_id": item_b.pk, "changes": {"fees": "5 元"}},
        content_type="application/json",
    )
    assert res.status_code == 403
    assert not ItemRevision.objects.exists()


def test_api__propose_anonymous__401(client, hall):
    res = client.post("/api/catalog/revisions", {"changes": {}}, content_type="application/json")
    assert res.status_code == 401


def test_cat_2__api_immediate_with_days__422_citing_rule_and_field(hall):
    res = login(hall["rep_a"]).post(
        "/api/catalog/revisions",
        {
            "changes": {
                "code": "SJ-9",
                "name": "个体工商户注册登记",
                "case_type": "immediate",
                "content": "c",
                "procedure": "p",
                "legal_basis": "l",
                "fees": "不收费",
                "materials": [MATERIAL],
                "promised_days": 3,
            }
        },
        content_type="application/json",
    )
    assert res.status_code == 422
    body = res.json()
    assert body["rule_id"] == "CAT-2"
    assert body["facts"]["field"] == "promised_days"
    assert "promised_days" in body["detail"]


def test_api__malformed_payload__422_naming_field(hall):
    res = login(hall["rep_a"]).post(
        "/api/catalog/revisions",
        {"changes": {"promised_days": "three", "colour": "red"}},
        content_type="application/json",
    )
    assert res.status_code == 422
    fields = {e["field"] for e in res.json()["errors"]}
    assert "changes.promised_days" in fields
    assert "changes.colour" in fields


def test_api__material_without_name__422_naming_row(hall):
    res = login(hall["rep_a"]).post(
        "/api/catalog/revisions",
        {"changes": {"materials": [MATERIAL, {"form": "原件"}]}},
        content_type="application/json",
    )
    assert res.status_code == 422
    assert "changes.materials.1.name" in {e["field"] for e in res.json()["errors"]}


def test_api__reject_without_note__400_naming_field(hall):
    item = ItemFactory(unit=hall["a"], with_materials=1)
    created = login(hall["rep_a"]).post(
        "/api/catalog/revisions",
        {"item_id": item.pk, "changes": {"promised_days": 2}},
        content_type="application/json",
    )
    res = login(hall["admin"]).post(
        f"/api/catalog/revisions/{created.json()['id']}/reject", {"note": ""}, content_type="application/json"
    )
    assert res.status_code == 400
    assert res.json()["facts"]["where"] == "note"
    assert Item.objects.get(pk=item.pk).promised_days == 5


def test_api__revisions_list__chief_rep_sees_own_unit_only(hall):
    item_a = ItemFactory(unit=hall["a"], with_materials=1)
    item_b = ItemFactory(unit=hall["b"], with_materials=1)
    rep_b = StaffFactory(unit=hall["b"], role=Staff.Role.CHIEF_REP, with_user=True)
    for rep, item in ((hall["rep_a"], item_a), (rep_b, item_b)):
        login(rep).post(
            "/api/catalog/revisions",
            {"item_id": item.pk, "changes": {"promised_days": 2}},
            content_type="application/json",
        )
    assert {r["unit_id"] for r in login(hall["rep_a"]).get("/api/catalog/revisions").json()} == {hall["a"].pk}
    assert len(login(hall["admin"]).get("/api/catalog/revisions").json()) == 2
