"""Public progress query (CASE-10) without personal data (INT-2), rate-limited."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicehall.cases import services
from servicehall.cases.masking import last4, mask_id, mask_name, mask_phone
from servicehall.cases.tests.factories import Hall, local

pytestmark = pytest.mark.django_db

NAME, ID_NO, PHONE = "欧阳娜娜", "64040219900101002X", "13812345678"


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name=NAME, applicant_id_no=ID_NO, applicant_phone=PHONE,
        applicant_address="文化路1号", at=local(2025, 9, 30, 10),
    )  # fmt: skip
    return services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 30, 10))


def post(client, number, code, ip="10.0.0.1"):
    return client.post(reverse("cases:progress"), {"number": number, "code": code}, REMOTE_ADDR=ip)


def test_case_10__right_phone_code__shows_status_due_date_window_without_personal_data(client, case):
    response = post(client, case.number, "5678")
    html = response.content.decode()
    assert response.status_code == 200
    assert "已受理" in html
    assert "2025年10月14日" in html
    assert "8号窗口" in html
    assert "二楼" in html
    assert "王受理" in html  # the first responsible person (CASE-1)
    for secret in (NAME, ID_NO, PHONE, "文化路", "1234567"):
        assert secret not in html  # INT-2
    assert "欧***" in html


def test_case_10__id_code_with_x_matches_case_insensitive(client, case):
    assert "已受理" in post(client, case.number, "002x").content.decode()


def test_case_10__wrong_code_and_unknown_case__identical_answer(client, case):
    wrong = post(client, case.number, "0000")
    unknown = post(client, "20250101999" + "0001", "5678")
    assert wrong.status_code == unknown.status_code == 200

    def body(response, number):  # the per-response CSRF token is the only other difference
        html = re.sub(
            r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1TOKEN", response.content.decode()
        )
        return html.replace(number, "NUMBER")

    assert body(wrong, case.number) == body(unknown, "202501019990001")
    assert "已受理" not in wrong.content.decode()
    assert case.item.name not in wrong.content.decode()


def test_case_10__too_many_queries_from_one_address__rate_limited(client, case):
    for _ in range(10):
        assert post(client, case.number, "0000").status_code == 200
    blocked = post(client, case.number, "5678")
    assert blocked.status_code == 429
    assert "已受理" not in blocked.content.decode()
    assert post(client, case.number, "5678", ip="10.0.0.2").status_code == 200


def test_case_10__api_progress__same_shape_for_wrong_code_and_unknown(client, case):
    url = "/api/cases/progress"
    wrong = client.post(url, {"number": case.number, "code": "0000"}, content_type="application/json").json()
    unknown = client.post(url, {"number": "nope", "code": "5678"}, content_type="application/json").json()
    assert wrong == unknown
    assert wrong["found"] is False
    right = client.post(url, {"number": case.number, "code": "5678"}, content_type="application/json").json()
    assert right["found"] is True
    assert right["applicant"] == "欧***"
    assert PHONE not in str(right)


def test_int_2__masks():
    assert mask_name("张三") == "张*"
    assert mask_name("原州区某某餐饮管理有限公司").startswith("原州")
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_id("64040219900101002X") == "64" + "*" * 14 + "2X"
    assert last4("64040219900101123x") == "123X"
    assert last4("12") == ""
