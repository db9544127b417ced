"""The pure CAT-1/CAT-2 rule engine and pinyin initials; no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.catalog.errors import BadChangePayload, InvalidItemChange
from servicehall.catalog.pinyin import pinyin_initials
from servicehall.catalog.rules import check_item, merge, normalize_change

BASE = {
    "code": "X-1",
    "name": "营业执照变更登记",
    "category": "",
    "case_type": "promised",
    "joint_unit_ids": [],
    "content": "内容",
    "procedure": "程序",
    "legal_basis": "依据",
    "materials": [{"name": "申请书", "form": "原件", "copies": 1, "required": True, "note": ""}],
    "promised_days": 3,
    "statutory_days": 15,
    "fees": "不收费",
}


def test_pinyin__yingye_zhizhao__yyzz():
    assert pinyin_initials("营业执照") == "YYZZ"


def test_pinyin__mixed_text__keeps_letters_and_digits():
    assert pinyin_initials("出生医学证明（A类）2号") == "CSYXZMAL2H"


def test_cat_2__immediate_with_zero_days__accepted():
    check_item(merge(BASE, {"case_type": "immediate", "promised_days": 0}), lead_unit_id=1)


@given(days=st.integers(min_value=1, max_value=365))
def test_cat_2__immediate_with_any_positive_days__refused(days):
    with pytest.raises(InvalidItemChange) as err:
        check_item(
            merge(BASE, {"case_type": "immediate", "promised_days": days, "statutory_days": None}),
            lead_unit_id=1,
        )
    assert err.value.rule_id == "CAT-2"


@given(promised=st.integers(0, 60), statutory=st.integers(0, 60))
def test_cat_1__promised_within_statutory__only_then_accepted(promised, statutory):
    state = merge(BASE, {"case_type": "reported", "promised_days": promised, "statutory_days": statutory})
    if promised <= statutory:
        check_item(state, lead_unit_id=1)
    else:
        with pytest.raises(InvalidItemChange):
            check_item(state, lead_unit_id=1)


def test_cat_2__reported_item__may_have_zero_days():
    check_item(merge(BASE, {"case_type": "reported", "promised_days": 0}), lead_unit_id=1)


def test_cat_1__unknown_field__refused_naming_it():
    with pytest.raises(BadChangePayload) as err:
        normalize_change({"promise_days": 3})
    assert err.value.where == "promise_days"


def test_cat_1__boolean_as_days__refused():
    with pytest.raises(BadChangePayload) as err:
        normalize_change({"promised_days": True})
    assert err.value.where == "promised_days"


@pytest.mark.parametrize(
    ("material", "where"),
    [
        ({"name": "身份证", "copies": 0}, "materials[0].copies"),
        ({"name": "身份证", "copies": "2"}, "materials[0].copies"),
        ({"name": "身份证", "required": "yes"}, "materials[0].required"),
        ({"name": "身份证", "colour": "red"}, "materials[0].colour"),
        ({"name": "  "}, "materials[0].name"),
    ],
)
def test_cat_1__bad_material_entry__names_the_field(material, where):
    with pytest.raises((BadChangePayload, InvalidItemChange)) as err:
        normalize_change({"materials": [material]})
    assert getattr(err.value, "where", None) == where or getattr(err.value, "field", None) == where


def test_cat_1__material_defaults__filled_in():
    assert normalize_change({"materials": [{"name": " 身份证 "}]})["materials"] == [
        {"name": "身份证", "form": "原件", "copies": 1, "required": True, "note": ""}
    ]


def test_cat_1__duplicate_material__refused():
    twice = BASE["materials"] * 2
    with pytest.raises(InvalidItemChange) as err:
        check_item(merge(BASE, {"materials": twice}), lead_unit_id=1)
    assert err.value.field == "materials[1].name"


def test_cat_1__code_with_slash__refused():
    with pytest.raises(BadChangePayload) as err:
        normalize_change({"code": "A/B"})
    assert err.value.where == "code"
