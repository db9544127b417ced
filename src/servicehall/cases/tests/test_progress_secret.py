"""The progress query needs a real secret (CASE-10, INT-2): the random query code printed on the
acceptance notice, or the tail of a validated phone or ID number. An empty value never matches."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from servicehall.cases import pdf, services
from servicehall.cases.models import Case
from servicehall.cases.tests.factories import Hall, local
from servicehall.cases.tests.test_views import login
from servicehall.core.errors import InputError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _query(client, number: str, code: str) -> str:
    return client.post(reverse("cases:progress"), {"number": number, "code": code}).content.decode()


def _register(hall: Hall, **applicant: str) -> Case:
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="某某公司", at=local(2025, 9, 30, 10), **applicant
    )
    return services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 10))


@pytest.mark.parametrize("code", ["####", "", "----", "    ", "0000"])
def test_case_10__no_phone_no_id__placeholder_codes_never_match(client, code: str):
    case = _register(Hall(materials=0))
    assert "已受理" not in _query(client, case.number, code)


def test_case_10__legacy_invalid_phone__its_tail_is_no_secret(client):
    """A case stored before phones were validated (phone '12') cannot be opened with a guess."""
    case = _register(Hall(materials=0))
    Case.objects.filter(pk=case.pk).update(applicant_phone="12", applicant_id_no="abc")
    for code in ("12", "0012", "ABC", "##12"):
        assert "已受理" not in _query(client, case.number, code)


def test_case_10__query_code_on_acceptance_notice__opens_the_query(client):
    case = _register(Hall(materials=0))
    assert len(case.query_code) == 8
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.acceptance_notice(case))).pages)
    assert case.query_code in text.replace(" ", "")
    assert "已受理" in _query(client, case.number, case.query_code.lower())


def test_case_10__query_codes_are_random_not_sequential():
    hall = Hall(materials=0)
    codes = {_register(hall).query_code for _ in range(5)}
    assert len(codes) == 5


def test_case_10__phone_12_refused_at_registration_nothing_written():
    hall = Hall(materials=0)
    with pytest.raises(InputError) as err:
        services.register_case(actor=hall.staff, item=hall.item, applicant_name="张三", applicant_phone="12")
    assert err.value.where == "applicant_phone"
    assert not Case.objects.exists()


def test_int_2__api_registration_bad_id_and_phone__400_naming_field(client):
    hall = Hall(materials=0)
    login(client, hall.staff)
    for body, field in (
        ({"applicant_phone": "12"}, "applicant_phone"),
        ({"applicant_id_no": "abc"}, "applicant_id_no"),
        ({"applicant_id_no": "1" * 41}, "applicant_id_no"),
        ({"applicant_id_kind": "passport", "applicant_id_no": "E1"}, "applicant_id_no"),
    ):
        response = client.post(
            "/api/cases/",
            {"item_id": hall.item.pk, "applicant_name": "张三", **body},
            content_type="application/json",
        )
        assert response.status_code in (400, 422), response.content
        assert field in response.content.decode()
    assert not Case.objects.exists()


def test_int_2__registration_form_bad_id__error_shown_nothing_written(client):

    hall = Hall(materials=0)
    login(client, hall.staff)
    response = client.post(
        reverse("cases:register"),
        {"item_id": hall.item.pk, "applicant_name": "张三", "applicant_id_no": "110105194912310021"},
    )
    assert response.status_code == 400
    assert "校验位" in response.content.decode()
    assert not Case.objects.exists()
