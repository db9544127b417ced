"""Public search (by name, unit, code, pinyin initials) shows published items only (CAT-1)."""

from __future__ import annotations

import pytest

from servicehall.catalog import selectors
from servicehall.catalog.models import Item
from servicehall.catalog.tests.factories import ItemFactory
from servicehall.core.errors import NotFound
from servicehall.org.tests.factories import CentreFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    centre = CentreFactory(code="county")
    market = UnitFactory(centre=centre, name="市场监督管理局", short_name="市场监管")
    police = UnitFactory(centre=centre, name="公安局", short_name="公安户政")
    return {
        "centre": centre,
        "market": market,
        "police": police,
        "licence": ItemFactory(unit=market, code="SJ-001", name="营业执照变更登记"),
        "food": ItemFactory(unit=market, code="SJ-006", name="食品经营许可"),
        "id_card": ItemFactory(
            unit=police, code="GA-001", name="居民身份证首次申领", case_type="immediate", promised_days=0
        ),
        "draft": ItemFactory(unit=market, code="SJ-099", name="营业执照草稿事项", draft=True),
        "gone": ItemFactory(unit=police, code="GA-099", name="户籍证明", withdrawn=True),
    }


def names(qs):
    return sorted(i.name for i in qs)


def test_search__by_name_substring(catalogue):
    assert names(selectors.published_items(centre_id=catalogue["centre"].pk, q="执照")) == [
        "营业执照变更登记"
    ]


def test_search__by_unit_name_and_short_name(catalogue):
    by_name = selectors.published_items(centre_id=catalogue["centre"].pk, q="市场监督")
    by_short = selectors.published_items(centre_id=catalogue["centre"].pk, q="公安户政")
    assert names(by_name) == ["营业执照变更登记", "食品经营许可"]
    assert names(by_short) == ["居民身份证首次申领"]


@pytest.mark.parametrize("q", ["yyzz", "YYZZ", "YyZz"])
def test_search__by_pinyin_initials_any_case(catalogue, q):
    assert names(selectors.published_items(centre_id=catalogue["centre"].pk, q=q)) == ["营业执照变更登记"]


def test_search__by_code_any_case(catalogue):
    assert names(selectors.published_items(centre_id=catalogue["centre"].pk, q="ga-001")) == [
        "居民身份证首次申领"
    ]


def test_search__filters_by_unit_and_case_type(catalogue):
    c = catalogue["centre"].pk
    assert names(selectors.published_items(centre_id=c, unit_id=catalogue["police"].pk)) == [
        "居民身份证首次申领"
    ]
    assert names(selectors.published_items(centre_id=c, case_type="immediate")) == ["居民身份证首次申领"]


def test_search__other_centre_items_not_listed(catalogue):
    ItemFactory(unit=UnitFactory(centre=CentreFactory(code="town")), name="营业执照（乡镇）")
    assert names(selectors.published_items(centre_id=catalogue["centre"].pk, q="营业执照")) == [
        "营业执照变更登记"
    ]


def test_cat_1__draft_and_withdrawn_items__never_listed_nor_shown(catalogue):
    listed = names(selectors.published_items(centre_id=catalogue["centre"].pk))
    assert "营业执照草稿事项" not in listed
    assert "户籍证明" not in listed
    for key in ("draft", "gone"):
        with pytest.raises(NotFound):
            selectors.item_detail(item_id=catalogue[key].pk)


def test_pinyin__renaming_an_item__updates_initials(catalogue):
    item = catalogue["food"]
    item.name = "出生医学证明"
    item.save(update_fields=["name"])
    assert Item.objects.get(pk=item.pk).pinyin_initials == "CSYXZM"
