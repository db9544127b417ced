"""One validator for identity documents (证件号码) and phones (INT-2, CASE-10)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.errors import InputError
from servicehall.core.identity import (
    credit_code_check_char,
    gb11643_check_char,
    validate_id_number,
    validate_phone,
)

VALID_ID = "11010519491231002X"  # the example of GB 11643-1999


def test_int_2__gb11643_standard_example__accepted_and_upper_cased():
    assert validate_id_number("resident_id", "11010519491231002x") == VALID_ID


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("abc", "18 位"),
        ("1" * 41, "18 位"),
        ("110105194912310021", "校验位"),
        ("110105194902300020", "出生日期不存在"),
        ("110105299912310020", "不合理"),
    ],
)
def test_int_2__bad_citizen_id__refused_with_reason(number: str, why: str):
    with pytest.raises(InputError) as err:
        validate_id_number("resident_id", number)
    assert err.value.where == "applicant_id_no"
    assert why in err.value.message


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    seq=st.integers(0, 999),
)
def test_int_2__any_generated_valid_id__accepted(born: dt.date, seq: int):
    first17 = f"330102{born:%Y%m%d}{seq:03d}"
    assert validate_id_number("resident_id", first17 + gb11643_check_char(first17))


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("passport", "E12345678", "E1"),
        ("hk_macao_permit", "H12345678", "X12345678"),
        ("taiwan_permit", "12345678", "1234567"),
        ("foreign_permanent", "USA330102198001", "12345"),
    ],
)
def test_int_2__other_document_kinds__validated_by_kind(kind: str, good: str, bad: str):
    assert validate_id_number(kind, good) == good
    with pytest.raises(InputError):
        validate_id_number(kind, bad)


def test_int_2__credit_code__checksum():
    first17 = "91350100M000100Y4"
    code = first17 + credit_code_check_char(first17)
    assert validate_id_number("credit_code", code) == code
    wrong = first17 + ("0" if code[-1] != "0" else "1")
    with pytest.raises(InputError):
        validate_id_number("credit_code", wrong)


def test_int_2__unknown_kind__refused():
    with pytest.raises(InputError) as err:
        validate_id_number("library_card", "123456")
    assert err.value.where == "applicant_id_no_kind"


@pytest.mark.parametrize("phone", ["12", "1234", "23812345678", "1381234567", "abc"])
def test_case_10__phone_too_short_or_not_a_mobile__refused(phone: str):
    with pytest.raises(InputError):
        validate_phone(phone)


def test_case_10__phone_normalised():
    assert validate_phone("+86 138-1234-5678") == "13812345678"
    assert validate_phone("0571-87654321") == "0571-87654321"
    with pytest.raises(InputError):
        validate_phone("0571-87654321", mobile_only=True)
